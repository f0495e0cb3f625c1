using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Kiosk.Core.Slips;
using Kiosk.Web.Slips;

namespace Kiosk.Benchmarks;

/// <summary>
/// Slips (issue 6): signing a slip token (minified claims, raw DEFLATE, ES256 compact JWS) and verifying it against a
/// JWKS (parse, kid lookup, ES256 verify, capped inflate, claims), each next to the bare P-256 ECDSA operation on the
/// same signing input; and rendering the slip's QR code (QRCoder, error correction M) to the printer-sized SVG.
/// </summary>
[MemoryDiagnoser]
public class SlipBenchmarks
{
    private ECDsa _key = null!;
    private SlipSigner _signer = null!;
    private SlipJwkSet _keys = null!;
    private SlipClaims _claims = null!;
    private string _token = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;
    private string _qrText = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signer = new SlipSigner(_key, SlipIssuers.Provider);
        _keys = new SlipJwkSet { Keys = [_signer.Jwk] };
        _claims = new SlipClaims
        {
            Issuer = SlipIssuers.Provider, IssuedAt = 1_795_000_000, Kind = SlipKinds.Result,
            RequestId = "3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c", RegistrationNumber = "HC-20261126-000123", Service = "home-call",
            ClinicId = 3, At = "2026-11-26T14:00", Until = "18:00", Decision = "accepted", Deadline = "2026-11-26",
            MaskedIin = "******312017", Initials = "Ж. А. С.",
        };
        _token = _signer.Sign(_claims);
        var parts = _token.Split('.');
        _signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        _signature = _key.SignData(_signingInput, HashAlgorithmName.SHA256);
        _qrText = "https://central.example.kz/verify#" + _token;
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark(Baseline = true, Description = "bare P-256 ECDSA sign (baseline)")]
    public byte[] BareSign() => _key.SignData(_signingInput, HashAlgorithmName.SHA256);

    [Benchmark(Description = "sign a slip token (claims → JSON → DEFLATE → ES256 JWS)")]
    public string SignToken() => _signer.Sign(_claims);

    [Benchmark(Description = "bare P-256 ECDSA verify")]
    public bool BareVerify() => _key.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256);

    [Benchmark(Description = "verify a slip token against a JWKS")]
    public bool VerifyToken() => SlipToken.Verify(_token, _keys).Valid;

    [Benchmark(Description = "render the slip's QR code (QRCoder, ECC M) as printer-sized SVG")]
    public int RenderQr() => SlipQrCode.Render(_qrText, "QR").Svg.Length;
}
