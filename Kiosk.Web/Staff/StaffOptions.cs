using System.ComponentModel.DataAnnotations;

namespace Kiosk.Web.Staff;

/// <summary>
/// Configuration section <c>Staff</c> of the kiosk node (issue 12 item 1; docs/staff.md): the staff sign-in and its
/// session. Who may sign in is not configured here: the staff accounts come from Central's staff register through the
/// sync worker (<c>GET /api/sync/staff</c>).
/// </summary>
public sealed class StaffSessionOptions
{
    public const string Section = "Staff";

    /// <summary>A staff session ends after this long without a request (regulation's desk: 10 minutes).</summary>
    [Range(1, 120)]
    public int IdleMinutes { get; set; } = 10;

    /// <summary>And this long after sign-in, however busy (a shift).</summary>
    [Range(1, 24)]
    public int MaxSessionHours { get; set; } = 12;

    /// <summary>Wrong passwords in a row that lock an account at this node, and for how long.</summary>
    [Range(1, 100)]
    public int MaxFailures { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Failed sign-ins from one address within <see cref="AddressWindowMinutes"/> (any IIN, known or not) before
    /// that address waits <see cref="AddressCooldownMinutes"/>: the guard against guessing across accounts.</summary>
    [Range(1, 1000)]
    public int AddressMaxFailures { get; set; } = 20;

    [Range(1, 24 * 60)]
    public int AddressWindowMinutes { get; set; } = 10;

    [Range(1, 24 * 60)]
    public int AddressCooldownMinutes { get; set; } = 15;

    /// <summary>Null: the staff cookie is Secure outside Development. False only for a demo on plain HTTP over loopback.</summary>
    public bool? SecureCookies { get; set; }
}

/// <summary>Configuration section <c>Operators</c> of the kiosk node (issue 4 item 6): when the status page says "online".</summary>
public sealed class OperatorOptions
{
    public const string Section = "Operators";

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
