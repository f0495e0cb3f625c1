using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Cms;
using Kiosk.Core.Eds.Demo;

namespace Kiosk.Tests.Eds.Cms;

/// <summary>
/// The shared CMS verifier against signatures made here with <see cref="SignedCms"/> and the demo CA's keys (the
/// signing code of the product is elsewhere; these tests do not depend on it).
/// </summary>
[Collection(DemoCaCollection.Name)]
public class DetachedCmsVerifierTests(DemoCaFixture fx)
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("""{"format":"kiosk-request/1","service":"home-call","note":"Қалам ауырады"}""");

    private DetachedCmsVerifier Verifier(StaleCrlPolicy stale = StaleCrlPolicy.Reject, DetachedCmsVerifierOptions? options = null) =>
        new(fx.Checker(stale), options);

    /// <summary>A detached SignedData over <paramref name="content"/>: SHA-256 unless told, signing-time attribute, certificate embedded.</summary>
    internal static byte[] Sign(EdsKey key, byte[] content, DateTimeOffset? signingTime = null, string digestOid = "2.16.840.1.101.3.4.2.1",
        X509IncludeOption include = X509IncludeOption.EndCertOnly, bool detached = true)
    {
        var cms = new SignedCms(new ContentInfo(content), detached);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, key.Certificate);
        signer.DigestAlgorithm = new Oid(digestOid);
        signer.IncludeOption = include;
        if (include == X509IncludeOption.WholeChain) signer.Certificates.AddRange(key.ExtraCertificates);
        signer.SignedAttributes.Add(new Pkcs9SigningTime((signingTime ?? DateTimeOffset.UtcNow).UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    private byte[] SignWith(string @case, string keyType, DateTimeOffset? signingTime = null)
    {
        using var key = fx.Open(fx.One(@case, keyType));
        return Sign(key, Document, signingTime ?? fx.Now);
    }

    private static string[] Codes(CmsVerificationResult r) => r.Codes.ToArray();

    [Fact]
    public void A_citizen_signing_key_signature_is_valid_and_names_the_citizen()
    {
        var entry = fx.One("valid", "SIGN");
        using var key = fx.Open(entry);
        var signature = Sign(key, Document, fx.Now);
        var result = Verifier().Verify(Document, signature, fx.Now.AddMinutes(1));
        Assert.True(result.Valid, string.Join("; ", result.Problems));
        Assert.Empty(result.Problems);
        Assert.Equal(entry.Iin, result.Subject.Iin?.Value);
        Assert.Equal(fx.Now, result.SigningTime);
        Assert.Equal(fx.Now, result.TimeOfUse);
        Assert.Equal(SigningTimeBasis.SigningTime, result.TimeOfUseBasis);
        Assert.Equal("SHA256", result.DigestAlgorithm);
        Assert.Equal(key.Certificate.RawData, result.SignerCertificate!.RawData);
        Assert.Equal(CertificatePurpose.Signing, result.Certificate!.Purpose);
    }

    [Fact]
    public void The_whole_chain_embedded_or_a_PEM_signature_verifies_too()
    {
        using var key = fx.Open(fx.One("valid", "SIGN"));
        var withChain = Sign(key, Document, fx.Now, include: X509IncludeOption.WholeChain);
        Assert.True(Verifier().Verify(Document, withChain, fx.Now).Valid);
        var pem = Encoding.ASCII.GetBytes(PemEncoding.WriteString("CMS", Sign(key, Document, fx.Now)));
        Assert.True(Verifier().Verify(Document, pem, fx.Now).Valid);
        var pkcs7 = Encoding.ASCII.GetBytes(PemEncoding.WriteString("PKCS7", Sign(key, Document, fx.Now)));
        Assert.True(Verifier().Verify(Document, pkcs7, fx.Now).Valid);
    }

    [Fact]
    public void An_ECDSA_P256_signing_key_is_valid()
    {
        var result = Verifier().Verify(Document, SignWith("ecdsa-p256", "SIGN"), fx.Now);
        Assert.True(result.Valid, string.Join("; ", result.Problems));
    }

    [Fact]
    public void A_changed_content_is_a_content_mismatch_not_a_bad_signature()
    {
        var signature = SignWith("valid", "SIGN");
        foreach (var index in new[] { 0, Document.Length / 2, Document.Length - 1 })
        {
            var changed = (byte[])Document.Clone();
            changed[index] ^= 0x01;
            var result = Verifier().Verify(changed, signature, fx.Now);
            Assert.False(result.Valid);
            Assert.Equal([EdsProblemCodes.ContentMismatch], Codes(result));
        }
        Assert.Equal([EdsProblemCodes.ContentMismatch], Codes(Verifier().Verify([], signature, fx.Now)));
        Assert.Equal([EdsProblemCodes.ContentMismatch], Codes(Verifier().Verify([.. Document, (byte)' '], signature, fx.Now)));
    }

    [Fact]
    public void A_damaged_signature_value_is_a_bad_signature()
    {
        var signature = SignWith("valid", "SIGN");
        // The signature value is the last OCTET STRING of the SignerInfo: the DER ends with it (no unsigned attributes).
        var damaged = (byte[])signature.Clone();
        damaged[^10] ^= 0x40;
        var result = Verifier().Verify(Document, damaged, fx.Now);
        Assert.False(result.Valid);
        Assert.Equal([EdsProblemCodes.BadSignature], Codes(result));
    }

    [Fact]
    public void A_signature_made_with_another_key_than_the_embedded_certificate_is_a_bad_signature()
    {
        using var citizen = fx.Open(fx.One("valid", "SIGN"));
        using var otherKey = RSA.Create(2048);
        // Swap the signature value for one made by another RSA-2048 key over the very same signed attributes.
        var genuine = Sign(citizen, Document, fx.Now);
        Assert.True(SignedDataParts.TryRead(genuine, out var parts, out _));
        var original = parts.Signers[0].Signature;
        var forged = otherKey.SignData(parts.Signers[0].SignedAttributesForSignature!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.Equal(original.Length, forged.Length);
        var at = genuine.AsSpan().IndexOf(original);
        var signature = (byte[])genuine.Clone();
        forged.CopyTo(signature, at);
        Assert.True(Verifier().Verify(Document, genuine, fx.Now).Valid);
        var result = Verifier().Verify(Document, signature, fx.Now);
        Assert.False(result.Valid);
        Assert.Equal([EdsProblemCodes.BadSignature], Codes(result));
        // The content changed as well: still only bad-signature, the unauthenticated digest says nothing.
        Assert.Equal([EdsProblemCodes.BadSignature], Codes(Verifier().Verify([.. Document, 1], signature, fx.Now)));
    }

    [Fact]
    public void An_AUTH_key_used_to_sign_is_wrong_key_usage()
    {
        var result = Verifier().Verify(Document, SignWith("valid", "AUTH"), fx.Now);
        Assert.False(result.Valid);
        Assert.Equal([EdsProblemCodes.WrongKeyUsage], Codes(result));
        Assert.NotNull(result.Subject.Iin);
    }

    [Fact]
    public void A_revoked_signing_key_is_revoked()
    {
        var result = Verifier().Verify(Document, SignWith("revoked-signing-key", "SIGN"), fx.Now);
        Assert.False(result.Valid);
        Assert.Equal([EdsProblemCodes.Revoked], Codes(result));
    }

    [Theory]
    [InlineData("lookalike-ca", EdsProblemCodes.Untrusted)]
    [InlineData("bad-iin-check-digit", EdsProblemCodes.BadIin)]
    [InlineData("no-iin", EdsProblemCodes.NoIin)]
    [InlineData("rsa-1024", EdsProblemCodes.UnsupportedAlgorithm)]
    public void Hostile_keys_that_sign_are_refused_with_their_own_code_besides_wrong_key_usage(string @case, string code)
    {
        // The hostile set holds AUTH files only: signing with one is also wrong-key-usage.
        var result = Verifier().Verify(Document, SignWith(@case, "AUTH"), fx.Now);
        Assert.False(result.Valid);
        Assert.Contains(code, Codes(result));
        Assert.Contains(EdsProblemCodes.WrongKeyUsage, Codes(result));
        Assert.DoesNotContain(EdsProblemCodes.BadSignature, Codes(result));
    }

    [Fact]
    public void Validity_is_checked_at_the_signing_time_and_revocation_as_of_now()
    {
        using var key = fx.Open(fx.One("valid", "SIGN"));
        var signedAt = fx.Now;
        var signature = Sign(key, Document, signedAt);
        var afterExpiry = new DateTimeOffset(key.Certificate.NotAfter.ToUniversalTime()).AddDays(1);

        // Relying on any signing-time: the certificate was valid then. The CRLs are judged now, and are stale by then.
        var anyAge = new DetachedCmsVerifierOptions { MaxSigningTimeAge = null };
        var strict = Verifier(options: anyAge).Verify(Document, signature, afterExpiry);
        Assert.Equal([EdsProblemCodes.CrlStale], Codes(strict));
        Assert.Equal(signedAt, strict.TimeOfUse);
        var lenient = Verifier(StaleCrlPolicy.Warn, anyAge).Verify(Document, signature, afterExpiry);
        Assert.True(lenient.Valid);
        Assert.Equal([EdsProblemCodes.CrlStale], Codes(lenient));
        Assert.All(lenient.Problems, p => Assert.False(p.IsError));

        // By default a signing-time older than 30 days is not relied on: the certificate is checked now, and has expired.
        var old = Verifier(StaleCrlPolicy.Warn).Verify(Document, signature, afterExpiry);
        Assert.Equal(SigningTimeBasis.NowSigningTimeTooOld, old.TimeOfUseBasis);
        Assert.Equal(afterExpiry, old.TimeOfUse);
        Assert.Contains(EdsProblemCodes.Expired, Codes(old));
        Assert.False(old.Valid);
    }

    [Fact]
    public void A_signing_time_in_the_future_is_not_yet_valid_and_a_little_clock_skew_is_tolerated()
    {
        var future = Verifier().Verify(Document, SignWith("valid", "SIGN", fx.Now.AddHours(1)), fx.Now);
        Assert.Equal([EdsProblemCodes.NotYetValid], Codes(future));
        Assert.Equal(SigningTimeBasis.NowSigningTimeInFuture, future.TimeOfUseBasis);
        var skewed = Verifier().Verify(Document, SignWith("valid", "SIGN", fx.Now.AddMinutes(2)), fx.Now);
        Assert.True(skewed.Valid);
        Assert.Equal(fx.Now, skewed.TimeOfUse);
    }

    [Fact]
    public void A_SHA1_digest_is_an_unsupported_algorithm()
    {
        using var key = fx.Open(fx.One("valid", "SIGN"));
        var result = Verifier().Verify(Document, Sign(key, Document, fx.Now, digestOid: "1.3.14.3.2.26"), fx.Now);
        Assert.False(result.Valid);
        Assert.Equal([EdsProblemCodes.UnsupportedAlgorithm], Codes(result));
    }

    [Fact]
    public void Garbage_empty_attached_and_signerless_input_is_malformed()
    {
        var verifier = Verifier();
        Assert.Equal([EdsProblemCodes.Malformed], Codes(verifier.Verify(Document, [], fx.Now)));
        Assert.Equal([EdsProblemCodes.Malformed], Codes(verifier.Verify(Document, "not a signature"u8, fx.Now)));
        Assert.Equal([EdsProblemCodes.Malformed], Codes(verifier.Verify(Document, RandomNumberGenerator.GetBytes(300), fx.Now)));
        Assert.Equal([EdsProblemCodes.Malformed], Codes(verifier.Verify(Document, "-----BEGIN CMS-----\n!!!\n-----END CMS-----\n"u8, fx.Now)));

        using var key = fx.Open(fx.One("valid", "SIGN"));
        var attached = Sign(key, Document, fx.Now, detached: false);
        Assert.Equal([EdsProblemCodes.Malformed], Codes(verifier.Verify(Document, attached, fx.Now)));

        var good = Sign(key, Document, fx.Now);
        Assert.Equal([EdsProblemCodes.Malformed], Codes(verifier.Verify(Document, good[..^1], fx.Now)));
        Assert.Equal([EdsProblemCodes.Malformed], Codes(verifier.Verify(Document, [.. good, 0], fx.Now)));

        // A certificate itself, and a certificates-only SignedData (no signer).
        Assert.Equal([EdsProblemCodes.Malformed], Codes(verifier.Verify(Document, key.Certificate.RawData, fx.Now)));
        var certsOnly = new SignedCms(new ContentInfo(Document), detached: true);
        certsOnly.Decode(good);
        certsOnly.RemoveSignature(0);
        Assert.Single(certsOnly.Certificates);
        Assert.Equal([EdsProblemCodes.Malformed], Codes(verifier.Verify(Document, certsOnly.Encode(), fx.Now)));
    }

    [Fact]
    public void Two_signers_are_malformed()
    {
        using var first = fx.Open(fx.One("valid", "SIGN"));
        using var second = fx.Open(fx.Manifest.Files.Where(f => f.Case == "valid" && f.KeyType == "SIGN").Skip(1).First());
        var cms = new SignedCms(new ContentInfo(Document), detached: true);
        cms.ComputeSignature(new CmsSigner(first.Certificate), silent: true);
        cms.ComputeSignature(new CmsSigner(second.Certificate), silent: true);
        var result = Verifier().Verify(Document, cms.Encode(), fx.Now);
        Assert.Equal([EdsProblemCodes.Malformed], Codes(result));
    }

    [Fact]
    public void Every_problem_has_messages_in_three_languages()
    {
        var result = Verifier().Verify(Document, SignWith("revoked-signing-key", "SIGN"), fx.Now);
        foreach (var lang in new[] { "kk", "ru", "en" })
            Assert.All(result.Messages(lang), m => Assert.False(string.IsNullOrWhiteSpace(m)));
        Assert.True(EdsMessages.Has(EdsProblemCodes.ContentMismatch));
        Assert.True(EdsMessages.Has(EdsProblemCodes.BadSignature));
    }
}
