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

    /// <summary>How many requests wait to be sent.</summary>
    public long QueuedCount()
    {
        using var connection = _db.Open();
        return connection.ExecuteScalar<long>("SELECT count(*) FROM outbox WHERE state = 'queued'");
    }
}
