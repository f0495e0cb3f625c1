using Dapper;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Node.Slips;

/// <summary>A slip's signed token as stored for printing and reprinting.</summary>
public sealed record StoredSlip(Guid RequestId, string Kind, string Token, DateTimeOffset IssuedAt);

/// <summary>
/// The kiosk's slips (migration 0007): one token per request and kind. The first token stored wins, so every reprint
/// of a slip carries the token of the first print.
/// </summary>
public sealed class SlipStore(SqliteDatabase db)
{
    /// <summary>Stores the token unless one is stored for the request and kind; returns the one that is.</summary>
    public StoredSlip Keep(Guid requestId, string kind, string token, DateTimeOffset issuedAt)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var kept = Keep(requestId, kind, token, issuedAt, tx);
        tx.Commit();
        return kept;
    }

    /// <summary>As <see cref="Keep(Guid,string,string,DateTimeOffset)"/>, inside the caller's transaction.</summary>
    public static StoredSlip Keep(Guid requestId, string kind, string token, DateTimeOffset issuedAt, SqliteTransaction tx)
    {
        var c = tx.Connection!;
        c.Execute("""
            INSERT INTO slips (request_id, kind, token, issued_at) VALUES (@id, @kind, @token, @issuedAt)
            ON CONFLICT (request_id, kind) DO NOTHING
            """, new { id = requestId.ToString("D"), kind, token, issuedAt = issuedAt.ToUniversalTime() }, tx);
        return Find(c, requestId, kind, tx)!;
    }

    public StoredSlip? Find(Guid requestId, string kind)
    {
        using var c = db.Open();
        return Find(c, requestId, kind, null);
    }

    /// <summary>The kinds of slip stored for each of the requests (one query for a whole screen of them).</summary>
    public ILookup<Guid, string> KindsOf(IEnumerable<Guid> requestIds)
    {
        using var c = db.Open();
        return c.Query<(string RequestId, string Kind)>("SELECT request_id, kind FROM slips WHERE request_id IN @ids",
                new { ids = requestIds.Select(id => id.ToString("D")).ToList() })
            .ToLookup(r => Guid.Parse(r.RequestId), r => r.Kind);
    }

    private static StoredSlip? Find(SqliteConnection c, Guid requestId, string kind, SqliteTransaction? tx) =>
        c.QuerySingleOrDefault<(string Token, DateTimeOffset IssuedAt)?>(
            "SELECT token, issued_at FROM slips WHERE request_id = @id AND kind = @kind", new { id = requestId.ToString("D"), kind }, tx) is { } row
            ? new StoredSlip(requestId, kind, row.Token, row.IssuedAt)
            : null;
}
