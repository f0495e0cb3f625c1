using Dapper;
using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Storage;

namespace Kiosk.Tests.Web.Status;

/// <summary>
/// Puts requests into a running kiosk's SQLite file in each state the status screen knows, through the same stores
/// the kiosk and its sync worker use (<see cref="OutboxStore"/>, <see cref="DecisionStore"/>). The signed request row
/// itself is written with placeholder bytes for the document and signature: the status screen never reads them, and
/// signing a real request for every state would test the signer again, not the screen (the end-to-end test signs).
/// </summary>
public static class StatusRows
{
    public static SqliteDatabase Database(string path) => new(new StorageOptions { DatabasePath = path });

    /// <summary>A request signed by <paramref name="iin"/> at <paramref name="signedAt"/>, queued in the outbox.</summary>
    public static Guid Queue(string databasePath, string iin, DateTimeOffset signedAt, string kind = RequestKinds.HomeCall)
    {
        var id = Guid.NewGuid();
        var db = Database(databasePath);
        DapperTypeHandlers.Register();
        using var connection = db.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("""
            INSERT INTO signed_requests (request_id, kind, applicant_iin, document, signature, signer_thumbprint, signed_at, created_at)
            VALUES (@id, @kind, @iin, @document, @signature, 'AA', @signedAt, @createdAt)
            """, new
        {
            id, kind, iin, document = "{\"placeholder\":true}"u8.ToArray(), signature = new byte[] { 0x30, 0x00 },
            signedAt, createdAt = signedAt.AddSeconds(-30),
        }, tx);
        Assert.True(new OutboxStore(db).Enqueue(id, signedAt, tx));
        tx.Commit();
        return id;
    }

    /// <summary>Central answered "registered" with this number (as the worker records a push).</summary>
    public static void Deliver(string databasePath, Guid id, string registrationNumber, DateTimeOffset at) =>
        new OutboxStore(Database(databasePath)).Record(
            [new OutboxOutcome(id, OutboxOutcomeKind.Sent, at, registrationNumber, Answer: "{\"status\":\"registered\"}")]);

    /// <summary>Central rejected it for good (the dead-letter list).</summary>
    public static void Reject(string databasePath, Guid id, string reason, DateTimeOffset at) =>
        new OutboxStore(Database(databasePath)).Record([new OutboxOutcome(id, OutboxOutcomeKind.Dead, at, Error: reason)]);

    /// <summary>A decision pulled from Central (as the worker stores a page of them, with the pull time).</summary>
    public static void Decide(string databasePath, DateTimeOffset now, params KioskDecision[] decisions)
    {
        var store = new DecisionStore(Database(databasePath));
        var cursor = long.Parse(store.Cursor() ?? "0", System.Globalization.CultureInfo.InvariantCulture) + decisions.Length;
        store.SavePage(decisions, cursor.ToString(System.Globalization.CultureInfo.InvariantCulture), now);
    }

    public static KioskDecision Accepted(Guid id, string number, string date, string from, string to, DateTimeOffset at) => new()
    {
        RequestId = id, RegistrationNumber = number, Kind = RequestKinds.HomeCall, Status = "accepted",
        VisitDate = date, VisitFrom = from, VisitTo = to, DecidedAt = at,
    };

    public static KioskDecision Refused(Guid id, string number, string reason, string? messages, DateTimeOffset at) => new()
    {
        RequestId = id, RegistrationNumber = number, Kind = RequestKinds.HomeCall, Status = "refused",
        Reason = reason, Messages = messages, DecidedAt = at,
    };
}
