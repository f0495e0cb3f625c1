using Dapper;
using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Kiosk.Tests.Requests;

/// <summary>The kiosk's outbox (migration 0003) on a real SQLite file: written with its signed request, or not at all.</summary>
public class OutboxStoreTests
{
    private static readonly MigrationSet KioskMigrations = KioskNodeSchema.Migrations;
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);

    private static SqliteDatabase Prepared(TempDirectory dir)
    {
        var db = new SqliteDatabase(new StorageOptions { DatabasePath = dir.File("kiosk.db") });
        db.Prepare(KioskMigrations, TimeProvider.System);
        return db;
    }

    private static SignedRequest Signed(RequestDocument document) =>
        new(document.ToUtf8Json(), [0x30, 0x01, 0x00], new string('B', 64), Now);

    [Fact]
    public void Outbox_row_is_queued_in_the_transaction_of_its_signed_request()
    {
        using var dir = new TempDirectory();
        var db = Prepared(dir);
        var requests = new SignedRequestStore(db);
        var outbox = new OutboxStore(db);
        var signed = Signed(SampleDocuments.HomeCall());

        using (var connection = db.Open())
        using (var tx = connection.BeginTransaction())
        {
            requests.Save(signed, tx);
            Assert.True(outbox.Enqueue(signed.RequestId, Now, tx));
            Assert.False(outbox.Enqueue(signed.RequestId, Now.AddMinutes(1), tx)); // a retried post changes nothing
            tx.Commit();
        }

        var entry = outbox.Get(signed.RequestId);
        Assert.NotNull(entry);
        Assert.Equal(OutboxStore.Queued, entry.State);
        Assert.Equal(0, entry.Attempts);
        Assert.Equal(Now, entry.NextAttemptAt);
        Assert.Equal(Now, entry.CreatedAt);
        Assert.Null(entry.SentAt);
        Assert.Null(entry.RegistrationNumber);
        Assert.Equal(1, outbox.QueuedCount());
        using var c = db.Open();
        Assert.Equal(KioskMigrations.Migrations[^1].Version, c.ExecuteScalar<long>("SELECT max(version) FROM schema_migrations"));
        Assert.Equal("outbox", c.ExecuteScalar<string>("SELECT name FROM schema_migrations WHERE version = 3"));
    }

    [Fact]
    public void Outbox_and_signed_request_roll_back_together()
    {
        using var dir = new TempDirectory();
        var db = Prepared(dir);
        var signed = Signed(SampleDocuments.HomeCall());
        using (var connection = db.Open())
        using (var tx = connection.BeginTransaction())
        {
            new SignedRequestStore(db).Save(signed, tx);
            new OutboxStore(db).Enqueue(signed.RequestId, Now, tx);
            tx.Rollback(); // a crash before the commit
        }
        Assert.Null(new SignedRequestStore(db).Get(signed.RequestId));
        Assert.Null(new OutboxStore(db).Get(signed.RequestId));
    }

    [Fact]
    public void Outbox_refuses_a_row_without_its_signed_request_and_an_unknown_state()
    {
        using var dir = new TempDirectory();
        var db = Prepared(dir);
        using var connection = db.Open();
        using (var tx = connection.BeginTransaction())
        {
            var e = Assert.Throws<SqliteException>(() => new OutboxStore(db).Enqueue(Guid.NewGuid(), Now, tx));
            Assert.Contains("FOREIGN KEY", e.Message);
        }

        var signed = Signed(SampleDocuments.HomeCall());
        new SignedRequestStore(db).Save(signed);
        var id = signed.RequestId.ToString("D");
        Assert.Throws<SqliteException>(() => connection.Execute(
            "INSERT INTO outbox (request_id, state, next_attempt_at, created_at) VALUES (@id, 'lost', 'x', 'x')", new { id }));
        // 'sent' needs its sent_at, and only 'sent' has one.
        Assert.Throws<SqliteException>(() => connection.Execute(
            "INSERT INTO outbox (request_id, state, next_attempt_at, created_at) VALUES (@id, 'sent', 'x', 'x')", new { id }));
    }
}
