namespace Kiosk.Core.Notices;

/// <summary>
/// A clinic's own web site, the one place a notice may link to (docs/notices.md "Links"): an absolute <c>https</c>
/// address on the default port, with a host name and no user name or password in it. Links in a notice must have the
/// same host (compared without case, as DNS does; an internationalised name as its punycode).
/// </summary>
public static class ClinicWebsite
{
    /// <summary>The longest web site address Central keeps for a clinic.</summary>
    public const int MaxLength = 200;

    /// <summary>The site as an absolute URI, or null when <paramref name="text"/> is not a usable clinic web site.</summary>
    public static Uri? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength) return null;
        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && IsSafeHttps(uri) ? uri : null;
    }

    /// <summary>The host a notice's links must have (lower case, punycode), or null for no usable site.</summary>
    public static string? HostOf(string? website) => Parse(website) is { } uri ? Host(uri) : null;

    /// <summary>The hosts of the given sites that are usable (null and bad entries are left out).</summary>
    public static IReadOnlySet<string> Hosts(IEnumerable<string?> websites) =>
        websites.Select(HostOf).OfType<string>().ToHashSet(StringComparer.Ordinal);

    internal static string Host(Uri uri) => uri.IdnHost.ToLowerInvariant();

    /// <summary>https, a DNS host name (not an address), the default port, no user information.</summary>
    internal static bool IsSafeHttps(Uri uri) =>
        uri.IsAbsoluteUri
        && uri.Scheme == Uri.UriSchemeHttps
        && uri.HostNameType == UriHostNameType.Dns
        && uri.IdnHost.Contains('.', StringComparison.Ordinal)
        && uri.IsDefaultPort
        && string.IsNullOrEmpty(uri.UserInfo);
}
