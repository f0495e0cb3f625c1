using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Core.Eds.Cms;

public sealed class DetachedCmsVerifierOptions
{
    /// <summary>How far a signing-time may lie in the future before it is refused (clocks of kiosks drift).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The oldest signing-time relied on as the time of use; an older one is ignored and the certificate is checked as
    /// of now. Null relies on any signing-time. Default 30 days: long enough for a kiosk's offline queue, short enough
    /// that a long-expired key cannot make a fresh signature look old (CRLs drop expired certificates).
    /// </summary>
    public TimeSpan? MaxSigningTimeAge { get; init; } = TimeSpan.FromDays(30);
}

/// <summary>
/// Verifies a detached CMS SignedData (RFC 5652, DER; PEM "CMS" or "PKCS7" accepted too) over given content bytes, as
/// DESIGN §4 makes a signed request: exactly one signer, its certificate embedded, SHA-256 (or SHA-384/512) digest,
/// RSA PKCS#1 v1.5 or ECDSA signature. The signer certificate then goes through the <see cref="CertificateChecker"/>
/// for <see cref="CertificatePurpose.Signing"/>, with the other certificates of the CMS as chain candidates only.
/// <para>
/// Problems: <c>malformed</c> (not a SignedData, not detached, not one signer, no signer certificate, a broken
/// attribute); <c>content-mismatch</c> (the signature over the signed attributes verifies, but their message digest is
/// not the digest of the content: the content was changed); <c>bad-signature</c> (the signature does not verify with the
/// embedded signer certificate's key); <c>unsupported-algorithm</c> (a digest or signature algorithm outside policy);
/// and every problem of the certificate.
/// </para>
/// <para>
/// Time: the signing-time attribute is signed, but it is the signer's own claim. Validity of the chain is checked at
/// that claimed time (a request queued on an offline kiosk stays verifiable after the key expires), provided it is no
/// older than <see cref="DetachedCmsVerifierOptions.MaxSigningTimeAge"/> and no later than now plus
/// <see cref="DetachedCmsVerifierOptions.MaxClockSkew"/> (later is refused as <c>not-yet-valid</c>). Revocation is
/// judged as of now, the conservative choice: a serial in the current CRL is revoked whatever its revocation date (a
/// stolen key could be used with a back-dated signing-time), and the CRLs must be fresh now.
/// </para>
/// The machine's certificate store is never consulted. Thread-safe; never throws for bad input.
/// </summary>
public sealed class DetachedCmsVerifier
{
    internal const string SignedDataOid = "1.2.840.113549.1.7.2";
    internal const string MessageDigestOid = "1.2.840.113549.1.9.4";
    internal const string SigningTimeOid = "1.2.840.113549.1.9.5";

    private static readonly Dictionary<string, HashAlgorithmName> Digests = new(StringComparer.Ordinal)
    {
        ["2.16.840.1.101.3.4.2.1"] = HashAlgorithmName.SHA256,
        ["2.16.840.1.101.3.4.2.2"] = HashAlgorithmName.SHA384,
        ["2.16.840.1.101.3.4.2.3"] = HashAlgorithmName.SHA512,
    };

    private readonly CertificateChecker _checker;
    private readonly DetachedCmsVerifierOptions _options;

    public DetachedCmsVerifier(CertificateChecker checker, DetachedCmsVerifierOptions? options = null)
    {
        _checker = checker ?? throw new ArgumentNullException(nameof(checker));
        _options = options ?? new DetachedCmsVerifierOptions();
    }

    public DetachedCmsVerifierOptions Options => _options;

    /// <summary>Verifies as of the checker's clock.</summary>
    public CmsVerificationResult Verify(ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature) =>
        Verify(content, signature, _checker.Options.Time.GetUtcNow());

    /// <summary>Verifies <paramref name="signature"/> over <paramref name="content"/>, with <paramref name="now"/> as the present.</summary>
    public CmsVerificationResult Verify(ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature, DateTimeOffset now)
    {
        byte[] der;
        if (PemText.LooksLikePem(signature))
        {
            var blocks = PemText.Blocks(signature, "CMS");
            if (blocks.Count == 0) blocks = PemText.Blocks(signature, "PKCS7");
            if (blocks.Count != 1) return Malformed(now, "the PEM text holds no single CMS or PKCS7 block");
            der = blocks[0];
        }
        else
        {
            der = signature.ToArray();
        }

        try
        {
            return VerifyCore(content.ToArray(), der, now);
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or FormatException or ArgumentException or InvalidOperationException)
        {
            return Malformed(now, $"the signature cannot be read ({e.GetType().Name}: {e.Message})");
        }
    }

    private CmsVerificationResult VerifyCore(byte[] content, byte[] der, DateTimeOffset now)
    {
        // 1. Our own reading of the structure: detached, one signer, the signed attributes as signed.
        if (!SignedDataParts.TryRead(der, out var parts, out var error)) return Malformed(now, error);
        if (parts.HasEncapsulatedContent) return Malformed(now, "the CMS carries its content; a detached signature is expected");
        if (parts.Signers.Count != 1) return Malformed(now, $"the CMS has {parts.Signers.Count} signers; exactly one is expected");
        var part = parts.Signers[0];

        // 2. The library's reading, for the signer certificate and its cross-check of the signature.
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        try
        {
            cms.Decode(der);
        }
        catch (CryptographicException e)
        {
            return Malformed(now, $"not a CMS SignedData ({e.Message})");
        }
        if (cms.SignerInfos.Count != 1) return Malformed(now, "the CMS does not have exactly one signer");
        var signer = cms.SignerInfos[0];
        var certificate = signer.Certificate;
        if (certificate is null) return Malformed(now, "the signer's certificate is not embedded in the CMS");

        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string code, string detail)
        {
            if (!problems.TryGetValue(code, out var list)) problems[code] = list = [];
            list.Add(detail);
        }

        // 3. Signed attributes: the message digest and the signing time.
        DateTimeOffset? signingTime = null;
        byte[]? messageDigest = null;
        if (part.SignedAttributes is { } attrs)
        {
            if (!SignedDataParts.TryReadAttributes(attrs, out messageDigest, out signingTime, out var attrError))
                return Malformed(now, attrError, certificate);
        }

        // 4. Algorithms.
        var digestOid = part.DigestAlgorithmOid;
        var hasDigest = Digests.TryGetValue(digestOid, out var digest);
        if (!hasDigest) Add(EdsProblemCodes.UnsupportedAlgorithm, $"digest algorithm {digestOid} is not SHA-256/384/512");
        var signatureHash = SignatureHash(part.SignatureAlgorithmOid, hasDigest ? digest : null, out var isRsa);
        if (signatureHash is null) Add(EdsProblemCodes.UnsupportedAlgorithm, $"signature algorithm {part.SignatureAlgorithmOid} is not RSA PKCS#1 v1.5 or ECDSA with SHA-2");

        // 5. The signature and the content.
        if (hasDigest && signatureHash is { } sigHash)
        {
            var signedBytes = part.SignedAttributesForSignature ?? content;
            if (!VerifySignature(certificate, isRsa, sigHash, signedBytes, part.Signature))
            {
                Add(EdsProblemCodes.BadSignature, part.SignedAttributes is null
                    ? "the signature over the content does not verify with the embedded signer certificate (no signed attributes, so a changed content looks the same)"
                    : "the signature over the signed attributes does not verify with the embedded signer certificate");
            }
            else if (messageDigest is not null && !CryptographicOperations.FixedTimeEquals(messageDigest, Hash(digest, content)))
            {
                Add(EdsProblemCodes.ContentMismatch, $"the signed message digest is not the {digest.Name} of the content");
            }
            else
            {
                // Our own check passed; the library must agree (it also checks the content-type attribute).
                try
                {
                    signer.CheckSignature(new X509Certificate2Collection(), verifySignatureOnly: true);
                }
                catch (CryptographicException e)
                {
                    Add(EdsProblemCodes.BadSignature, $"the CMS signature does not verify ({e.Message})");
                }
            }
        }

        // 6. The time of use, then the signer certificate for signing.
        var (timeOfUse, basis) = TimeOfUse(signingTime, now);
        if (basis == SigningTimeBasis.NowSigningTimeInFuture)
            Add(EdsProblemCodes.NotYetValid, $"the signing-time {signingTime:u} is later than now ({now:u})");
        var extras = cms.Certificates.Cast<X509Certificate2>()
            .Where(c => !c.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            .ToList();
        var check = _checker.Check(certificate, CertificatePurpose.Signing, timeOfUse, now, extras);
        foreach (var p in check.Problems)
        {
            if (p.IsError) Add(p.Code, p.Detail);
        }

        var list = Order(problems, check.Problems.Where(p => !p.IsError));
        return new CmsVerificationResult
        {
            Valid = list.All(p => !p.IsError),
            Subject = check.Subject,
            Problems = list,
            SigningTime = signingTime,
            TimeOfUse = timeOfUse,
            TimeOfUseBasis = basis,
            SignerCertificate = certificate,
            Certificate = check,
            DigestAlgorithm = hasDigest ? digest.Name : digestOid,
        };
    }

    private (DateTimeOffset Time, SigningTimeBasis Basis) TimeOfUse(DateTimeOffset? signingTime, DateTimeOffset now)
    {
        if (signingTime is not { } claimed) return (now, SigningTimeBasis.NowNoSigningTime);
        if (claimed > now + _options.MaxClockSkew) return (now, SigningTimeBasis.NowSigningTimeInFuture);
        if (_options.MaxSigningTimeAge is { } age && claimed < now - age) return (now, SigningTimeBasis.NowSigningTimeTooOld);
        return (claimed < now ? claimed : now, SigningTimeBasis.SigningTime);
    }

    /// <summary>The hash the signature algorithm uses, or null when it is outside policy.</summary>
    private static HashAlgorithmName? SignatureHash(string oid, HashAlgorithmName? digest, out bool isRsa)
    {
        isRsa = false;
        switch (oid)
        {
            case "1.2.840.113549.1.1.1": // rsaEncryption: PKCS#1 v1.5 with the digest algorithm
                isRsa = true;
                return digest;
            case "1.2.840.10045.2.1": // id-ecPublicKey: ECDSA with the digest algorithm
                return digest;
        }
        if (EdsAlgorithms.TryGetSignatureAlgorithm(oid, out var algorithm))
        {
            isRsa = algorithm.IsRsa;
            return algorithm.Hash;
        }
        return null;
    }

    private static bool VerifySignature(X509Certificate2 certificate, bool isRsa, HashAlgorithmName hash, byte[] signed, byte[] signature)
    {
        try
        {
            if (isRsa)
            {
                using var rsa = certificate.GetRSAPublicKey();
                return rsa is not null && rsa.VerifyData(signed, signature, hash, RSASignaturePadding.Pkcs1);
            }
            using var ecdsa = certificate.GetECDsaPublicKey();
            return ecdsa is not null && ecdsa.VerifyData(signed, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static byte[] Hash(HashAlgorithmName name, byte[] content) =>
        name == HashAlgorithmName.SHA384 ? SHA384.HashData(content)
        : name == HashAlgorithmName.SHA512 ? SHA512.HashData(content)
        : SHA256.HashData(content);

    /// <summary>Malformed first, then the signature's codes, then the checker's order; warnings after their errors.</summary>
    private static List<EdsProblem> Order(Dictionary<string, List<string>> errors, IEnumerable<EdsProblem> warnings)
    {
        string[] order = [EdsProblemCodes.Malformed, .. EdsProblemCodes.Signature, .. EdsProblemCodes.All.Skip(1)];
        var list = order.Where(errors.ContainsKey)
            .Select(code => new EdsProblem(code, EdsSeverity.Error, string.Join("; ", errors[code])))
            .ToList();
        list.AddRange(warnings.Where(w => !errors.ContainsKey(w.Code)));
        return list;
    }

    private static CmsVerificationResult Malformed(DateTimeOffset now, string detail, X509Certificate2? certificate = null) => new()
    {
        Valid = false,
        Subject = CertificateSubject.Empty,
        Problems = [new EdsProblem(EdsProblemCodes.Malformed, EdsSeverity.Error, detail)],
        TimeOfUse = now,
        TimeOfUseBasis = SigningTimeBasis.None,
        SignerCertificate = certificate,
    };
}
