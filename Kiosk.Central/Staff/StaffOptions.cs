using System.ComponentModel.DataAnnotations;

namespace Kiosk.Central.Staff;

/// <summary>
/// Configuration section <c>Staff</c> of Central (issue 12 item 1; docs/staff.md): the provider's own BIN (its
/// operators may sign in at every kiosk node), and Central's staff sign-in: idle sign-out, the longest session, the
/// lockout after wrong passwords, and whether the cookie is Secure (by default everywhere but Development).
/// </summary>
public sealed class StaffOptions
{
    public const string Section = "Staff";

    /// <summary>The provider's BIN (the city health department). Operators of this BIN are sent to every kiosk node.</summary>
    public string? ProviderBin { get; set; }

    [Range(1, 120)]
    public int IdleMinutes { get; set; } = 10;

    [Range(1, 24)]
    public int MaxSessionHours { get; set; } = 12;

    [Range(1, 100)]
    public int MaxFailures { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Null: Secure outside Development. Set false only for a demo on plain HTTP over loopback.</summary>
    public bool? SecureCookies { get; set; }
}
