using System.Globalization;
using Dapper;
using Kiosk.Core.Requests;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Node;

public enum SignedRequestSaveOutcome
{
    /// <summary>The row is new.</summary>
    Saved,

    /// <summary>A row with this request id and byte-identical document was already there (a repeated tap, a retried
    /// post); it is kept as it was, with its first signature.</summary>
    AlreadySaved,
}

/// <summary>
/// The kiosk's table of signed requests (migration 0002): the document bytes and the CMS signature, stored and read
/// back byte for byte. Plain parameterised SQL.
/// <para>
/// To write more in the same transaction (issue 4's outbox row), open it yourself and pass it in:
/// <code>
/// using var connection = db.Open();
/// using var tx = connection.BeginTransaction();   // BEGIN IMMEDIATE: the write lock up front
/// store.Save(signed, tx);
/// outbox.Enqueue(signed.RequestId, tx);
/// tx.Commit();                                     // only now tell the citizen the request is accepted
/// </code>
/// </para>
/// </summary>
public sealed class SignedRequestStore
{
    private readonly SqliteDatabase _db;

    public SignedRequestStore(SqliteDatabase db)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        DapperTypeHandlers.Register();
    }

    /// <summary>Saves in a transaction of its own.</summary>
    public SignedRequestSaveOutcome Save(SignedRequest request)
    {
        using var connection = _db.Open();
        using var transaction = connection.BeginTransaction();
        var outcome = Save(request, transaction);
        transaction.Commit();
        return outcome;
    }

    /// <summary>
    /// Saves inside the caller's transaction (which the caller commits or rolls back). The same request id with a
    /// byte-identical document is <see cref="SignedRequestSaveOutcome.AlreadySaved"/>; with any other document it is
    /// refused with <see cref="InvalidOperationException"/>: a request id names one document, ever.
    /// </summary>
    public SignedRequestSaveOutcome Save(SignedRequest request, SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction has ended.", nameof(transaction));
        var document = request.Document;
        var inserted = connection.Execute("""
            INSERT INTO signed_requests
                (request_id, kind, applicant_iin, document, signature, signer_thumbprint, signed_at, created_at)
            VALUES
                (@RequestId, @Kind, @ApplicantIin, @Document, @Signature, @SignerThumbprint, @SignedAt, @CreatedAt)
            ON CONFLICT (request_id) DO NOTHING
            """,
            new
            {
                document.RequestId,
                document.Kind,
                document.ApplicantIin,
                Document = request.DocumentBytes,
                request.Signature,
                request.SignerThumbprint,
                request.SignedAt,
                document.CreatedAt,
            },
            transaction);
        if (inserted == 1) return SignedRequestSaveOutcome.Saved;

        var stored = connection.QuerySingle<byte[]>(
            "SELECT document FROM signed_requests WHERE request_id = @RequestId", new { document.RequestId }, transaction);
        if (stored.AsSpan().SequenceEqual(request.DocumentBytes)) return SignedRequestSaveOutcome.AlreadySaved;
        throw new InvalidOperationException($"Request {document.RequestId} is already stored with another document.");
    }

    /// <summary>The stored request, its bytes exactly as saved; null when there is none.</summary>
    public SignedRequest? Get(Guid requestId)
    {
        using var connection = _db.Open();
        var rows = connection.Query<(byte[] Document, byte[] Signature, string SignerThumbprint, string SignedAt)>(
            "SELECT document, signature, signer_thumbprint, signed_at FROM signed_requests WHERE request_id = @requestId",
            new { requestId }).ToList();
        if (rows.Count == 0) return null;
        var r = rows[0];
        var signedAt = DateTimeOffset.Parse(r.SignedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new SignedRequest(r.Document, r.Signature, r.SignerThumbprint, signedAt);
    }
}
