using Kiosk.Core.Eds;

namespace Kiosk.Central.Eds;

/// <summary>
/// The <c>Pki</c> configuration section (environment <c>Pki__TrustDirectory</c> and so on): where Central's trust anchors,
/// issuing CAs and CRLs live, and the limits of the verification API.
/// </summary>
public sealed class PkiOptions
{
    public const string Section = "Pki";

    /// <summary>
    /// The trust folder: <c>*.cer</c>/<c>*.crt</c>/<c>*.pem</c> certificates and <c>*.crl</c> CRLs, DER or PEM; a
    /// relative path is relative to the content root. Unset: Central starts, logs a warning, and the verification API
    /// answers <c>untrusted</c> for everything.
    /// </summary>
    public string? TrustDirectory { get; set; }

    /// <summary>The largest request body the verification API reads; larger ones get 413. Default 256 KiB.</summary>
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>What a CRL past its next update means for a verification (default: the certificate is not valid).</summary>
    public StaleCrlPolicy StaleCrl { get; set; } = StaleCrlPolicy.Reject;

    /// <summary>
    /// The oldest CMS signing-time relied on as the time of use (older ones: the certificate is checked as of now).
    /// Default 30 days; zero or negative relies on any signing-time.
    /// </summary>
    public TimeSpan SigningTimeMaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the folder must be quiet after a change before it is reloaded.</summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How often a verification may look at the folder's listing (names, sizes, times) and reload when it changed: the
    /// safety net for changes a file watcher misses (network shares, a folder created after start).
    /// </summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
