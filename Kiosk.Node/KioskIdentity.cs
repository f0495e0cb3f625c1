using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Kiosk.Node;

/// <summary>
/// The kiosk's id at Central, written into every request document (<c>kioskId</c>): the configuration key
/// <c>Sync:KioskId</c> (environment <c>Sync__KioskId</c>), set when the kiosk is provisioned or enrolled (issue 4
/// item 2). Until then the node uses <see cref="Default"/>. A value that a request document would refuse stops the
/// node at start rather than at the first signature.
/// </summary>
public sealed partial class KioskIdentity
{
    public const string ConfigurationKey = "Sync:KioskId";

    /// <summary>The id of a kiosk that is not enrolled at Central yet.</summary>
    public const string Default = "kiosk-local";

    public KioskIdentity(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey]?.Trim();
        KioskId = string.IsNullOrEmpty(configured) ? Default : configured;
        if (!IsValid(KioskId))
            throw new InvalidOperationException(
                $"{ConfigurationKey} must be 1 to 64 of A-Z a-z 0-9 . _ - starting with a letter or digit.");
    }

    public string KioskId { get; }

    /// <summary>Whether <paramref name="kioskId"/> is a kiosk id a request document and Central accept.</summary>
    public static bool IsValid(string? kioskId) => kioskId is not null && Pattern().IsMatch(kioskId);

    // The request document's rule for kioskId (docs/request-document.md).
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
