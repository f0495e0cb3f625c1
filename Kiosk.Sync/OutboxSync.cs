using System.Reflection;
using System.Globalization;
using Kiosk.Node;
using Kiosk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

/// <summary>
/// One round of the sync worker (docs/sync-protocol.md, "Kiosk side"): push every due outbox row to Central in
/// batches, oldest first, and record each row's answer; then pull the new decisions. Returns how long to wait before
/// the next round: the poll interval when all went through, a growing, jittered backoff while Central fails.
/// <para>
/// A row becomes <c>sent</c> only on Central's <c>registered</c> or <c>duplicate</c> with a registration number, and
/// <c>dead</c> only on <c>rejected</c>; anything else (deferred, no answer, a failed call) keeps it queued with its
/// attempt counted and its next attempt pushed back. The answer is recorded only after Central's reply, so a worker
/// killed at any moment leaves the row queued and the next push gets <c>duplicate</c>: delivered once, never lost.
/// </para>
/// </summary>
public sealed partial class OutboxSync(
    CentralClient central,
    CentralLink link,
    KioskCredentials credentials,
    OutboxStore outbox,
    DecisionStore decisions,
    KioskSettings settings,
    ClockSkewMonitor clock,
    ReferencePull reference,
    SlipKeysSync slipKeys,
    StaffPull staff,
    FeedbackPush feedback,
    IOptions<SyncOptions> options,
    TimeProvider time,
    ILogger<OutboxSync> logger)
{
    private DateTimeOffset? _lastHeartbeat;

    private int _failures;
    private TimeSpan _failureDelay;

    /// <summary>Failed rounds in a row (0 after a good one).</summary>
    public int Failures => _failures;

    public async Task<TimeSpan> RunOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        string? credential = null;
        if (central.BaseUrl is not null)
        {
            var (resolved, enrollment) = await credentials.ResolveAsync(cancellationToken);
            if (enrollment is not null) return Failed();
            credential = resolved;
        }
        if (credential is null)
        {
            // Neither provisioned nor enrolled: nothing can be delivered; watch Central so the operator sees the link.
            RecordLink(await link.ProbeAsync(cancellationToken) ? null : link.Problem);
            return o.PollInterval;
        }
        var problem = await PushDueAsync(credential, cancellationToken)
            ?? await PullDecisionsAsync(credential, cancellationToken)
            ?? await PullReferenceAsync(credential, cancellationToken)
            ?? await SyncSlipKeysAsync(credential, cancellationToken)
            ?? await PullStaffAsync(credential, cancellationToken)
            ?? await HeartbeatAsync(credential, cancellationToken)
            ?? await PushFeedbackAsync(credential, cancellationToken);
        link.Report(problem);
        RecordLink(problem);
        if (problem is null)
        {
            _failures = 0;
            return o.PollInterval;
        }
        return _failureDelay;
    }

    /// <summary>Counts a failed round (a call or the database failed) and gives the wait before the next one.</summary>
    public TimeSpan Failed()
    {
        var o = options.Value;
        _failures++;
        _failureDelay = Backoff.Delay(_failures, o.RetryBaseDelay, o.RetryMaxDelay, Random.Shared);
        return _failureDelay;
    }

    private async Task<string?> PushDueAsync(string credential, CancellationToken cancellationToken)
    {
        var o = options.Value;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = outbox.TakeDue(time.GetUtcNow(), o.BatchSize);
            if (due.Count == 0) return null;
            var envelopes = due
                .Select(r => new PushEnvelope(r.RequestId.ToString("D"), o.KioskId!, Convert.ToBase64String(r.Document),
                    Convert.ToBase64String(r.Signature), r.CreatedAt.ToUniversalTime()))
                .ToList();
            var result = await central.PushAsync(credential, envelopes, cancellationToken);
            if (!result.Ok)
            {
                // Every row of the batch waits as long as the worker does, so the oldest go first again next time.
                var retryAt = time.GetUtcNow() + Failed();
                outbox.Record(due.Select(r => new OutboxOutcome(r.RequestId, OutboxOutcomeKind.Retry, retryAt, Error: result.Problem)));
                return result.Problem;
            }
            var answer = result.Value!;
            var now = time.GetUtcNow();
            var outcomes = Map(due, answer, now);
            outbox.Record(outcomes);
            var values = new List<(string, string)> { (KioskSettings.LastPushAt, DapperTypeHandlers.Format(now)) };
            if (answer.ServerTime is { } serverTime) values.AddRange(ClockValues(answer.SentAt, answer.ReceivedAt, serverTime));
            settings.Set(now, [.. values]);
            LogPushed(due.Count,
                outcomes.Count(x => x.Kind == OutboxOutcomeKind.Sent),
                outcomes.Count(x => x.Kind == OutboxOutcomeKind.Dead),
                outcomes.Count(x => x.Kind == OutboxOutcomeKind.Retry));
        }
        return null;
    }

    private List<OutboxOutcome> Map(IReadOnlyList<OutboxDue> due, PushResult answer, DateTimeOffset now)
    {
        var o = options.Value;
        var byId = new Dictionary<string, PushItemResult>(StringComparer.Ordinal);
        foreach (var item in answer.Results)
            if (item.RequestId is { } id) byId.TryAdd(id, item);
        var outcomes = new List<OutboxOutcome>(due.Count);
        foreach (var row in due)
        {
            var id = row.RequestId.ToString("D");
            DateTimeOffset Later() => now + Backoff.Delay(row.Attempts + 1, o.RetryBaseDelay, o.RetryMaxDelay, Random.Shared);
            if (!byId.TryGetValue(id, out var item))
            {
                outcomes.Add(new OutboxOutcome(row.RequestId, OutboxOutcomeKind.Retry, Later(), Error: "no-answer"));
                continue;
            }
            switch (item.Status)
            {
                case "registered" or "duplicate" when !string.IsNullOrEmpty(item.RegistrationNumber):
                    outcomes.Add(new OutboxOutcome(row.RequestId, OutboxOutcomeKind.Sent, now, item.RegistrationNumber, Answer: item.Json));
                    break;
                case "rejected":
                    var reason = string.IsNullOrEmpty(item.Reason) ? "rejected" : item.Reason;
                    outcomes.Add(new OutboxOutcome(row.RequestId, OutboxOutcomeKind.Dead, now, Error: reason, Answer: item.Json));
                    LogRejected(row.RequestId, reason);
                    break;
                case "deferred":
                    outcomes.Add(new OutboxOutcome(row.RequestId, OutboxOutcomeKind.Retry, Later(),
                        Error: string.IsNullOrEmpty(item.Reason) ? "deferred" : item.Reason));
                    break;
                default:
                    // Not an answer the kiosk knows (or "registered" without a number): never taken for a delivery.
                    outcomes.Add(new OutboxOutcome(row.RequestId, OutboxOutcomeKind.Retry, Later(), Error: "unknown-answer"));
                    break;
            }
        }
        return outcomes;
    }

    private async Task<string?> PullDecisionsAsync(string credential, CancellationToken cancellationToken)
    {
        var cursor = decisions.Cursor();
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await central.DecisionsAsync(credential, cursor, cancellationToken);
            if (!result.Ok)
            {
                Failed();
                return result.Problem;
            }
            var page = result.Value!;
            decisions.SavePage(page.Decisions, page.Next, time.GetUtcNow());
            if (page.Decisions.Count > 0) LogPulled(page.Decisions.Count, page.Next);
            var stuck = page.Decisions.Count == 0 && page.Next == cursor;
            cursor = page.Next;
            if (!page.More || stuck) break;
        }
        return null;
    }

    /// <summary>Reference data and the trust list since the kiosk's reference version (ReferencePull.cs).</summary>
    private async Task<string?> PullReferenceAsync(string credential, CancellationToken cancellationToken)
    {
        var problem = await reference.PullAsync(credential, cancellationToken);
        if (problem is not null) Failed();
        return problem;
    }

    /// <summary>The device key recorded at Central, the JWKS copy fresh (SlipKeysSync.cs).</summary>
    private async Task<string?> SyncSlipKeysAsync(string credential, CancellationToken cancellationToken)
    {
        var problem = await slipKeys.SyncAsync(credential, cancellationToken);
        if (problem is not null) Failed();
        return problem;
    }

    /// <summary>The staff who may sign in at this node, and its clinic (StaffPull.cs).</summary>
    private async Task<string?> PullStaffAsync(string credential, CancellationToken cancellationToken)
    {
        var problem = await staff.PullAsync(credential, cancellationToken);
        if (problem is not null) Failed();
        return problem;
    }

    /// <summary>Survey answers and step times from the anonymous feedback outbox (FeedbackPush.cs); last, so that they never hold up requests or decisions.</summary>
    private async Task<string?> PushFeedbackAsync(string credential, CancellationToken cancellationToken)
    {
        var problem = await feedback.PushAsync(credential, cancellationToken);
        if (problem is not null) Failed();
        return problem;
    }

    /// <summary>
    /// Every <see cref="SyncOptions.HeartbeatInterval"/> (and first thing after a start), tells Central the outbox's
    /// figures and the kiosk's clock; Central's answer measures the skew here too.
    /// </summary>
    private async Task<string?> HeartbeatAsync(string credential, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_lastHeartbeat is { } last && now - last < options.Value.HeartbeatInterval) return null;
        var counts = outbox.Counts();
        var figures = new HeartbeatFigures(counts.Queued,
            counts.OldestQueuedAt is { } oldest ? (long)Math.Max(0, (now - oldest).TotalSeconds) : null,
            counts.Dead, AppVersion, FreeDiskBytes(outbox.DatabasePath));
        var result = await central.HeartbeatAsync(credential, figures, cancellationToken);
        if (!result.Ok)
        {
            Failed();
            return result.Problem;
        }
        _lastHeartbeat = now;
        var answer = result.Value!;
        settings.Set(time.GetUtcNow(), ClockValues(answer.SentAt, answer.ReceivedAt, answer.ServerTime));
        return null;
    }

    private static readonly string? AppVersion =
        typeof(OutboxSync).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } v
            ? v[..Math.Min(v.Length, 64)]
            : null;

    private static long? FreeDiskBytes(string databasePath)
    {
        try
        {
            return new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(databasePath)) ?? "/").AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private (string, string)[] ClockValues(DateTimeOffset sentAt, DateTimeOffset receivedAt, DateTimeOffset serverTime)
    {
        var skew = clock.Observe(sentAt, receivedAt, serverTime);
        return
        [
            (KioskSettings.ClockSkewSeconds, Math.Round(skew.TotalSeconds, 1).ToString(CultureInfo.InvariantCulture)),
            (KioskSettings.ClockCheckedAt, DapperTypeHandlers.Format(receivedAt)),
            (KioskSettings.ClockSkewLimitSeconds, options.Value.ClockSkewWarning.TotalSeconds.ToString(CultureInfo.InvariantCulture)),
        ];
    }

    /// <summary>
    /// For the operators' status page (another process): when Central last answered, or the round's problem code and
    /// when. Codes only (<c>unreachable</c>, <c>http-401</c>, …), never a secret or personal data.
    /// </summary>
    private void RecordLink(string? problem)
    {
        var now = time.GetUtcNow();
        if (problem is null) settings.Set(now, (KioskSettings.LastContactAt, DapperTypeHandlers.Format(now)));
        else settings.Set(now, (KioskSettings.LastError, problem), (KioskSettings.LastErrorAt, DapperTypeHandlers.Format(now)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pushed {Count} requests: {Sent} delivered, {Dead} rejected, {Retry} to retry")]
    private partial void LogPushed(int count, int sent, int dead, int retry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} rejected by Central ({Reason}): moved to the dead letters")]
    private partial void LogRejected(Guid requestId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulled {Count} decisions (cursor {Cursor})")]
    private partial void LogPulled(int count, string cursor);
}
