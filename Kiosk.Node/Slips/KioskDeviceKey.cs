using System.Security.Cryptography;
using Dapper;
using Kiosk.Core.Slips;
using Kiosk.Storage;

namespace Kiosk.Node.Slips;

/// <summary>
/// The kiosk's own device key (issue 6 item 1): a P-256 key that signs this kiosk's receipts, made once on first use
/// and kept in <c>kiosk_settings</c> (the kiosk's disk, like its Central credential; never logged or shown). The kiosk
/// node and its sync worker share it through the file: whichever comes first makes it, the other reads that one. The
/// worker sends its public half to Central, which publishes it in the JWKS.
/// </summary>
public sealed class KioskDeviceKey(SqliteDatabase db, KioskIdentity identity, TimeProvider time)
{
    /// <summary>Followed by the kiosk id: the device key's PKCS#8, base64.</summary>
    public const string SettingPrefix = "slips.device_key:";

    /// <summary>Followed by the kiosk id: the kid Central last confirmed it has recorded.</summary>
    public const string RecordedPrefix = "slips.device_key_recorded:";

    private readonly Lazy<SlipSigner> _signer = new(() => Load(db, identity.KioskId, time));

    public string KioskId => identity.KioskId;

    public SlipSigner Signer => _signer.Value;

    private static SlipSigner Load(SqliteDatabase db, string kioskId, TimeProvider time)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var key = SettingPrefix + kioskId;
        var stored = KioskSettings.Get(key, c, tx);
        if (stored is null)
        {
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            c.Execute("""
                INSERT INTO kiosk_settings (key, value, updated_at) VALUES (@key, @value, @now) ON CONFLICT (key) DO NOTHING
                """, new { key, value = Convert.ToBase64String(fresh.ExportPkcs8PrivateKey()), now = time.GetUtcNow() }, tx);
            stored = KioskSettings.Get(key, c, tx)!;
        }
        tx.Commit();
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(stored), out _);
        return new SlipSigner(ecdsa, SlipIssuers.Kiosk(kioskId));
    }
}
