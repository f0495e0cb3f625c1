using Kiosk.Core.Slips;
using Kiosk.Node;
using Kiosk.Node.Slips;
using Microsoft.Extensions.Logging;

namespace Kiosk.Sync;

/// <summary>
/// Slip keys in each sync round (issue 6 item 1; docs/slips.md): makes sure Central has recorded the public half of
/// this kiosk's device key (so the receipts it signs verify with Central's JWKS), and keeps a copy of Central's JWKS
/// in the kiosk's file (<see cref="SlipKeyCache"/>), so staff can check slips at the kiosk when the network is down.
/// </summary>
public sealed partial class SlipKeysSync(
    CentralClient central, KioskDeviceKey deviceKey, KioskSettings settings, TimeProvider time, ILogger<SlipKeysSync> logger)
{
    /// <summary>How often the JWKS copy is refreshed.</summary>
    public static readonly TimeSpan JwksRefresh = TimeSpan.FromMinutes(10);

    private DateTimeOffset? _jwksAt;

    /// <summary>Null when done, else the failed call's problem code.</summary>
    public async Task<string?> SyncAsync(string credential, CancellationToken cancellationToken)
    {
        var jwk = deviceKey.Signer.Jwk;
        var recordedKey = KioskDeviceKey.RecordedPrefix + deviceKey.KioskId;
        if (settings.Get(recordedKey) != jwk.Kid)
        {
            var put = await central.PutJsonAsync(credential, "api/sync/device-key", new { jwk }, cancellationToken);
            if (!put.Ok) return put.Problem;
            settings.Set(time.GetUtcNow(), (recordedKey, jwk.Kid));
            LogRecorded(jwk.Kid);
        }

        var now = time.GetUtcNow();
        if (_jwksAt is { } at && now - at < JwksRefresh) return null;
        var jwks = await central.GetJsonAsync(credential, ".well-known/jwks.json", e =>
        {
            try { return SlipJwkSet.Parse(e.GetRawText()); }
            catch (FormatException) { return null; }
        }, cancellationToken);
        if (!jwks.Ok) return jwks.Problem;
        settings.Set(now, (SlipKeyCache.JwksSetting, jwks.Value!.ToJson()), (SlipKeyCache.JwksAtSetting, Kiosk.Storage.DapperTypeHandlers.Format(now)));
        _jwksAt = now;
        return null;
    }

    [LoggerMessage(LogLevel.Information, "Central recorded this kiosk's device key {Kid}")]
    private partial void LogRecorded(string kid);
}
