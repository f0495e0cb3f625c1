using Dapper;
using Kiosk.Core.Feedback;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Node.Feedback;

/// <summary>A feedback item due for a push: its id, kind and payload (JSON) and how often it was tried.</summary>
public sealed class FeedbackDue
{
    public Guid ItemId { get; init; }
    public string Kind { get; init; } = "";
    public string Payload { get; init; } = "";
    public long Attempts { get; init; }
}

/// <summary>One feedback row as stored (migration 0011), for tests and the operators' counts.</summary>
public sealed class FeedbackEntry
{
    public Guid ItemId { get; init; }
    public string Kind { get; init; } = "";
    public string Payload { get; init; } = "";
    public string State { get; init; } = "";
    public long Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? SentAt { get; init; }
}

/// <summary>What a push did to one item (<see cref="OutboxOutcomeKind"/>: sent, dead, or retry at <c>At</c>).</summary>
public sealed record FeedbackOutcome(Guid ItemId, OutboxOutcomeKind Kind, DateTimeOffset At, string? Error = null);

/// <summary>
/// The kiosk's anonymous outbox (migration 0011; docs/survey-and-step-times.md "Transport"): survey answers and step
/// times waiting for Central, each under a random item id (Central's idempotency key). Written with the kiosk's
/// <c>synchronous=FULL</c> like everything else in the file; pushed by the sync worker (Kiosk.Sync/FeedbackPush.cs); a
/// row changes only while it is <c>queued</c>, so a late answer never undoes a delivery. Plain parameterised SQL.
/// </summary>
public sealed class FeedbackOutbox
{
    private readonly SqliteDatabase _db;

    public FeedbackOutbox(SqliteDatabase db)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        DapperTypeHandlers.Register();
    }

    /// <summary>Queues a payload under a new random item id, due at <paramref name="dueAt"/>; returns the id.</summary>
    public Guid Enqueue(string kind, string payload, DateTimeOffset dueAt)
    {
        using var connection = _db.Open();
        return Enqueue(kind, payload, dueAt, connection, null);
    }

    /// <summary>As <see cref="Enqueue(string, string, DateTimeOffset)"/>, inside the caller's transaction.</summary>
    public static Guid Enqueue(string kind, string payload, DateTimeOffset dueAt, SqliteConnection connection, SqliteTransaction? transaction)
    {
        if (!FeedbackKinds.IsKnown(kind)) throw new ArgumentException("Not a feedback kind.", nameof(kind));
        ArgumentException.ThrowIfNullOrEmpty(payload);
        var id = Guid.NewGuid();
        connection.Execute("""
            INSERT INTO feedback_outbox (item_id, kind, payload, state, attempts, next_attempt_at)
            VALUES (@id, @kind, @payload, 'queued', 0, @dueAt)
            """, new { id, kind, payload, dueAt = dueAt.ToUniversalTime() }, transaction);
        return id;
    }

    /// <summary>Up to <paramref name="limit"/> queued items due at <paramref name="now"/>, earliest due first.</summary>
    public IReadOnlyList<FeedbackDue> TakeDue(DateTimeOffset now, int limit)
    {
        using var connection = _db.Open();
        return connection.Query<FeedbackDue>("""
            SELECT item_id AS ItemId, kind AS Kind, payload AS Payload, attempts AS Attempts
            FROM feedback_outbox
            WHERE state = 'queued' AND next_attempt_at <= @now
            ORDER BY next_attempt_at, item_id
            LIMIT @limit
            """, new { now = now.ToUniversalTime(), limit }).ToList();
    }

    /// <summary>Records what a push did, every item in one transaction, each attempt counted; only queued rows change.</summary>
    public void Record(IEnumerable<FeedbackOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        using var connection = _db.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var o in outcomes)
        {
            var sql = o.Kind switch
            {
                OutboxOutcomeKind.Sent => """
                    UPDATE feedback_outbox SET state = 'sent', attempts = attempts + 1, sent_at = @At, last_error = NULL
                    WHERE item_id = @ItemId AND state = 'queued'
                    """,
                OutboxOutcomeKind.Dead => """
                    UPDATE feedback_outbox SET state = 'dead', attempts = attempts + 1, last_error = @Error
                    WHERE item_id = @ItemId AND state = 'queued'
                    """,
                _ => """
                    UPDATE feedback_outbox SET attempts = attempts + 1, next_attempt_at = @At, last_error = @Error
                    WHERE item_id = @ItemId AND state = 'queued'
                    """,
            };
            connection.Execute(sql, new { o.ItemId, At = o.At.ToUniversalTime(), o.Error }, transaction);
        }
        transaction.Commit();
    }

    /// <summary>Deletes items Central acknowledged before <paramref name="before"/> (nothing to resend; less kept on the kiosk's disk).</summary>
    public int PurgeSent(DateTimeOffset before)
    {
        using var connection = _db.Open();
        return connection.Execute("DELETE FROM feedback_outbox WHERE state = 'sent' AND sent_at < @before", new { before = before.ToUniversalTime() });
    }

    /// <summary>Rows per kind and state (for the operators and tests).</summary>
    public IReadOnlyDictionary<(string Kind, string State), long> Counts()
    {
        using var connection = _db.Open();
        return connection.Query<(string Kind, string State, long Count)>("SELECT kind, state, count(*) FROM feedback_outbox GROUP BY kind, state")
            .ToDictionary(r => (r.Kind, r.State), r => r.Count);
    }

    /// <summary>Every row, in item id order (tests).</summary>
    public IReadOnlyList<FeedbackEntry> All()
    {
        using var connection = _db.Open();
        return connection.Query<FeedbackEntry>("""
            SELECT item_id AS ItemId, kind AS Kind, payload AS Payload, state AS State, attempts AS Attempts,
                   next_attempt_at AS NextAttemptAt, last_error AS LastError, sent_at AS SentAt
            FROM feedback_outbox ORDER BY item_id
            """).ToList();
    }
}
