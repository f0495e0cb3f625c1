using Dapper;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Node;

/// <summary>
/// Small facts about this node in <c>kiosk_settings</c> (migration 0001), one row per key: the sync worker's pull
/// cursor and what it last saw of Central (the status page and heartbeats read them; the worker is another process),
/// and the credential the kiosk got by enrolling (a secret: never logged or shown). Never personal data.
/// </summary>
public sealed class KioskSettings
{
    /// <summary>The cursor of <c>GET /api/sync/decisions</c>, written with the decisions it covers.</summary>
    public const string DecisionsCursor = "sync.decisions.cursor";

    /// <summary>When a push last got Central's answer (UTC ISO 8601).</summary>
    public const string LastPushAt = "sync.last_push_at";

    /// <summary>When a pull of decisions last got Central's answer (UTC ISO 8601).</summary>
    public const string LastPullAt = "sync.last_pull_at";

    /// <summary>The kiosk's clock minus Central's, in seconds, as last measured from a push answer's <c>serverTime</c>.</summary>
    public const string ClockSkewSeconds = "sync.clock_skew_seconds";

    /// <summary>When the clock skew was last measured (UTC ISO 8601).</summary>
    public const string ClockCheckedAt = "sync.clock_checked_at";

    /// <summary>When any call of the sync worker last got Central's answer (UTC ISO 8601): the staff page's "online".</summary>
    public const string LastContactAt = "sync.last_contact_at";

    /// <summary>The problem code of the sync worker's last failed round (<c>unreachable</c>, <c>timeout</c>, <c>http-401</c>, …).</summary>
    public const string LastError = "sync.last_error";

    /// <summary>When <see cref="LastError"/> happened (UTC ISO 8601).</summary>
    public const string LastErrorAt = "sync.last_error_at";

    /// <summary>The sync worker's clock-skew warning threshold in seconds (its <c>Sync:ClockSkewWarning</c>), written with each measurement.</summary>
    public const string ClockSkewLimitSeconds = "sync.clock_skew_limit_seconds";

    /// <summary>Followed by the kiosk id: the credential Central gave this kiosk when it enrolled with a one-time code.</summary>
    public const string CredentialPrefix = "sync.credential:";

    private readonly SqliteDatabase _db;

    public KioskSettings(SqliteDatabase db)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        DapperTypeHandlers.Register();
    }

    public string? Get(string key)
    {
        using var connection = _db.Open();
        return Get(key, connection, null);
    }

    public static string? Get(string key, SqliteConnection connection, SqliteTransaction? transaction) =>
        connection.QuerySingleOrDefault<string?>("SELECT value FROM kiosk_settings WHERE key = @key", new { key }, transaction);

    /// <summary>Sets several keys in one transaction of their own.</summary>
    public void Set(DateTimeOffset now, params (string Key, string Value)[] values)
    {
        using var connection = _db.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var (key, value) in values) Set(key, value, now, transaction);
        transaction.Commit();
    }

    /// <summary>Sets one key inside the caller's transaction.</summary>
    public static void Set(string key, string value, DateTimeOffset now, SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction has ended.", nameof(transaction));
        connection.Execute("""
            INSERT INTO kiosk_settings (key, value, updated_at) VALUES (@key, @value, @now)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, new { key, value, now = now.ToUniversalTime() }, transaction);
    }
}
