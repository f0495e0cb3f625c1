namespace Kiosk.Core.Staff;

/// <summary>
/// What a staff account may do (issue 12 item 1). <see cref="Registrar"/> serves citizens at the desk and reads the
/// clinic's journals (regulation diagram 2); <see cref="Operator"/> watches sync, the fleet, the survey and step times
/// and writes notices. One person may hold both. Stored and sent as a space-separated, sorted list.
/// </summary>
public static class StaffRoles
{
    public const string Operator = "operator";
    public const string Registrar = "registrar";

    public static IReadOnlyList<string> All { get; } = [Operator, Registrar];

    /// <summary>Reads "registrar,operator", "operator registrar" and the like; null when a name is unknown or none is given.</summary>
    public static IReadOnlySet<string>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var part in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var role = part.Trim().ToLowerInvariant();
            if (!All.Contains(role)) return null;
            roles.Add(role);
        }
        return roles.Count == 0 ? null : roles;
    }

    /// <summary>The stored form: known roles only, sorted, separated by one space.</summary>
    public static string Format(IEnumerable<string> roles) =>
        string.Join(' ', roles.Where(All.Contains).Distinct().Order(StringComparer.Ordinal));
}
