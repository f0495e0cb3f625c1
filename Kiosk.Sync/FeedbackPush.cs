using System.Text.Json;
using Kiosk.Node;
using Kiosk.Node.Feedback;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

/// <summary>
/// The feedback step of each sync round (issue 12 items 5–6; docs/sync-protocol.md §11): pushes the due items of the
/// kiosk's anonymous feedback outbox (<see cref="FeedbackOutbox"/>: survey answers, step times) to
/// <c>POST /api/sync/feedback</c> in batches of <see cref="SyncOptions.BatchSize"/>, and records each item's answer:
/// <c>stored</c> or <c>duplicate</c> → sent, <c>rejected</c> → dead, anything else → queued again with its own backoff.
/// As with requests, the answer is recorded only after Central replied, so a worker killed at any moment leaves the
/// items queued and the next push is told <c>duplicate</c>: stored once, never lost. Sent items older than
/// <see cref="KeepSent"/> are deleted afterwards. Logs carry counts and reason codes only.
/// </summary>
public sealed partial class FeedbackPush(
    CentralClient central, FeedbackOutbox outbox, IOptions<SyncOptions> options, TimeProvider time, ILogger<FeedbackPush> logger)
{
    /// <summary>How long an acknowledged item stays in the kiosk's file (for the operators' counts) before it is deleted.</summary>
    public static readonly TimeSpan KeepSent = TimeSpan.FromDays(7);

    private sealed record ItemResult(string? Id, string? Status, string? Reason);

    /// <summary>Null when everything due went through (or nothing was due), else the failed call's problem code.</summary>
    public async Task<string?> PushAsync(string credential, CancellationToken cancellationToken)
    {
        var o = options.Value;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = outbox.TakeDue(time.GetUtcNow(), o.BatchSize);
            if (due.Count == 0) break;
            var result = await central.PostJsonAsync(credential, "api/sync/feedback", Body(due), Read, cancellationToken);
            var now = time.GetUtcNow();
            if (!result.Ok)
            {
                outbox.Record(due.Select(d => new FeedbackOutcome(d.ItemId, OutboxOutcomeKind.Retry, Later(d, now), result.Problem)));
                return result.Problem;
            }
            var byId = new Dictionary<string, ItemResult>(StringComparer.Ordinal);
            foreach (var item in result.Value!)
                if (item.Id is { } id) byId.TryAdd(id, item);
            var outcomes = due.Select(d => byId.TryGetValue(d.ItemId.ToString("D"), out var answer)
                ? answer.Status switch
                {
                    "stored" or "duplicate" => new FeedbackOutcome(d.ItemId, OutboxOutcomeKind.Sent, now),
                    "rejected" => new FeedbackOutcome(d.ItemId, OutboxOutcomeKind.Dead, now, string.IsNullOrEmpty(answer.Reason) ? "rejected" : answer.Reason),
                    _ => new FeedbackOutcome(d.ItemId, OutboxOutcomeKind.Retry, Later(d, now), "unknown-answer"),
                }
                : new FeedbackOutcome(d.ItemId, OutboxOutcomeKind.Retry, Later(d, now), "no-answer")).ToList();
            outbox.Record(outcomes);
            var dead = outcomes.Where(x => x.Kind == OutboxOutcomeKind.Dead).ToList();
            LogPushed(due.Count, outcomes.Count(x => x.Kind == OutboxOutcomeKind.Sent), dead.Count, outcomes.Count(x => x.Kind == OutboxOutcomeKind.Retry));
            foreach (var reason in dead.GroupBy(x => x.Error)) LogRejected(reason.Count(), reason.Key ?? "rejected");
        }
        outbox.PurgeSent(time.GetUtcNow() - KeepSent);
        return null;
    }

    private DateTimeOffset Later(FeedbackDue item, DateTimeOffset now) =>
        now + Backoff.Delay(item.Attempts + 1, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay, Random.Shared);

    /// <summary><c>{"items":[{"id","kind","payload"}]}</c>, the payloads as stored (JSON objects the kiosk wrote itself).</summary>
    private static byte[] Body(IReadOnlyList<FeedbackDue> due)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("items");
            foreach (var d in due)
            {
                w.WriteStartObject();
                w.WriteString("id", d.ItemId.ToString("D"));
                w.WriteString("kind", d.Kind);
                w.WritePropertyName("payload");
                w.WriteRawValue(d.Payload, skipInputValidation: false);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static List<ItemResult>? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            return null;
        return results.EnumerateArray().Select(r => new ItemResult(Text(r, "id"), Text(r, "status"), Text(r, "reason"))).ToList();
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [LoggerMessage(LogLevel.Information, "Pushed {Count} feedback items: {Sent} delivered, {Dead} rejected, {Retry} to retry")]
    private partial void LogPushed(int count, int sent, int dead, int retry);

    [LoggerMessage(LogLevel.Warning, "{Count} feedback items rejected by Central ({Reason}): moved to the dead letters")]
    private partial void LogRejected(int count, string reason);
}
