using System.ComponentModel.DataAnnotations;
using Kiosk.Core.Eds;

namespace Kiosk.Web.SignIn;

/// <summary>
/// Configuration section <c>Pki</c> of the kiosk (environment <c>Pki__TrustDirectory</c> and so on): where the trust
/// list and CRLs are, and how strict the node is about an out-of-date CRL.
/// </summary>
public sealed class PkiOptions
{
    public const string Section = "Pki";

    /// <summary>
    /// The folder with the trust anchors, issuing CAs and CRLs (<c>*.cer</c>/<c>*.crt</c>/<c>*.pem</c>, <c>*.crl</c>;
    /// DER or PEM). Unset or missing: the node starts, and sign-in says that EDS cannot be checked.
    /// </summary>
    public string? TrustDirectory { get; set; }

    /// <summary>What a CRL past its next update means at sign-in: <c>Reject</c> (default) or <c>Warn</c>.</summary>
    public StaleCrlPolicy StaleCrl { get; set; } = StaleCrlPolicy.Reject;

    /// <summary>How long the folder must stay quiet after a change before it is read again (a copy writes several files).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often a check may look at the folder's listing for a change the watcher missed, or for a folder that has
    /// appeared (the same key as Central's).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Configuration section <c>SignIn</c>: failed-attempt throttling and the signed-in session's lifetime.</summary>
public sealed class SignInOptions
{
    public const string Section = "SignIn";

    /// <summary>Failed attempts allowed within <see cref="FailureWindowMinutes"/> before attempts are refused.</summary>
    [Range(1, 1000)]
    public int MaxFailures { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int FailureWindowMinutes { get; set; } = 10;

    /// <summary>How long attempts are refused once the limit is reached.</summary>
    [Range(1, 24 * 60)]
    public int CooldownMinutes { get; set; } = 10;

    /// <summary>A signed-in session with no request for this long is ended (the page's idle timer ends it far sooner).</summary>
    [Range(1, 24 * 60)]
    public int SessionIdleMinutes { get; set; } = 10;
}
