using System.Globalization;
using Kiosk.Node;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Staff;

/// <summary>
/// The kiosk's sync status as <c>GET /api/sync/status</c> answers it (issue 4 item 6). Figures only: no request
/// content, no personal data. Times are UTC; ages in whole seconds; the clock skew is the kiosk's clock minus Central's.
/// </summary>
/// <param name="Online">Central answered the sync worker within <c>Operators:OnlineWindow</c>, and no failure came after.</param>
/// <param name="OutboxDepth">Requests queued, not yet delivered.</param>
/// <param name="OldestPendingSeconds">Age of the oldest queued request; null when none is queued.</param>
/// <param name="DeadLetters">Requests Central rejected for good, waiting for an operator.</param>
/// <param name="ClockWarning">The skew is beyond the worker's threshold (<c>Sync:ClockSkewWarning</c>).</param>
public sealed record SyncStatus(
    bool Online,
    long OutboxDepth,
    long? OldestPendingSeconds,
    DateTimeOffset? LastPushAt,
    DateTimeOffset? LastPullAt,
    long DeadLetters,
    long Delivered,
    DateTimeOffset? LastContactAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    double? ClockSkewSeconds,
    double ClockSkewLimitSeconds,
    bool ClockWarning,
    DateTimeOffset? ClockCheckedAt,
    DateTimeOffset ServerTime);

/// <summary>The status page's extra lists: the newest dead letters and the errors queued rows carry.</summary>
public sealed record SyncDetails(SyncStatus Status, IReadOnlyList<DeadLetter> DeadLetters, IReadOnlyList<QueuedError> QueuedErrors);

/// <summary>Reads the status from the kiosk's SQLite file: the outbox and what the sync worker (another process) wrote to <c>kiosk_settings</c>.</summary>
public sealed class SyncStatusReader(OutboxStore outbox, KioskSettings settings, IOptionsMonitor<OperatorOptions> options, TimeProvider time)
{
    /// <summary>The worker's default <c>Sync:ClockSkewWarning</c>, used until the worker has written its own.</summary>
    public const double DefaultClockSkewLimitSeconds = 120;

    public const int ListLimit = 50;

    public SyncStatus Read()
    {
        var now = time.GetUtcNow();
        var counts = outbox.Counts();
        var lastPush = Instant(KioskSettings.LastPushAt);
        var lastPull = Instant(KioskSettings.LastPullAt);
        var contact = Latest(Instant(KioskSettings.LastContactAt), lastPush, lastPull);
        var errorAt = Instant(KioskSettings.LastErrorAt);
        var online = contact is { } c && now - c <= options.CurrentValue.OnlineWindow && (errorAt is null || errorAt <= c);
        var skew = Number(KioskSettings.ClockSkewSeconds);
        var limit = Number(KioskSettings.ClockSkewLimitSeconds) ?? DefaultClockSkewLimitSeconds;
        return new SyncStatus(
            online,
            counts.Queued,
            counts.OldestQueuedAt is { } oldest ? (long)Math.Max(0, Math.Floor((now - oldest).TotalSeconds)) : null,
            lastPush,
            lastPull,
            counts.Dead,
            counts.Sent,
            contact,
            errorAt is null ? null : settings.Get(KioskSettings.LastError),
            errorAt,
            skew,
            limit,
            skew is { } s && Math.Abs(s) > limit,
            Instant(KioskSettings.ClockCheckedAt),
            now);
    }

    public SyncDetails ReadDetails() => new(Read(), outbox.DeadLetters(ListLimit), outbox.QueuedErrors(ListLimit));

    private DateTimeOffset? Instant(string key) =>
        settings.Get(key) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : null;

    private double? Number(string key) =>
        settings.Get(key) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static DateTimeOffset? Latest(params DateTimeOffset?[] values) =>
        values.Where(v => v.HasValue).Select(v => v!.Value).DefaultIfEmpty().Max() is var max && max != default ? max : null;
}
