using System.Formats.Asn1;

namespace Kiosk.Core.Eds.Cms;

/// <summary>One SignerInfo as it was sent: what <see cref="DetachedCmsVerifier"/> verifies itself.</summary>
internal sealed record SignerParts(
    string DigestAlgorithmOid,
    ReadOnlyMemory<byte>? SignedAttributes,
    byte[]? SignedAttributesForSignature,
    string SignatureAlgorithmOid,
    byte[] Signature);

/// <summary>
/// A minimal reader of a CMS ContentInfo holding SignedData (RFC 5652 §5): whether it carries its content, and each
/// signer's algorithms, signed attributes and signature. The signed attributes are kept as sent so the signature can
/// be checked over them (RFC 5652 §5.4: the signature covers their encoding with an explicit SET OF tag), which tells
/// a changed content (the signature still verifies, the message digest does not) from a bad signature.
/// </summary>
internal sealed record SignedDataParts(bool HasEncapsulatedContent, IReadOnlyList<SignerParts> Signers)
{
    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag Context0Constructed = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Context1Constructed = new(TagClass.ContextSpecific, 1, isConstructed: true);

    public static bool TryRead(ReadOnlyMemory<byte> der, out SignedDataParts parts, out string error)
    {
        parts = new SignedDataParts(false, []);
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.BER);
            var contentInfo = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var type = contentInfo.ReadObjectIdentifier();
            if (type != DetachedCmsVerifier.SignedDataOid)
            {
                error = $"the content type is {type}, not SignedData";
                return false;
            }
            var explicitContent = contentInfo.ReadSequence(Context0Constructed);
            contentInfo.ThrowIfNotEmpty();
            var signedData = explicitContent.ReadSequence();
            explicitContent.ThrowIfNotEmpty();

            signedData.ReadInteger(); // version
            signedData.ReadSetOf(skipSortOrderValidation: true); // digestAlgorithms
            var encap = signedData.ReadSequence();
            encap.ReadObjectIdentifier();
            var hasContent = encap.HasData;
            if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Context0)) signedData.ReadEncodedValue(); // certificates
            if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Context1Constructed)) signedData.ReadEncodedValue(); // crls
            var signerInfos = signedData.ReadSetOf(skipSortOrderValidation: true);
            signedData.ThrowIfNotEmpty();

            var signers = new List<SignerParts>();
            while (signerInfos.HasData) signers.Add(ReadSigner(signerInfos.ReadSequence()));
            parts = new SignedDataParts(hasContent, signers);
            error = "";
            return true;
        }
        catch (AsnContentException e)
        {
            error = $"not a CMS SignedData ({e.Message})";
            return false;
        }
    }

    private static SignerParts ReadSigner(AsnReader signer)
    {
        signer.ReadInteger(); // version
        signer.ReadEncodedValue(); // sid: IssuerAndSerialNumber or [0] SubjectKeyIdentifier
        var digest = ReadAlgorithm(signer);
        ReadOnlyMemory<byte>? attributes = null;
        byte[]? forSignature = null;
        if (signer.PeekTag().HasSameClassAndValue(Context0))
        {
            var encoded = signer.ReadEncodedValue();
            attributes = encoded;
            forSignature = encoded.ToArray();
            forSignature[0] = 0x31; // [0] IMPLICIT → SET OF, as signed
        }
        var signatureAlgorithm = ReadAlgorithm(signer);
        var signature = signer.ReadOctetString();
        if (signer.HasData && signer.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1))) signer.ReadEncodedValue();
        signer.ThrowIfNotEmpty();
        return new SignerParts(digest, attributes, forSignature, signatureAlgorithm, signature);
    }

    private static string ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        if (algorithm.HasData) algorithm.ReadEncodedValue(); // parameters
        algorithm.ThrowIfNotEmpty();
        return oid;
    }

    /// <summary>
    /// The message digest (required when there are signed attributes) and the signing time (optional) from the signed
    /// attributes; each must occur at most once with exactly one value.
    /// </summary>
    public static bool TryReadAttributes(ReadOnlyMemory<byte> encoded, out byte[]? messageDigest, out DateTimeOffset? signingTime, out string error)
    {
        messageDigest = null;
        signingTime = null;
        try
        {
            var outer = new AsnReader(encoded, AsnEncodingRules.BER);
            var set = outer.ReadSetOf(skipSortOrderValidation: true, Context0);
            outer.ThrowIfNotEmpty();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                var values = attribute.ReadSetOf(skipSortOrderValidation: true);
                attribute.ThrowIfNotEmpty();
                if (oid is not (DetachedCmsVerifier.MessageDigestOid or DetachedCmsVerifier.SigningTimeOid)) continue;
                if (!seen.Add(oid))
                {
                    error = $"the signed attribute {oid} occurs more than once";
                    return false;
                }
                if (oid == DetachedCmsVerifier.MessageDigestOid)
                {
                    messageDigest = values.ReadOctetString();
                }
                else
                {
                    var tag = values.PeekTag();
                    signingTime = tag.HasSameClassAndValue(Asn1Tag.UtcTime) ? values.ReadUtcTime()
                        : tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime) ? values.ReadGeneralizedTime()
                        : throw new AsnContentException("the signing-time is neither UTCTime nor GeneralizedTime");
                }
                if (values.HasData)
                {
                    error = $"the signed attribute {oid} has more than one value";
                    return false;
                }
            }
            if (messageDigest is null)
            {
                error = "the signed attributes have no message digest";
                return false;
            }
            error = "";
            return true;
        }
        catch (AsnContentException e)
        {
            error = $"the signed attributes cannot be read ({e.Message})";
            return false;
        }
    }
}
