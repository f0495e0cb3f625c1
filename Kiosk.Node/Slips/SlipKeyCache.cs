using Kiosk.Core.Slips;

namespace Kiosk.Node.Slips;

/// <summary>
/// The issuers' public keys as this kiosk knows them, for checking slips offline (issue 6 item 4): the copy of
/// Central's JWKS the sync worker keeps in <c>kiosk_settings</c>, plus the kiosk's own device key (so its receipts
/// check even before the first copy arrived).
/// </summary>
public sealed class SlipKeyCache(KioskSettings settings, KioskDeviceKey deviceKey)
{
    /// <summary>The JWKS copy (JSON), written by the sync worker.</summary>
    public const string JwksSetting = "slips.jwks";

    /// <summary>When the copy was last written (UTC ISO 8601).</summary>
    public const string JwksAtSetting = "slips.jwks_at";

    public SlipJwkSet Keys()
    {
        SlipJwkSet cached;
        try
        {
            cached = settings.Get(JwksSetting) is { } json ? SlipJwkSet.Parse(json) : new SlipJwkSet();
        }
        catch (FormatException)
        {
            cached = new SlipJwkSet();
        }
        var own = deviceKey.Signer.Jwk;
        return cached.Keys.Any(k => k.Kid == own.Kid) || cached.Revoked.Contains(own.Kid)
            ? cached
            : cached with { Keys = [.. cached.Keys, own] };
    }

    public DateTimeOffset? CachedAt() =>
        settings.Get(JwksAtSetting) is { } at && DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}
