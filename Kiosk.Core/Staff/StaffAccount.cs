using Kiosk.Core.Identity;

namespace Kiosk.Core.Staff;

/// <summary>
/// A member of the provider's staff as the staff register holds them (issue 12 item 1): identified by their IIN (the
/// regulation's diagram 2, process 1: "the employee enters IIN and password"), working for an organisation named by
/// its BIN (a clinic, or the provider itself), with roles. <see cref="PasswordHash"/> is an ASP.NET Core Identity
/// PasswordHasher hash (<see cref="StaffPasswords"/>), never a password; null for a disabled account as kiosks get it.
/// </summary>
public sealed record StaffAccount(Iin Iin, string Name, Bin Organisation, IReadOnlySet<string> Roles, string? PasswordHash, bool Disabled)
{
    public const int MaxNameLength = 200;

    public bool Holds(string role) => Roles.Contains(role);

    /// <summary>The account without its IIN and name, for a log line.</summary>
    public override string ToString() => $"StaffAccount {{ Roles = {StaffRoles.Format(Roles)}, Disabled = {Disabled} }}";
}
