using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Cms;
using Kiosk.Core.Eds.Demo;

namespace Kiosk.Tests.Eds.Cms;

[Collection(DemoCaCollection.Name)]
public class SignerTests(DemoCaFixture fx)
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("{\"version\":1,\"note\":\"қол қою\"}");
    private static readonly DateTimeOffset At = new(2026, 11, 25, 4, 12, 9, 987, TimeSpan.Zero);

    private DemoCaEntry RsaSigning => fx.Manifest.Files.First(f => f.Case == "valid" && f.KeyType == "SIGN");
    private DemoCaEntry EcdsaSigning => fx.One("ecdsa-p256", "SIGN");

    private static X509Certificate2 IssuerIn(EdsKey key) =>
        key.ExtraCertificates.Single(c => c.SubjectName.RawData.AsSpan().SequenceEqual(key.Certificate.IssuerName.RawData));

    private static SignedCms Decode(byte[] content, byte[] signature)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        cms.Decode(signature);
        return cms;
    }

    private static T Attribute<T>(SignerInfo info) where T : AsnEncodedData =>
        info.SignedAttributes.Cast<CryptographicAttributeObject>().SelectMany(a => a.Values.Cast<AsnEncodedData>()).OfType<T>().Single();

    [Theory]
    [InlineData(false, "1.2.840.113549.1.1.1")]  // rsaEncryption: PKCS#1 v1.5
    [InlineData(true, "1.2.840.10045.4.3.2")]    // ecdsa-with-SHA256
    public void A_detached_SHA256_SignedData_with_certificates_and_signed_attributes(bool ecdsa, string signatureAlgorithm)
    {
        using var key = fx.Open(ecdsa ? EcdsaSigning : RsaSigning);
        var issuer = IssuerIn(key);
        var signature = DetachedCmsSigner.Sign(Content, key.Certificate, At, issuer);

        // DER all the way down: a strict DER reader takes the whole thing.
        var reader = new AsnReader(signature, AsnEncodingRules.DER);
        reader.ReadEncodedValue();
        reader.ThrowIfNotEmpty();

        var cms = Decode(Content, signature);
        Assert.True(cms.Detached);
        Assert.Equal(DetachedCmsSigner.DataContentTypeOid, cms.ContentInfo.ContentType.Value);
        var info = Assert.Single(cms.SignerInfos.Cast<SignerInfo>());
        Assert.Equal(SubjectIdentifierType.IssuerAndSerialNumber, info.SignerIdentifier.Type);
        Assert.Equal(DetachedCmsSigner.Sha256Oid, info.DigestAlgorithm.Value);
        Assert.Equal(signatureAlgorithm, info.SignatureAlgorithm.Value);
        Assert.Equal(key.Certificate.RawData, info.Certificate!.RawData);
        Assert.Equal(new[] { key.Certificate.Thumbprint, issuer.Thumbprint }.Order(), cms.Certificates.Select(c => c.Thumbprint).Order());

        Assert.Equal(SHA256.HashData(Content), Attribute<Pkcs9MessageDigest>(info).MessageDigest);
        Assert.Equal(DetachedCmsSigner.DataContentTypeOid, Attribute<Pkcs9ContentType>(info).ContentType.Value);
        Assert.Equal(new DateTime(2026, 11, 25, 4, 12, 9, DateTimeKind.Utc), Attribute<Pkcs9SigningTime>(info).SigningTime);
        info.CheckSignature(verifySignatureOnly: true);
    }

    [Fact]
    public void Without_an_issuing_CA_only_the_signer_certificate_is_embedded()
    {
        using var key = fx.Open(RsaSigning);
        var cms = Decode(Content, DetachedCmsSigner.Sign(Content, key.Certificate, At));
        Assert.Equal(key.Certificate.RawData, Assert.Single(cms.Certificates).RawData);
    }

    [Fact]
    public void A_changed_byte_of_the_content_fails_the_check()
    {
        using var key = fx.Open(RsaSigning);
        var signature = DetachedCmsSigner.Sign(Content, key.Certificate, At);
        var changed = Content.ToArray();
        changed[^3] ^= 0x01;
        Assert.Throws<CryptographicException>(() => Decode(changed, signature).SignerInfos[0].CheckSignature(verifySignatureOnly: true));
    }

    [Fact]
    public void The_signing_time_comes_from_the_time_provider_in_whole_seconds()
    {
        using var key = fx.Open(EcdsaSigning);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(At.ToOffset(TimeSpan.FromHours(5)));
        var info = Decode(Content, DetachedCmsSigner.Sign(Content, key.Certificate, clock)).SignerInfos[0];
        Assert.Equal(DetachedCmsSigner.SigningTimeFor(At).UtcDateTime, Attribute<Pkcs9SigningTime>(info).SigningTime);
        Assert.Equal(0, DetachedCmsSigner.SigningTimeFor(At).Millisecond);
    }

    [Fact]
    public void A_certificate_without_its_key_or_a_time_outside_UTCTime_is_refused()
    {
        using var key = fx.Open(RsaSigning);
        using var publicOnly = X509CertificateLoader.LoadCertificate(key.Certificate.RawData);
        Assert.Throws<ArgumentException>(() => DetachedCmsSigner.Sign(Content, publicOnly, At));
        Assert.Throws<ArgumentOutOfRangeException>(() => DetachedCmsSigner.Sign(Content, key.Certificate, new DateTimeOffset(2050, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Openssl_verifies_the_signature_against_the_demo_root_and_fails_on_a_changed_byte(bool ecdsa)
    {
        using var key = fx.Open(ecdsa ? EcdsaSigning : RsaSigning);
        var dir = fx.NewTempDirectory("cms-openssl");
        File.WriteAllBytes(Path.Combine(dir, "document.json"), Content);
        File.WriteAllBytes(Path.Combine(dir, "signature.p7s"), DetachedCmsSigner.Sign(Content, key.Certificate, DateTimeOffset.UtcNow, IssuerIn(key)));
        var root = Path.Combine(fx.Ca.OutputDirectory, "ca", "root-ca.pem");

        var ok = OpenSsl.TryRun(dir, "cms", "-verify", "-binary", "-inform", "DER", "-content", "document.json", "-in", "signature.p7s",
            "-CAfile", root, "-purpose", "any", "-out", "verified.out");
        Assert.True(ok.ExitCode == 0, ok.All);
        Assert.Contains("Verification successful", ok.All);
        Assert.Equal(Content, File.ReadAllBytes(Path.Combine(dir, "verified.out")));

        var changed = Content.ToArray();
        changed[5] ^= 0x20;
        File.WriteAllBytes(Path.Combine(dir, "changed.json"), changed);
        var bad = OpenSsl.TryRun(dir, "cms", "-verify", "-binary", "-inform", "DER", "-content", "changed.json", "-in", "signature.p7s",
            "-CAfile", root, "-purpose", "any", "-out", "changed.out");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.DoesNotContain("Verification successful", bad.All);
    }
}
