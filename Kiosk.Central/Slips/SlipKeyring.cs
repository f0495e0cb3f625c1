using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Kiosk.Core.Slips;
using Kiosk.Storage;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Slips;

public enum KioskKeyOutcome { Recorded, AlreadyKnown, TakenByAnother }

/// <summary>
/// The keys that sign slips (issue 6 item 1): the provider's ES256 key that signs results and refusals, with
/// rotation, and the kiosks' device keys that sign receipts. Publishes the JWKS. The provider's private keys are PEM
/// files in <see cref="SlipOptions.KeyDirectory"/> (created 0600); the database holds public keys only.
/// </summary>
public sealed partial class SlipKeyring(
    SqliteDatabase db, TimeProvider time, IOptions<SlipOptions> options, IOptions<StorageOptions> storage, ILogger<SlipKeyring> logger)
{
    private readonly ConcurrentDictionary<string, SlipSigner> _signers = new(StringComparer.Ordinal);
    private readonly Lock _creating = new();

    public string KeyDirectory => options.Value.KeyDirectory is { Length: > 0 } dir
        ? dir
        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storage.Value.DatabasePath)) ?? ".", "slip-keys");

    /// <summary>The provider key that signs now: the newest one whose time has come. Made on first use.</summary>
    public SlipSigner ProviderSigner()
    {
        var kid = CurrentProviderKid();
        if (kid is null)
        {
            lock (_creating)
            {
                kid = CurrentProviderKid() ?? CreateProviderKey(time.GetUtcNow()).Kid;
            }
        }
        return _signers.GetOrAdd(kid, LoadProviderKey);
    }

    /// <summary>
    /// A new provider key that signs from <paramref name="signsFrom"/> (now, or later so that checkers pick it up
    /// first). The key it replaces stays published for <see cref="SlipOptions.KeyRelevance"/>.
    /// </summary>
    public SlipJwk Rotate(DateTimeOffset signsFrom)
    {
        lock (_creating)
        {
            return CreateProviderKey(signsFrom);
        }
    }

    /// <summary>Records a kiosk's device key (its public half), sent by the kiosk when it enrolls or starts.</summary>
    public KioskKeyOutcome RecordKioskKey(string kioskId, SlipJwk jwk)
    {
        var issuer = SlipIssuers.Kiosk(kioskId);
        var published = jwk with { Issuer = issuer };
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var holder = c.QuerySingleOrDefault<string?>("SELECT issuer FROM slip_keys WHERE kid = @kid", new { kid = jwk.Kid }, tx);
        if (holder is not null) return holder == issuer ? KioskKeyOutcome.AlreadyKnown : KioskKeyOutcome.TakenByAnother;
        var now = time.GetUtcNow();
        c.Execute("""
            INSERT INTO slip_keys (kid, issuer, kiosk_id, public_jwk, signs_from, created_at)
            VALUES (@kid, @issuer, @kioskId, @jwk, @now, @now)
            """, new { kid = jwk.Kid, issuer, kioskId, jwk = JsonSerializer.Serialize(published, SlipJwkSet.Json), now }, tx);
        tx.Commit();
        LogKioskKey(kioskId, jwk.Kid);
        return KioskKeyOutcome.Recorded;
    }

    /// <summary>
    /// The JWK Set to publish: every key not withdrawn whose slips still matter (current and future keys, and former
    /// ones within <see cref="SlipOptions.KeyRelevance"/> of being replaced), and the kids of withdrawn keys and of
    /// revoked kiosks' keys.
    /// </summary>
    public SlipJwkSet Published()
    {
        var now = time.GetUtcNow();
        using var c = db.Open();
        var rows = c.Query<(string Kid, string PublicJwk, string? WithdrawnAt, string? KioskRevokedAt, string? SupersededAt)>("""
            SELECT k.kid, k.public_jwk, k.withdrawn_at, r.revoked_at,
                   LEAD(k.signs_from) OVER (PARTITION BY k.issuer ORDER BY k.signs_from) AS superseded_at
            FROM slip_keys k LEFT JOIN kiosks r ON r.kiosk_id = k.kiosk_id
            ORDER BY k.issuer, k.signs_from
            """);
        var keys = new List<SlipJwk>();
        var revoked = new List<string>();
        foreach (var r in rows)
        {
            if (r.WithdrawnAt is not null || r.KioskRevokedAt is not null) { revoked.Add(r.Kid); continue; }
            if (r.SupersededAt is { } s && DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) + options.Value.KeyRelevance < now) continue;
            keys.Add(JsonSerializer.Deserialize<SlipJwk>(r.PublicJwk, SlipJwkSet.Json)!);
        }
        return new SlipJwkSet { Keys = keys, Revoked = revoked };
    }

    private string? CurrentProviderKid()
    {
        using var c = db.Open();
        return c.QuerySingleOrDefault<string?>("""
            SELECT kid FROM slip_keys
            WHERE issuer = 'provider' AND withdrawn_at IS NULL AND signs_from <= @now
            ORDER BY signs_from DESC LIMIT 1
            """, new { now = time.GetUtcNow() });
    }

    private SlipJwk CreateProviderKey(DateTimeOffset signsFrom)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = SlipJwk.FromKey(key, SlipIssuers.Provider);
        Directory.CreateDirectory(KeyDirectory);
        var path = KeyPath(jwk.Kid);
        var temp = path + ".tmp";
        // The file is born readable by its owner only; written whole, then renamed, so a crash leaves no half key.
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temp, fileOptions))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        using var c = db.Open();
        c.Execute("""
            INSERT INTO slip_keys (kid, issuer, kiosk_id, public_jwk, signs_from, created_at)
            VALUES (@kid, 'provider', NULL, @jwk, @signsFrom, @now)
            """, new { kid = jwk.Kid, jwk = JsonSerializer.Serialize(jwk, SlipJwkSet.Json), signsFrom, now = time.GetUtcNow() });
        LogProviderKey(jwk.Kid, signsFrom);
        return jwk;
    }

    private SlipSigner LoadProviderKey(string kid)
    {
        var path = KeyPath(kid);
        if (!File.Exists(path))
            throw new InvalidOperationException($"The provider's slip key {kid} is recorded but its file {path} is missing (Slips:KeyDirectory).");
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        var signer = new SlipSigner(key, SlipIssuers.Provider);
        if (signer.Jwk.Kid != kid) throw new InvalidOperationException($"The file {path} does not hold the slip key {kid}.");
        return signer;
    }

    private string KeyPath(string kid) => Path.Combine(KeyDirectory, kid + ".pem");

    [LoggerMessage(LogLevel.Information, "New provider slip key {Kid} signs from {SignsFrom:o}")]
    private partial void LogProviderKey(string kid, DateTimeOffset signsFrom);

    [LoggerMessage(LogLevel.Information, "Kiosk {KioskId} registered its device key {Kid}")]
    private partial void LogKioskKey(string kioskId, string kid);
}
