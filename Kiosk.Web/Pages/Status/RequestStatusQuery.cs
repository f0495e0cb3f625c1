using Dapper;
using Kiosk.Core.Identity;
using Kiosk.Node;
using Kiosk.Storage;

namespace Kiosk.Web.Pages.Status;

/// <summary>One of the citizen's requests as the kiosk's file knows it: the signed request, its outbox row and the
/// decision pulled from Central (either may be missing). No personal data beyond what the screen needs: no document.</summary>
public sealed class RequestStatusRow
{
    public Guid RequestId { get; init; }
    public string Kind { get; init; } = "";
    public DateTimeOffset SignedAt { get; init; }

    /// <summary><c>queued</c>, <c>sent</c>, <c>dead</c>, or null when the row is missing.</summary>
    public string? OutboxState { get; init; }

    /// <summary>A dead row's reason code (Central's rejection).</summary>
    public string? OutboxError { get; init; }

    public string? OutboxRegistrationNumber { get; init; }

    public string? DecisionRegistrationNumber { get; init; }

    /// <summary><c>accepted</c>, <c>refused</c>, or null before a decision.</summary>
    public string? DecisionStatus { get; init; }

    public string? DecisionReason { get; init; }

    /// <summary>Central's texts of a refusal, JSON <c>{"kk","ru","en"}</c>.</summary>
    public string? DecisionMessages { get; init; }

    public string? VisitDate { get; init; }
    public string? VisitFrom { get; init; }
    public string? VisitTo { get; init; }
}

/// <summary>What the status screen shows: the citizen's requests, newest first, and when Central was last reached.</summary>
public sealed record RequestStatusSnapshot(IReadOnlyList<RequestStatusRow> Requests, DateTimeOffset? LastPullAt);

/// <summary>
/// "Check my request" (issue 4 item 5): reads a signed-in citizen's own requests from the kiosk's SQLite file —
/// <c>signed_requests</c> by <c>applicant_iin</c> (its index), with the <c>outbox</c> row and the <c>decisions</c> row
/// the sync worker keeps up to date from its own process — and the time of the last pull of decisions
/// (<c>kiosk_settings</c> <c>sync.last_pull_at</c>). Every call reads the file afresh. Plain parameterised SQL.
/// </summary>
public sealed class RequestStatusQuery
{
    /// <summary>More than a kiosk visit needs: older requests are for the call centre.</summary>
    public const int MaxRequests = 20;

    private readonly SqliteDatabase _db;

    public RequestStatusQuery(SqliteDatabase db)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        DapperTypeHandlers.Register();
    }

    public RequestStatusSnapshot For(Iin applicant)
    {
        using var connection = _db.Open();
        var rows = connection.Query<RequestStatusRow>(Select + """

             WHERE s.applicant_iin = @iin
            ORDER BY s.created_at DESC, s.request_id
            LIMIT @limit
            """, new { iin = applicant.Value, limit = MaxRequests }).ToList();
        var lastPull = KioskSettings.Get(KioskSettings.LastPullAt, connection, null);
        return new RequestStatusSnapshot(rows, lastPull is null ? null : ParseInstant(lastPull));
    }

    /// <summary>One request of this kiosk's file by its id (the desk's result), or null when the file has no such request.</summary>
    public RequestStatusRow? One(Guid requestId)
    {
        using var connection = _db.Open();
        return connection.QuerySingleOrDefault<RequestStatusRow>(Select + " WHERE s.request_id = @id", new { id = requestId.ToString("D") });
    }

    private const string Select = """
        SELECT s.request_id AS RequestId, s.kind AS Kind, s.signed_at AS SignedAt,
               o.state AS OutboxState, o.last_error AS OutboxError, o.registration_number AS OutboxRegistrationNumber,
               d.registration_number AS DecisionRegistrationNumber, d.status AS DecisionStatus,
               d.reason AS DecisionReason, d.messages AS DecisionMessages,
               d.visit_date AS VisitDate, d.visit_from AS VisitFrom, d.visit_to AS VisitTo
        FROM signed_requests s
        LEFT JOIN outbox o ON o.request_id = s.request_id
        LEFT JOIN decisions d ON d.request_id = s.request_id
        """;

    private static DateTimeOffset? ParseInstant(string text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}
