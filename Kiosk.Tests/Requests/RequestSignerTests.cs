using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Cms;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Tests.Eds;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Requests;

[Collection(DemoCaCollection.Name)]
public class RequestSignerTests(DemoCaFixture fx)
{
    private FakeTimeProvider Clock(DateTimeOffset? at = null) => new(at ?? fx.Now.AddMinutes(5).AddMilliseconds(345));

    private RequestSigner Signer(FakeTimeProvider? clock = null, StaleCrlPolicy stale = StaleCrlPolicy.Reject) =>
        new(fx.Checker(stale), clock ?? Clock());

    private DemoCaEntry Citizen(int index, string keyType = "SIGN") =>
        fx.Manifest.Files.Where(f => f.Case == "valid" && f.KeyType == keyType).ElementAt(index);

    private static RequestDocument DocumentFor(DemoCaEntry entry) => DocumentFor(Iin.Parse(entry.Iin!), entry.Holder);

    private static RequestDocument DocumentFor(Iin iin, string name) => new(Guid.NewGuid(), iin, name,
        new DateTimeOffset(2026, 11, 25, 4, 12, 9, 123, TimeSpan.Zero), "kiosk-001", "ru",
        new HomeCallDetails("Астана, Абай д-лы, 10", "+77011234567", HomeCallReasons.Fever, "Қоңырау шалыңыз"));

    private byte[] FileOf(DemoCaEntry entry) => File.ReadAllBytes(fx.Ca.PathOf(entry));

    private RequestSigningResult Sign(DemoCaEntry entry, RequestDocument? document = null, RequestSigner? signer = null) =>
        (signer ?? Signer()).Sign(document ?? DocumentFor(entry), FileOf(entry), fx.Ca.Password);

    [Fact]
    public void A_citizen_signs_with_the_RSA_signing_key_and_gets_the_exact_bytes_and_a_verified_signature()
    {
        var entry = Citizen(0);
        var document = DocumentFor(entry);
        var clock = Clock();
        var result = Signer(clock).Sign(document, FileOf(entry), fx.Ca.Password);

        Assert.True(result.Success, string.Join("; ", result.Problems));
        Assert.Empty(result.Problems);
        var signed = result.Request;
        Assert.Equal(document.ToUtf8Json(), signed.DocumentBytes);
        Assert.Equal(document, signed.Document);
        Assert.Equal(document.RequestId, signed.RequestId);
        Assert.Equal(DetachedCmsSigner.SigningTimeFor(clock.GetUtcNow()), signed.SignedAt);
        Assert.Equal(fx.Check(entry, CertificatePurpose.Signing).Thumbprint, signed.SignerThumbprint);
        Assert.Equal(Iin.Parse(entry.Iin!), result.Signer!.Iin);

        var cms = new SignedCms(new ContentInfo(signed.DocumentBytes), detached: true);
        cms.Decode(signed.Signature);
        cms.CheckSignature(verifySignatureOnly: true);
        Assert.Equal(2, cms.Certificates.Count); // the signer and the issuing CA from the key file
        Assert.Null(Signer().VerifyProduced(signed.DocumentBytes, signed.Signature, cms.SignerInfos[0].Certificate!, signed.SignedAt));
    }

    [Fact]
    public void The_ECDSA_P256_citizen_signs_too()
    {
        var result = Sign(fx.One("ecdsa-p256", "SIGN"));
        Assert.True(result.Success, string.Join("; ", result.Problems));
        var cms = new SignedCms(new ContentInfo(result.Request.DocumentBytes), detached: true);
        cms.Decode(result.Request.Signature);
        Assert.Equal("1.2.840.10045.4.3.2", cms.SignerInfos[0].SignatureAlgorithm.Value);
    }

    [Fact]
    public void The_AUTH_key_is_refused_for_signing()
    {
        var result = Sign(Citizen(0, "AUTH"));
        Assert.False(result.Success);
        Assert.Null(result.Request);
        Assert.Equal([EdsProblemCodes.WrongKeyUsage], result.Codes);
        Assert.All(EdsMessages.Languages, l => Assert.Contains("RSA256_", result.Messages(l)[0]));
    }

    [Fact]
    public void A_revoked_signing_key_is_refused()
    {
        var result = Sign(fx.One("revoked-signing-key", "SIGN"));
        Assert.False(result.Success);
        Assert.Equal([EdsProblemCodes.Revoked], result.Codes);
    }

    [Fact]
    public void A_signing_key_past_its_validity_is_refused_as_expired()
    {
        var entry = Citizen(1);
        // A day after the certificate ends; the CRL is long stale by then, which only warns under Warn.
        var result = Sign(entry, signer: Signer(Clock(entry.NotAfter.AddDays(1)), StaleCrlPolicy.Warn));
        Assert.False(result.Success);
        Assert.Contains(EdsProblemCodes.Expired, result.Codes);
        Assert.DoesNotContain(result.Problems, p => p.IsError && p.Code != EdsProblemCodes.Expired);

        // The demo CA's expired file (an AUTH file) says expired as well as wrong-key-usage.
        var hostile = fx.One("expired");
        Assert.Equal([EdsProblemCodes.Expired, EdsProblemCodes.WrongKeyUsage], Sign(hostile).Codes);
    }

    [Fact]
    public void A_signing_key_from_a_look_alike_CA_is_untrusted()
    {
        var entry = Citizen(0);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(DemoCa.SubjectOf(new DemoCa.Holder(entry.Iin, "ЖҰМАБЕКОВ", "АСХАТ", "СЕРІКҰЛЫ")), rsa,
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CertificateChecker.EmailProtectionOid)], false));
        using var issued = fx.Ca.Issue(DemoCrlIssuer.LookalikeIssuing, request, fx.Now.AddDays(-1), fx.Now.AddYears(1));
        using var withKey = issued.CopyWithPrivateKey(rsa);
        var file = new X509Certificate2Collection { withKey, fx.Ca.CertificateOf(DemoCrlIssuer.LookalikeIssuing) }.Export(X509ContentType.Pkcs12, "pw")!;

        var result = Signer().Sign(DocumentFor(entry), file, "pw");
        Assert.False(result.Success);
        Assert.Equal([EdsProblemCodes.Untrusted], result.Codes);
    }

    [Fact]
    public void At_the_desk_the_registrar_signs_the_citizens_request_and_the_citizens_own_key_is_then_an_IIN_mismatch()
    {
        var registrar = fx.Manifest.Files.Single(f => f.Case == "registrar" && f.KeyType == "SIGN");
        var citizen = Citizen(0);
        var filed = new RequestDocument(Guid.NewGuid(), Iin.Parse(citizen.Iin!), citizen.Holder, new DateTimeOffset(2026, 11, 25, 4, 12, 9, 123, TimeSpan.Zero),
            "kiosk-001", "ru", new HomeCallDetails("Астана, Абай д-лы, 10", "+77011234567", HomeCallReasons.Fever), new FiledByStaff(Iin.Parse(registrar.Iin!)));

        var byRegistrar = Sign(registrar, filed);
        Assert.True(byRegistrar.Success, string.Join("; ", byRegistrar.Problems));
        Assert.Equal(filed, byRegistrar.Request.Document);

        var byCitizen = Sign(citizen, filed);
        Assert.Equal([EdsProblemCodes.IinMismatch], byCitizen.Codes);
    }

    [Fact]
    public void Another_citizens_key_is_an_IIN_mismatch()
    {
        var mine = Citizen(0);
        var theirs = Citizen(1);
        Assert.NotEqual(mine.Iin, theirs.Iin);
        var result = Sign(theirs, DocumentFor(mine));
        Assert.False(result.Success);
        Assert.Equal([EdsProblemCodes.IinMismatch], result.Codes);
        Assert.DoesNotContain(mine.Iin!, result.Problems[0].Detail); // masked in the log text
        Assert.All(EdsMessages.Languages, l => Assert.NotEqual(EdsMessages.For(EdsMessages.Generic, l), result.Messages(l)[0]));
    }

    [Fact]
    public void Key_file_errors_keep_their_codes()
    {
        var entry = Citizen(0);
        var document = DocumentFor(entry);
        var wrong = Signer().Sign(document, FileOf(entry), fx.Ca.Password + "x");
        Assert.Equal([Pkcs12KeyFile.Codes.WrongPassword], wrong.Codes);
        Assert.Null(wrong.Signer);
        Assert.DoesNotContain(fx.Ca.Password, string.Join(" ", wrong.Problems.Select(p => p.ToString())));

        Assert.Equal([Pkcs12KeyFile.Codes.NotPkcs12], Signer().Sign(document, document.ToUtf8Json(), fx.Ca.Password).Codes);
        Assert.Equal([Pkcs12KeyFile.Codes.TooLarge], Signer().Sign(document, new byte[Pkcs12KeyFile.DefaultMaxBytes + 1], "x").Codes);
    }

    [Fact]
    public void The_self_check_catches_a_signature_over_other_bytes_or_by_another_key()
    {
        using var key = fx.Open(Citizen(0));
        using var other = fx.Open(Citizen(1));
        var at = DetachedCmsSigner.SigningTimeFor(fx.Now);
        var content = DocumentFor(Citizen(0)).ToUtf8Json();
        var signature = DetachedCmsSigner.Sign(content, key.Certificate, at);
        Assert.Null(Signer().VerifyProduced(content, signature, key.Certificate, at));

        var changed = content.ToArray();
        changed[^5] ^= 1;
        Assert.Equal(EdsProblemCodes.ContentMismatch, Signer().VerifyProduced(changed, signature, key.Certificate, at)!.Code);
        Assert.Equal(EdsProblemCodes.BadSignature, Signer().VerifyProduced(content, signature, other.Certificate, at)!.Code);
        Assert.Equal(EdsProblemCodes.BadSignature, Signer().VerifyProduced(content, signature, key.Certificate, at.AddSeconds(1))!.Code);
        Assert.Equal(EdsProblemCodes.Malformed, Signer().VerifyProduced(content, [0x30, 0x03, 0x02, 0x01, 0x01], key.Certificate, at)!.Code);
    }

    [Fact]
    public void Openssl_verifies_a_signed_request_against_the_demo_root_and_refuses_a_changed_byte()
    {
        var result = Sign(Citizen(0), signer: Signer(new FakeTimeProvider(DateTimeOffset.UtcNow)));
        Assert.True(result.Success, string.Join("; ", result.Problems));
        var dir = fx.NewTempDirectory("request-openssl");
        File.WriteAllBytes(Path.Combine(dir, "document.json"), result.Request.DocumentBytes);
        File.WriteAllBytes(Path.Combine(dir, "signature.p7s"), result.Request.Signature);
        var root = Path.Combine(fx.Ca.OutputDirectory, "ca", "root-ca.pem");

        var ok = OpenSsl.TryRun(dir, "cms", "-verify", "-binary", "-inform", "DER", "-content", "document.json", "-in", "signature.p7s",
            "-CAfile", root, "-purpose", "any", "-out", "verified.json");
        Assert.True(ok.ExitCode == 0, ok.All);
        Assert.Contains("Verification successful", ok.All);
        Assert.Equal(result.Request.DocumentBytes, File.ReadAllBytes(Path.Combine(dir, "verified.json")));

        var changed = result.Request.DocumentBytes.ToArray();
        changed[changed.Length / 2] ^= 0x01;
        File.WriteAllBytes(Path.Combine(dir, "document.json"), changed);
        var bad = OpenSsl.TryRun(dir, "cms", "-verify", "-binary", "-inform", "DER", "-content", "document.json", "-in", "signature.p7s",
            "-CAfile", root, "-purpose", "any", "-out", "refused.json");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.DoesNotContain("Verification successful", bad.All);
    }
}
