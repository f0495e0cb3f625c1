using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;

namespace Kiosk.Tests.Eds;

/// <summary>Certificates the demo CA does not ship, signed with its issuing key for the occasion.</summary>
[Collection(DemoCaCollection.Name)]
public class UnusualCertificateTests(DemoCaFixture fx)
{
    private static readonly Iin Someone = Iin.Create(new DateOnly(1991, 5, 20), Sex.Male, 55);

    private static CertificateRequest Request(AsymmetricAlgorithm key, HashAlgorithmName hash, bool withUsage = true, bool withEku = true)
    {
        var name = DemoCa.SubjectOf(new DemoCa.Holder(Someone.Value, "ТЕСТОВ", "ТЕСТ", "ТЕСТОВИЧ"));
        var publicKey = key is RSA rsa ? new PublicKey(rsa) : new PublicKey((ECDsa)key);
        var request = new CertificateRequest(name, publicKey, hash, RSASignaturePadding.Pkcs1);
        if (withUsage) request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (withEku) request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CertificateChecker.ClientAuthOid)], false));
        return request;
    }

    private CertificateCheckResult Issue(CertificateRequest request, X509SignatureGenerator? generator = null)
    {
        using var cert = fx.Ca.Issue(DemoCrlIssuer.Issuing, request, fx.Now.AddDays(-1), fx.Now.AddDays(30), generator);
        return fx.Checker().Check(cert, CertificatePurpose.SignIn, fx.Now);
    }

    [Fact]
    public void A_plain_certificate_signed_with_SHA384_is_valid()
    {
        using var key = RSA.Create(2048);
        var result = Issue(Request(key, HashAlgorithmName.SHA384),
            X509SignatureGenerator.CreateForRSA(fx.Ca.KeyOf(DemoCrlIssuer.Issuing), RSASignaturePadding.Pkcs1));
        Assert.True(result.Valid, string.Join("; ", result.Problems));
        Assert.Equal(Someone, result.Subject.Iin);
    }

    [Fact]
    public void A_certificate_signed_with_SHA1_is_refused_as_an_unsupported_algorithm()
    {
        using var key = RSA.Create(2048);
        var result = Issue(Request(key, HashAlgorithmName.SHA1), new Sha1RsaGenerator(fx.Ca.KeyOf(DemoCrlIssuer.Issuing)));
        Assert.Equal([EdsProblemCodes.UnsupportedAlgorithm], result.Codes);
        Assert.Contains("sha1", result.Problems[0].Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_ECDSA_P384_citizen_key_is_unsupported()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Equal([EdsProblemCodes.UnsupportedAlgorithm], Issue(Request(key, HashAlgorithmName.SHA256)).Codes);
    }

    [Fact]
    public void A_certificate_without_key_usage_or_extended_key_usage_fits_no_purpose()
    {
        using var key = RSA.Create(2048);
        Assert.Equal([EdsProblemCodes.WrongKeyUsage], Issue(Request(key, HashAlgorithmName.SHA256, withUsage: false)).Codes);
        Assert.Equal([EdsProblemCodes.WrongKeyUsage], Issue(Request(key, HashAlgorithmName.SHA256, withEku: false)).Codes);
    }

    [Fact]
    public void An_unknown_critical_extension_makes_the_certificate_untrusted()
    {
        using var key = RSA.Create(2048);
        var request = Request(key, HashAlgorithmName.SHA256);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteNull();
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.55555.1", writer.Encode(), critical: true));
        var result = Issue(request);
        Assert.Equal([EdsProblemCodes.Untrusted], result.Codes);
        Assert.Contains("HasNotSupportedCriticalExtension", result.Problems[0].Detail);
    }

    [Fact]
    public void A_self_signed_citizen_certificate_is_untrusted_even_when_someone_put_it_in_the_trust_folder()
    {
        using var key = RSA.Create(2048);
        var request = Request(key, HashAlgorithmName.SHA256);
        using var cert = request.Create(request.SubjectName, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1),
            fx.Now.AddDays(-1), fx.Now.AddDays(30), [1, 2, 3]);
        using var publicOnly = X509CertificateLoader.LoadCertificate(cert.RawData);
        Assert.Equal([EdsProblemCodes.Untrusted], fx.Checker().Check(publicOnly, CertificatePurpose.SignIn, fx.Now).Codes);
        var store = TrustStore.Create([.. fx.Trust.Anchors, .. fx.Trust.Intermediates, publicOnly], fx.Trust.Crls);
        Assert.Equal(2, store.Anchors.Count);
        Assert.Equal([EdsProblemCodes.Untrusted], new CertificateChecker(store).Check(publicOnly, CertificatePurpose.SignIn, fx.Now).Codes);
    }
}

/// <summary>.NET will not sign certificates with SHA-1 any more; a CA that still does is simulated here.</summary>
internal sealed class Sha1RsaGenerator(RSA key) : X509SignatureGenerator
{
    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.1.5"); // sha1WithRSAEncryption
            writer.WriteNull();
        }
        return writer.Encode();
    }

#pragma warning disable CA5350 // the point of the test is a weak algorithm
    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
        key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
#pragma warning restore CA5350

    protected override PublicKey BuildPublicKey() => new(key);
}
