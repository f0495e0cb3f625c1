namespace Kiosk.Web.Slips;

/// <summary>Configuration section <c>Slips</c> of the kiosk node (docs/slips.md).</summary>
public sealed class SlipOptions
{
    public const string Section = "Slips";

    /// <summary>
    /// The public verification page a slip's QR code opens, the token following after <c>#</c> (environment
    /// <c>Slips__VerifyUrl</c>). Default: Central's <c>/verify</c> (<c>Central:BaseUrl</c>).
    /// </summary>
    public Uri? VerifyUrl { get; set; }
}
