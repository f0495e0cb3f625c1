using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Cms;
using Kiosk.Core.Eds.Demo;

namespace Kiosk.Benchmarks;

/// <summary>
/// EDS checks per operation, next to the cheapest thing they contain: one bare RSA-2048 signature verification
/// (SHA-256, PKCS#1 v1.5). A certificate check builds the chain (two RSA signatures: issuing CA and leaf), looks up
/// the CRLs (their signatures are verified once and cached per trust snapshot) and reads the subject; a CMS
/// verification adds the signature over the signed attributes (checked by us and again by SignedCms) to a
/// certificate check. The demo CA is generated once in a temp folder.
/// </summary>
[MemoryDiagnoser]
public class EdsBenchmarks
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes(
        """{"format":"kiosk-request/1","service":"appointment","iin":"850314301201","slotId":42,"note":"Дәрігер керек"}""");

    private string _directory = "";
    private DemoCaResult _ca = null!;
    private CertificateChecker _checker = null!;
    private DetachedCmsVerifier _verifier = null!;
    private X509Certificate2 _authCertificate = null!;
    private byte[] _cms = [];
    private RSA _rsa = null!;
    private byte[] _rsaSignature = [];
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "kiosk-eds-bench-" + Guid.NewGuid().ToString("N")[..8]);
        _ca = DemoCa.Generate(new DemoCaOptions { OutputDirectory = _directory });
        _now = _ca.Manifest.GeneratedAt.AddMinutes(1);
        _checker = new CertificateChecker(TrustStore.LoadFromDirectory(_ca.TrustDirectory));
        _verifier = new DetachedCmsVerifier(_checker);

        using (var auth = Open("AUTH"))
            _authCertificate = X509CertificateLoader.LoadCertificate(auth.Certificate.RawData);
        using (var sign = Open("SIGN"))
        {
            var cms = new SignedCms(new ContentInfo(Document), detached: true);
            var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, sign.Certificate) { DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1") };
            signer.SignedAttributes.Add(new Pkcs9SigningTime(_now.UtcDateTime));
            cms.ComputeSignature(signer, silent: true);
            _cms = cms.Encode();
        }

        _rsa = RSA.Create(2048);
        _rsaSignature = _rsa.SignData(Document, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        if (!RsaVerify() || !CertificateCheckSignIn() || !CmsVerify())
            throw new InvalidOperationException("The benchmark inputs do not verify.");
    }

    private EdsKey Open(string keyType)
    {
        var entry = _ca.Manifest.Files.First(f => f.Case == "valid" && f.KeyType == keyType);
        return Pkcs12KeyFile.Open(File.ReadAllBytes(_ca.PathOf(entry)), _ca.Password).Key
               ?? throw new InvalidOperationException($"{entry.File} does not open");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ca.Dispose();
        _authCertificate.Dispose();
        _rsa.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Benchmark(Baseline = true)]
    public bool RsaVerify() => _rsa.VerifyData(Document, _rsaSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark]
    public bool CertificateCheckSignIn() => _checker.Check(_authCertificate, CertificatePurpose.SignIn, _now).Valid;

    [Benchmark]
    public bool CmsVerify()
    {
        var result = _verifier.Verify(Document, _cms, _now);
        result.SignerCertificate?.Dispose();
        return result.Valid;
    }
}
