using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Kiosk.Core.Eds.Cms;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;

namespace Kiosk.Benchmarks;

/// <summary>
/// Signing a request document (serialise + detached CMS SignedData, RSA-2048, SHA-256, signing-time, certificate
/// embedded) against the bare RSA-2048 PKCS#1 v1.5 signature of the same bytes: what the CMS wrapping costs.
/// The certificate is a self-signed stand-in; the checker is not part of either side.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private RSA _rsa = null!;
    private X509Certificate2 _certificate = null!;
    private RequestDocument _document = null!;
    private byte[] _bytes = null!;
    private readonly DateTimeOffset _at = new(2026, 11, 25, 4, 12, 9, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        _rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=BENCH CITIZEN, SERIALNUMBER=IIN850314312017, C=KZ", _rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(_at.AddDays(-1), _at.AddYears(1));
        _document = new RequestDocument(Guid.Parse("3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c"), Iin.Parse("850314312017"),
            "ЖҰМАБЕКОВ АСХАТ СЕРІКҰЛЫ", _at, "kiosk-001", "kk",
            new HomeCallDetails("Астана, Сарыарқа ауданы, Бейбітшілік к-сі, 12-үй, 34-пәтер", "+77011234567", HomeCallReasons.Fever, "Температура 38,7"));
        _bytes = _document.ToUtf8Json();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _certificate.Dispose();
        _rsa.Dispose();
    }

    [Benchmark(Baseline = true)]
    public byte[] RsaSignData() => _rsa.SignData(_bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark]
    public byte[] SignRequestDocument() => DetachedCmsSigner.Sign(_document.ToUtf8Json(), _certificate, _at);
}
