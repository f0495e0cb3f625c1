using Dapper;
using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Kiosk.Tests.Requests;

/// <summary>The kiosk's signed_requests table on a real SQLite file, with the kiosk's own migrations.</summary>
public class SignedRequestStoreTests
{
    private static readonly MigrationSet KioskMigrations = KioskNodeSchema.Migrations;

    static SignedRequestStoreTests() => DapperTypeHandlers.Register();

    private static SqliteDatabase Prepared(TempDirectory dir)
    {
        var db = new SqliteDatabase(new StorageOptions { DatabasePath = dir.File("kiosk.db") });
        db.Prepare(KioskMigrations, TimeProvider.System);
        return db;
    }

    /// <summary>A signed request with a signature of awkward bytes (the store keeps what it is given; the signer is tested elsewhere).</summary>
    private static SignedRequest Signed(RequestDocument document, int seed = 1)
    {
        var signature = new byte[2500];
        new Random(seed).NextBytes(signature);
        signature[0] = 0x00;
        signature[^1] = 0x00;
        return new SignedRequest(document.ToUtf8Json(), signature, new string('A', 64), new DateTimeOffset(2026, 11, 25, 4, 13, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Migration_0002_applies_after_0001()
    {
        using var dir = new TempDirectory();
        var db = Prepared(dir);
        using var c = db.Open();
        // Later migrations (0003 outbox, …) follow; 0001 and 0002 come first, in order.
        Assert.Equal([1L, 2L], c.Query<long>("SELECT version FROM schema_migrations WHERE version <= 2 ORDER BY version"));
        Assert.Equal("signed_requests", c.ExecuteScalar<string>("SELECT name FROM schema_migrations WHERE version = 2"));
    }

    [Fact]
    public void A_saved_request_comes_back_byte_for_byte_even_after_the_database_is_reopened()
    {
        using var dir = new TempDirectory();
        var original = Signed(SampleDocuments.HomeCall());
        Assert.Equal(SignedRequestSaveOutcome.Saved, new SignedRequestStore(Prepared(dir)).Save(original));
        SqliteConnection.ClearAllPools();

        // A new process's view: a new database object on the same file, migrations found already applied.
        var reopened = new SignedRequestStore(Prepared(dir));
        var back = reopened.Get(original.RequestId)!;
        Assert.Equal(original.DocumentBytes, back.DocumentBytes);
        Assert.Equal(original.Signature, back.Signature);
        Assert.Equal(original.SignerThumbprint, back.SignerThumbprint);
        Assert.Equal(original.SignedAt, back.SignedAt);
        Assert.Equal(original.Document, back.Document);
        Assert.Null(reopened.Get(Guid.NewGuid()));

        using var c = new SqliteDatabase(new StorageOptions { DatabasePath = dir.File("kiosk.db") }).Open();
        var row = c.QuerySingle<(string RequestId, string Kind, string Iin, string SignedAt, string CreatedAt, string DocumentType)>(
            "SELECT request_id, kind, applicant_iin, signed_at, created_at, typeof(document) FROM signed_requests");
        Assert.Equal(("3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c", "home-call", "850314312017", "2026-11-25T04:13:00.0000000Z",
            "2026-11-25T04:12:09.1230000Z", "blob"), row);
    }

    [Fact]
    public void Every_kind_is_stored()
    {
        using var dir = new TempDirectory();
        var store = new SignedRequestStore(Prepared(dir));
        var documents = new[] { SampleDocuments.HomeCall(), SampleDocuments.Appointment(), SampleDocuments.Attachment() };
        foreach (var d in documents) store.Save(Signed(d));
        foreach (var d in documents) Assert.Equal(d.ToUtf8Json(), store.Get(d.RequestId)!.DocumentBytes);
    }

    [Fact]
    public void Saving_the_same_document_again_keeps_the_first_and_another_document_under_the_same_id_is_refused()
    {
        using var dir = new TempDirectory();
        var store = new SignedRequestStore(Prepared(dir));
        var first = Signed(SampleDocuments.HomeCall(), seed: 1);
        store.Save(first);
        Assert.Equal(SignedRequestSaveOutcome.AlreadySaved, store.Save(Signed(SampleDocuments.HomeCall(), seed: 2)));
        Assert.Equal(first.Signature, store.Get(first.RequestId)!.Signature);

        var other = Signed(SampleDocuments.HomeCall(note: null));
        Assert.Equal(first.RequestId, other.RequestId);
        Assert.Throws<InvalidOperationException>(() => store.Save(other));
        Assert.Equal(first.DocumentBytes, store.Get(first.RequestId)!.DocumentBytes);
    }

    [Fact]
    public void Save_joins_the_callers_transaction_and_a_rollback_leaves_nothing()
    {
        using var dir = new TempDirectory();
        var db = Prepared(dir);
        var store = new SignedRequestStore(db);
        var request = Signed(SampleDocuments.Appointment());
        using (var connection = db.Open())
        using (var tx = connection.BeginTransaction())
        {
            store.Save(request, tx);
            // What issue 4's outbox will do: another write in the same transaction, which sees the row.
            Assert.Equal(1, connection.ExecuteScalar<long>("SELECT count(*) FROM signed_requests", transaction: tx));
            tx.Rollback();
        }
        Assert.Null(store.Get(request.RequestId));

        using (var connection = db.Open())
        using (var tx = connection.BeginTransaction())
        {
            store.Save(request, tx);
            tx.Commit();
        }
        Assert.Equal(request.Signature, store.Get(request.RequestId)!.Signature);
    }

    [Fact]
    public void The_table_refuses_what_is_not_a_signed_request()
    {
        using var dir = new TempDirectory();
        using var c = Prepared(dir).Open();
        Assert.Throws<SqliteException>(() => c.Execute(
            "INSERT INTO signed_requests VALUES ('3F2B8C1E-7A4D-4E6B-9C0A-5D1E2F3A4B5C', 'home-call', '850314312017', x'01', x'01', 'A', 't', 't')"));
        Assert.Throws<SqliteException>(() => c.Execute(
            "INSERT INTO signed_requests VALUES ('3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c', 'home-call', '85031431201X', x'01', x'01', 'A', 't', 't')"));
        Assert.Throws<SqliteException>(() => c.Execute(
            "INSERT INTO signed_requests VALUES ('3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c', 'home-call', '850314312017', 'text', x'01', 'A', 't', 't')"));
    }
}
