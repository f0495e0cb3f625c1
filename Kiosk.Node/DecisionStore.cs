using Dapper;
using Kiosk.Storage;

namespace Kiosk.Node;

/// <summary>A decision of Central on one of this kiosk's requests, as stored (migration 0004).</summary>
public sealed class KioskDecision
{
    public Guid RequestId { get; init; }
    public string RegistrationNumber { get; init; } = "";
    public string Kind { get; init; } = "";

    /// <summary><c>accepted</c> or <c>refused</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>A refusal's reason code.</summary>
    public string? Reason { get; init; }

    /// <summary>A refusal's texts from Central, JSON <c>{"kk": …, "ru": …, "en": …}</c>.</summary>
    public string? Messages { get; init; }

    /// <summary>An accepted home call's visit: the Astana date (yyyy-MM-dd) and clock times (HH:mm).</summary>
    public string? VisitDate { get; init; }
    public string? VisitFrom { get; init; }
    public string? VisitTo { get; init; }

    public DateTimeOffset DecidedAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>A refused booking's offered slots, JSON array exactly as Central sent it (migration 0008); null: none.</summary>
    public string? Alternatives { get; init; }

    /// <summary>The provider's signed slip of the decision (a result or a refusal), kept in <c>slips</c> for printing.</summary>
    public string? SlipToken { get; init; }
}

/// <summary>
/// The decisions the sync worker pulled from Central (migration 0004) and the pull cursor. A page of decisions and the
/// cursor after it are written in one transaction, so a worker killed mid-pull asks again from the old cursor and
/// stores the same decisions again (an upsert), never skipping one. Plain parameterised SQL.
/// </summary>
public sealed class DecisionStore
{
    private readonly SqliteDatabase _db;

    public DecisionStore(SqliteDatabase db)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        DapperTypeHandlers.Register();
    }

    /// <summary>The cursor to send as <c>since</c>; null before the first pull.</summary>
    public string? Cursor()
    {
        using var connection = _db.Open();
        return KioskSettings.Get(KioskSettings.DecisionsCursor, connection, null);
    }

    /// <summary>Stores a page of decisions and the cursor after it, in one transaction.</summary>
    public void SavePage(IEnumerable<KioskDecision> decisions, string nextCursor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentException.ThrowIfNullOrEmpty(nextCursor);
        using var connection = _db.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var d in decisions)
        {
            connection.Execute("""
                INSERT INTO decisions (request_id, registration_number, kind, status, reason, messages,
                                       visit_date, visit_from, visit_to, decided_at, received_at, alternatives)
                VALUES (@RequestId, @RegistrationNumber, @Kind, @Status, @Reason, @Messages,
                        @VisitDate, @VisitFrom, @VisitTo, @DecidedAt, @ReceivedAt, @Alternatives)
                ON CONFLICT (request_id) DO UPDATE SET
                    registration_number = excluded.registration_number, kind = excluded.kind, status = excluded.status,
                    reason = excluded.reason, messages = excluded.messages, visit_date = excluded.visit_date,
                    visit_from = excluded.visit_from, visit_to = excluded.visit_to, decided_at = excluded.decided_at,
                    alternatives = excluded.alternatives
                """,
                new
                {
                    d.RequestId, d.RegistrationNumber, d.Kind, d.Status, d.Reason, d.Messages,
                    d.VisitDate, d.VisitFrom, d.VisitTo, d.Alternatives,
                    DecidedAt = d.DecidedAt.ToUniversalTime(), ReceivedAt = now.ToUniversalTime(),
                },
                transaction);
            if (d.SlipToken is { Length: > 0 } token && d.Status is "accepted" or "refused")
                Slips.SlipStore.Keep(d.RequestId, d.Status == "accepted" ? "result" : "refusal", token, now, transaction);
        }
        KioskSettings.Set(KioskSettings.DecisionsCursor, nextCursor, now, transaction);
        KioskSettings.Set(KioskSettings.LastPullAt, DapperTypeHandlers.Format(now), now, transaction);
        transaction.Commit();
    }

    /// <summary>The decision on one request, or null.</summary>
    public KioskDecision? Get(Guid requestId)
    {
        using var connection = _db.Open();
        return connection.QuerySingleOrDefault<KioskDecision>(Select + " WHERE request_id = @requestId", new { requestId });
    }

    /// <summary>Every stored decision, the latest first.</summary>
    public IReadOnlyList<KioskDecision> All()
    {
        using var connection = _db.Open();
        return connection.Query<KioskDecision>(Select + " ORDER BY decided_at DESC, request_id").ToList();
    }

    private const string Select = """
        SELECT request_id AS RequestId, registration_number AS RegistrationNumber, kind AS Kind, status AS Status,
               reason AS Reason, messages AS Messages, visit_date AS VisitDate, visit_from AS VisitFrom,
               visit_to AS VisitTo, decided_at AS DecidedAt, received_at AS ReceivedAt,
               alternatives AS Alternatives
        FROM decisions
        """;
}
