using System.Globalization;
using System.Security.Claims;
using Kiosk.Core.Identity;

namespace Kiosk.Core.Staff;

/// <summary>Claims of a signed-in staff member, the same on Central and on the kiosk node.</summary>
public static class StaffClaims
{
    /// <summary>The organisation (BIN) the account works for.</summary>
    public const string Organisation = "staff-bin";

    /// <summary>When the session began (Unix seconds): it ends the node's longest session later, however busy.</summary>
    public const string SignedInAt = "staff-signed-in-at";

    /// <summary>A random id of this session (what the desk keeps for it, server-side, is filed under it).</summary>
    public const string Session = "staff-session";

    public static ClaimsPrincipal Principal(StaffAccount account, DateTimeOffset now, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Iin.Value),
            new(ClaimTypes.Name, account.Name),
            new(Organisation, account.Organisation.Value),
            new(SignedInAt, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            new(Session, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static Iin? IinOf(ClaimsPrincipal user) =>
        Iin.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var iin) ? iin : null;

    public static string? SessionOf(ClaimsPrincipal user) => user.FindFirstValue(Session);

    public static DateTimeOffset? SignedInAtOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(SignedInAt), NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : null;
}
