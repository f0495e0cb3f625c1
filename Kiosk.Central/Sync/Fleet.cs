using System.ComponentModel;
using Dapper;
using Kiosk.Storage;

namespace Kiosk.Central.Sync;

/// <summary>What a kiosk reports about itself every few minutes (issue 4 items 4 and 6).</summary>
/// <param name="KioskTime">The kiosk's clock when it sent this: Central measures the skew with it.</param>
public sealed record HeartbeatRequest(
    [property: Description("Requests in the kiosk's outbox not yet delivered")] int? OutboxDepth,
    [property: Description("Age of the oldest undelivered request, seconds")] long? OldestPendingSeconds,
    [property: Description("Requests Central rejected for good, waiting for an operator")] int? DeadLetters,
    [property: Description("The kiosk's app version")] string? Version,
    [property: Description("Free disk space beside the kiosk's database, bytes")] long? FreeDiskBytes,
    DateTimeOffset? KioskTime);

/// <param name="ClockSkewSeconds">The kiosk's clock minus Central's, as measured now (null without KioskTime).</param>
public sealed record HeartbeatAnswer(DateTimeOffset ServerTime, double? ClockSkewSeconds);

/// <summary>One kiosk on the fleet page (<c>GET /api/fleet</c>).</summary>
/// <param name="ClinicId">The clinic whose lobby the kiosk serves (its staff sign in there); null when not set.</param>
public sealed record FleetKiosk(
    string KioskId, string Name, bool Enrolled, bool Revoked, DateTimeOffset? LastHeartbeatAt, int? OutboxDepth,
    long? OldestPendingSeconds, int? DeadLetters, string? Version, long? FreeDiskBytes, double? ClockSkewSeconds, long? ClinicId = null);

public sealed record FleetAnswer(IReadOnlyList<FleetKiosk> Kiosks, DateTimeOffset ServerTime);

/// <summary>The heartbeat figures of the kiosk register: written by each kiosk, read by operators and monitoring.</summary>
public sealed class Fleet(SqliteDatabase db, TimeProvider time)
{
    public const int MaxVersionLength = 64;

    /// <summary>Records a heartbeat of an authenticated kiosk; answers with the skew it measured.</summary>
    public HeartbeatAnswer Record(string kioskId, HeartbeatRequest beat)
    {
        var now = time.GetUtcNow();
        // Includes the request's transit time, a few milliseconds on a clinic network: far below what matters here.
        double? skew = beat.KioskTime is { } k ? Math.Round((k - now).TotalSeconds, 3) : null;
        using var c = db.Open();
        c.Execute("""
            UPDATE kiosks
            SET last_heartbeat_at = @now, outbox_depth = @OutboxDepth, oldest_pending_seconds = @OldestPendingSeconds,
                dead_letters = @DeadLetters, version = @Version, free_disk_bytes = @FreeDiskBytes,
                clock_skew_seconds = coalesce(@skew, clock_skew_seconds)
            WHERE kiosk_id = @kioskId
            """,
            new { now, beat.OutboxDepth, beat.OldestPendingSeconds, beat.DeadLetters, beat.Version, beat.FreeDiskBytes, skew, kioskId });
        return new HeartbeatAnswer(now, skew);
    }

    public FleetAnswer List()
    {
        using var c = db.Open();
        var rows = c.Query<(string KioskId, string Name, string? CredentialHash, string? RevokedAt, DateTimeOffset? LastHeartbeatAt,
            long? OutboxDepth, long? OldestPendingSeconds, long? DeadLetters, string? Version, long? FreeDiskBytes, double? Skew, long? ClinicId)>("""
            SELECT kiosk_id, name, credential_hash, revoked_at, last_heartbeat_at, outbox_depth, oldest_pending_seconds,
                   dead_letters, version, free_disk_bytes, clock_skew_seconds, clinic_id
            FROM kiosks ORDER BY kiosk_id
            """);
        var kiosks = rows.Select(r => new FleetKiosk(r.KioskId, r.Name, r.CredentialHash is not null, r.RevokedAt is not null,
            r.LastHeartbeatAt, (int?)r.OutboxDepth, r.OldestPendingSeconds, (int?)r.DeadLetters, r.Version, r.FreeDiskBytes, r.Skew, r.ClinicId)).ToList();
        return new FleetAnswer(kiosks, time.GetUtcNow());
    }
}
