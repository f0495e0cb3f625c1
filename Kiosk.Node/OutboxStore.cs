using System.Globalization;
using Dapper;
using Kiosk.Core.Requests;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Node;

/// <summary>One outbox row as stored (migration 0003).</summary>
public sealed class OutboxEntry
{
    public Guid RequestId { get; init; }
    public string State { get; init; } = "";
    public long Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public string? RegistrationNumber { get; init; }
    public string? Answer { get; init; }
}

/// <summary>A queued request due for a push, with what its envelope carries.</summary>
public sealed class OutboxDue
{
    public Guid RequestId { get; init; }
    public long Attempts { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public byte[] Document { get; init; } = [];
    public byte[] Signature { get; init; } = [];
}

public enum OutboxOutcomeKind
{
    /// <summary>Central answered registered or duplicate: the row becomes <c>sent</c> with the registration number.</summary>
    Sent,

    /// <summary>Central rejected it for good: the row becomes <c>dead</c> (the dead-letter list) with the reason.</summary>
    Dead,

    /// <summary>Not delivered (Central deferred it, or the call failed): the row stays <c>queued</c> until <c>At</c>.</summary>
    Retry,
}

/// <summary>What one push did to one row. <c>At</c> is the sent time for <see cref="OutboxOutcomeKind.Sent"/> and the
/// next attempt for <see cref="OutboxOutcomeKind.Retry"/>; <c>Answer</c> is Central's answer for the item (JSON).</summary>
public sealed record OutboxOutcome(
    Guid RequestId, OutboxOutcomeKind Kind, DateTimeOffset At, string? RegistrationNumber = null, string? Error = null, string? Answer = null);

/// <summary>How many rows are in each state, and when the oldest queued one was queued.</summary>
public sealed record OutboxCounts(long Queued, long Sent, long Dead, DateTimeOffset? OldestQueuedAt);

/// <summary>
/// The kiosk's outbox (migration 0003): the signed requests still to be pushed to Central (DESIGN §6). A row is
/// written in the transaction that saves its signed request (<see cref="SignedRequestStore.Save(SignedRequest, SqliteTransaction)"/>),
/// so a request is never accepted without being queued. Plain parameterised SQL.
/// </summary>
public sealed class OutboxStore
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Dead = "dead";

    private readonly SqliteDatabase _db;

    public OutboxStore(SqliteDatabase db)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        DapperTypeHandlers.Register();
    }

    /// <summary>
    /// Queues <paramref name="requestId"/> for its first push now, inside the caller's transaction. A request already
    /// queued (a retried post) is left as it is; true when the row is new.
    /// </summary>
    public bool Enqueue(Guid requestId, DateTimeOffset now, SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction has ended.", nameof(transaction));
        var inserted = connection.Execute("""
            INSERT INTO outbox (request_id, state, attempts, next_attempt_at, created_at)
            VALUES (@requestId, 'queued', 0, @now, @now)
            ON CONFLICT (request_id) DO NOTHING
            """,
            new { requestId, now = now.ToUniversalTime() },
            transaction);
        return inserted == 1;
    }

    /// <summary>The row of one request, or null.</summary>
    public OutboxEntry? Get(Guid requestId)
    {
        using var connection = _db.Open();
        return connection.QuerySingleOrDefault<OutboxEntry>("""
            SELECT request_id AS RequestId, state AS State, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
                   last_error AS LastError, created_at AS CreatedAt, sent_at AS SentAt,
                   registration_number AS RegistrationNumber, answer AS Answer
            FROM outbox WHERE request_id = @requestId
            """, new { requestId });
    }

    /// <summary>
    /// Up to <paramref name="limit"/> queued rows whose next attempt is due at <paramref name="now"/>, oldest first,
    /// with their signed bytes (the sync worker's next push).
    /// </summary>
    public IReadOnlyList<OutboxDue> TakeDue(DateTimeOffset now, int limit)
    {
        using var connection = _db.Open();
        return connection.Query<OutboxDue>("""
            SELECT o.request_id AS RequestId, o.attempts AS Attempts, o.created_at AS CreatedAt,
                   s.document AS Document, s.signature AS Signature
            FROM outbox o JOIN signed_requests s ON s.request_id = o.request_id
            WHERE o.state = 'queued' AND o.next_attempt_at <= @now
            ORDER BY o.created_at, o.request_id
            LIMIT @limit
            """, new { now = now.ToUniversalTime(), limit }).ToList();
    }

    /// <summary>Whether a request was queued at or after <paramref name="since"/> and is due now: the worker then ends its
    /// wait early, so a request signed while Central is reachable goes out within a second, not a poll interval.</summary>
    public bool QueuedSince(DateTimeOffset since, DateTimeOffset now)
    {
        using var connection = _db.Open();
        return connection.ExecuteScalar<long>("""
            SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'queued' AND created_at >= @since AND next_attempt_at <= @now)
            """, new { since = since.ToUniversalTime(), now = now.ToUniversalTime() }) == 1;
    }

    /// <summary>
    /// Records what a push did, every row in one transaction, each attempt counted. Only a <c>queued</c> row changes:
    /// a row already sent or dead is never moved back, so a late or repeated answer cannot undo a delivery.
    /// </summary>
    public void Record(IEnumerable<OutboxOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        using var connection = _db.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var o in outcomes)
        {
            var sql = o.Kind switch
            {
                OutboxOutcomeKind.Sent => """
                    UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = @At,
                                      registration_number = @RegistrationNumber, answer = @Answer, last_error = NULL
                    WHERE request_id = @RequestId AND state = 'queued'
                    """,
                OutboxOutcomeKind.Dead => """
                    UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = @Error, answer = @Answer, dead_at = @At
                    WHERE request_id = @RequestId AND state = 'queued'
                    """,
                _ => """
                    UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @At, last_error = @Error
                    WHERE request_id = @RequestId AND state = 'queued'
                    """,
            };
            connection.Execute(sql, new { o.RequestId, At = o.At.ToUniversalTime(), o.RegistrationNumber, o.Error, o.Answer }, transaction);
        }
        transaction.Commit();
    }

    /// <summary>The kiosk's database file (the heartbeat reports the free disk beside it).</summary>
    public string DatabasePath => _db.Path;

    /// <summary>The rows per state and when the oldest queued one was queued (for the status page and heartbeats).</summary>
    public OutboxCounts Counts()
    {
        using var connection = _db.Open();
        var rows = connection.Query<(string State, long Count)>("SELECT state, count(*) FROM outbox GROUP BY state")
            .ToDictionary(r => r.State, r => r.Count);
        var oldest = connection.ExecuteScalar<string?>("SELECT min(created_at) FROM outbox WHERE state = 'queued'");
        return new OutboxCounts(
            rows.GetValueOrDefault(Queued), rows.GetValueOrDefault(Sent), rows.GetValueOrDefault(Dead),
            oldest is null ? null : DateTimeOffset.Parse(oldest, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
    }

    /// <summary>How many requests wait to be sent.</summary>
    public long QueuedCount()
    {
        using var connection = _db.Open();
        return connection.ExecuteScalar<long>("SELECT count(*) FROM outbox WHERE state = 'queued'");
    }

    // ---- operators (issue 4 item 6): the staff page's dead letters and errors --------------------------------------

    /// <summary>The newest <paramref name="limit"/> dead letters: request id, Central's reason, when (no personal data).</summary>
    public IReadOnlyList<DeadLetter> DeadLetters(int limit)
    {
        using var connection = _db.Open();
        return connection.Query<DeadLetter>("""
            SELECT request_id AS RequestId, coalesce(last_error, 'rejected') AS Reason, dead_at AS DeadAt, attempts AS Attempts
            FROM outbox WHERE state = 'dead'
            ORDER BY dead_at IS NULL, dead_at DESC, created_at DESC, request_id
            LIMIT @limit
            """, new { limit }).ToList();
    }

    /// <summary>
    /// An operator's "retry" of a dead letter: the row goes back to <c>queued</c>, due at <paramref name="now"/>, so the
    /// sync worker pushes it in its next round. Its attempts and last error stay as they were (the history). False when
    /// the row is not dead (already retried, never there): nothing changes.
    /// </summary>
    public bool RetryDead(Guid requestId, DateTimeOffset now)
    {
        using var connection = _db.Open();
        return connection.Execute("""
            UPDATE outbox SET state = 'queued', next_attempt_at = @now, dead_at = NULL
            WHERE request_id = @requestId AND state = 'dead'
            """, new { requestId, now = now.ToUniversalTime() }) == 1;
    }

    /// <summary>The last errors of rows still queued (a failed call, a deferral), each with how many rows carry it and
    /// the latest next attempt among them; most frequent first.</summary>
    public IReadOnlyList<QueuedError> QueuedErrors(int limit)
    {
        using var connection = _db.Open();
        return connection.Query<QueuedError>("""
            SELECT last_error AS Error, count(*) AS Rows, max(next_attempt_at) AS NextAttemptAt
            FROM outbox WHERE state = 'queued' AND last_error IS NOT NULL
            GROUP BY last_error ORDER BY count(*) DESC, last_error
            LIMIT @limit
            """, new { limit }).ToList();
    }
}

/// <summary>One dead letter as the staff page lists it. <c>DeadAt</c> is null for rows that died before migration 0006.</summary>
public sealed class DeadLetter
{
    public Guid RequestId { get; init; }
    public string Reason { get; init; } = "";
    public DateTimeOffset? DeadAt { get; init; }
    public long Attempts { get; init; }
}

/// <summary>An error code carried by queued rows, with how many and when the next of them is tried.</summary>
public sealed class QueuedError
{
    public string Error { get; init; } = "";
    public long Rows { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
}
