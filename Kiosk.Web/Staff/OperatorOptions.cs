using System.ComponentModel.DataAnnotations;

namespace Kiosk.Web.Staff;

/// <summary>
/// Configuration section <c>Operators</c> of the kiosk node (issue 4 item 6): the staff accounts and their session.
/// <c>Operators:Accounts:&lt;name&gt;</c> is a password hash made by ASP.NET Core Identity's <c>PasswordHasher</c>
/// (<c>Kiosk.Web hash-password</c> prints one), never a password: the configuration holds no usable secret.
/// </summary>
public sealed class OperatorOptions
{
    public const string Section = "Operators";

    /// <summary>Operator name → its password hash. Empty: nobody can sign in to the staff page (only the monitoring token reads the status).</summary>
    public Dictionary<string, string> Accounts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long an operator's session lasts from sign-in (not extended by use).</summary>
    [Range(1, 8 * 60)]
    public int SessionMinutes { get; set; } = 15;

    /// <summary>Failed sign-ins allowed for one operator name (and, separately, from one address) within
    /// <see cref="FailureWindowMinutes"/> before sign-ins are refused for <see cref="CooldownMinutes"/>.</summary>
    [Range(1, 1000)]
    public int MaxFailures { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int FailureWindowMinutes { get; set; } = 10;

    [Range(1, 24 * 60)]
    public int CooldownMinutes { get; set; } = 15;

    /// <summary>Central counts as reached ("online") when the sync worker last got its answer at most this long ago;
    /// keep it above <c>Sync:PollInterval</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan OnlineWindow { get; set; } = TimeSpan.FromMinutes(3);
}

/// <summary>Configuration section <c>Monitoring</c>: <c>Monitoring:Token</c> (environment <c>Monitoring__Token</c>) is
/// the bearer token a monitoring system sends for <c>/api/sync/status</c> and <c>/metrics</c>. Unset: only an
/// operator's session reads them.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    public string? Token { get; set; }
}
