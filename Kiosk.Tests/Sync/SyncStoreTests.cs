using Dapper;
using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Sync;
using Kiosk.Tests.Requests;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Sync;

/// <summary>What the sync worker does to the kiosk's tables, on a real SQLite file (no Central, no process).</summary>
public class SyncStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);

    private static SqliteDatabase Prepared(TempDirectory dir)
    {
        var db = new SqliteDatabase(new StorageOptions { DatabasePath = dir.File("kiosk.db") });
        db.Prepare(KioskNodeSchema.Migrations, TimeProvider.System);
        return db;
    }

    private static Guid Queue(SqliteDatabase db, DateTimeOffset at)
    {
        var sample = SampleDocuments.HomeCall();
        var document = new RequestDocument(Guid.NewGuid(), sample.ApplicantIin, sample.ApplicantName, sample.CreatedAt, sample.KioskId,
            sample.Language, sample.Details);
        var signed = new SignedRequest(document.ToUtf8Json(), [0x30, 0x01, 0x00], new string('B', 64), at);
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        new SignedRequestStore(db).Save(signed, tx);
        new OutboxStore(db).Enqueue(signed.RequestId, at, tx);
        tx.Commit();
        return signed.RequestId;
    }

    [Fact]
    public void Due_rows_come_oldest_first_with_their_signed_bytes_and_only_when_due()
    {
        using var dir = new TempDirectory();
        var db = Prepared(dir);
        var outbox = new OutboxStore(db);
        var later = Queue(db, Now.AddSeconds(2));
        var first = Queue(db, Now);
        var notYet = Queue(db, Now.AddMinutes(5));

        var due = outbox.TakeDue(Now.AddSeconds(10), 10);

        Assert.Equal(new[] { first, later }, due.Select(d => d.RequestId));
        Assert.Equal(new SignedRequestStore(db).Get(first)!.DocumentBytes, due[0].Document);
        Assert.Equal(new byte[] { 0x30, 0x01, 0x00 }, due[0].Signature);
        Assert.Equal(Now, due[0].CreatedAt);
        Assert.Single(outbox.TakeDue(Now.AddSeconds(10), 1));
        Assert.Contains(notYet, outbox.TakeDue(Now.AddMinutes(5), 10).Select(d => d.RequestId));
    }

    [Fact]
    public void Answers_are_recorded_per_row_and_a_delivered_row_is_never_moved_back()
    {
        using var dir = new TempDirectory();
        var db = Prepared(dir);
        var outbox = new OutboxStore(db);
        var (sent, dead, retry) = (Queue(db, Now), Queue(db, Now), Queue(db, Now));

        outbox.Record(
        [
            new OutboxOutcome(sent, OutboxOutcomeKind.Sent, Now.AddSeconds(1), "HC-20261126-000001", Answer: """{"status":"registered"}"""),
            new OutboxOutcome(dead, OutboxOutcomeKind.Dead, Now.AddSeconds(1), Error: "content-mismatch", Answer: """{"status":"rejected"}"""),
            new OutboxOutcome(retry, OutboxOutcomeKind.Retry, Now.AddMinutes(1), Error: "crl-stale"),
        ]);
        // A late answer for rows already settled changes nothing.
        outbox.Record(
        [
            new OutboxOutcome(sent, OutboxOutcomeKind.Retry, Now.AddMinutes(9), Error: "timeout"),
            new OutboxOutcome(dead, OutboxOutcomeKind.Sent, Now.AddMinutes(9), "HC-20261126-000009"),
        ]);

        var s = outbox.Get(sent)!;
        Assert.Equal((OutboxStore.Sent, 1L, "HC-20261126-000001", (string?)null), (s.State, s.Attempts, s.RegistrationNumber, s.LastError));
        Assert.Equal(Now.AddSeconds(1), s.SentAt);
        Assert.Contains("registered", s.Answer!);
        var d = outbox.Get(dead)!;
        Assert.Equal((OutboxStore.Dead, 1L, "content-mismatch", (string?)null), (d.State, d.Attempts, d.LastError, d.RegistrationNumber));
        Assert.Null(d.SentAt);
        var r = outbox.Get(retry)!;
        Assert.Equal((OutboxStore.Queued, 1L, "crl-stale"), (r.State, r.Attempts, r.LastError));
        Assert.Equal(Now.AddMinutes(1), r.NextAttemptAt);
        Assert.Empty(outbox.TakeDue(Now.AddSeconds(30), 10));
        Assert.Equal(new OutboxCounts(1, 1, 1, Now), outbox.Counts());
    }

    [Fact]
    public void A_page_of_decisions_and_its_cursor_are_stored_together_and_a_repeated_page_is_stored_once()
    {
        using var dir = new TempDirectory();
        var db = Prepared(dir);
        var decisions = new DecisionStore(db);
        var id = Guid.NewGuid();
        var decision = new KioskDecision
        {
            RequestId = id, RegistrationNumber = "HC-20261126-000001", Kind = "home-call", Status = "refused",
            Reason = "after-cut-off", Messages = """{"kk":"…","ru":"…","en":"…"}""", DecidedAt = Now,
        };
        Assert.Null(decisions.Cursor());

        decisions.SavePage([decision], "7", Now.AddSeconds(1));
        decisions.SavePage([decision], "7", Now.AddSeconds(2)); // the same page again (a worker killed before it moved on)

        Assert.Equal("7", decisions.Cursor());
        var stored = Assert.Single(decisions.All());
        Assert.Equal((id, "refused", "after-cut-off"), (stored.RequestId, stored.Status, stored.Reason));
        Assert.Equal(Now, stored.DecidedAt);
        Assert.Contains("\"ru\"", stored.Messages!);
        Assert.Null(stored.VisitDate);
        Assert.Equal("7", new KioskSettings(db).Get(KioskSettings.DecisionsCursor));
        Assert.NotNull(new KioskSettings(db).Get(KioskSettings.LastPullAt));
    }

    [Fact]
    public async Task Two_processes_preparing_the_same_new_file_at_once_both_succeed()
    {
        // The kiosk node and its sync worker may start together on a fresh file; each applies the kiosk's schema.
        using var dir = new TempDirectory();
        var path = dir.File("kiosk.db");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            new SqliteDatabase(new StorageOptions { DatabasePath = path }).Prepare(KioskNodeSchema.Migrations, TimeProvider.System))));

        using var c = new SqliteDatabase(new StorageOptions { DatabasePath = path }).Open();
        Assert.Equal(KioskNodeSchema.Migrations.Migrations.Count, c.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Theory]
    [InlineData(1, 1_000, 2_000)]
    [InlineData(2, 2_000, 4_000)]
    [InlineData(4, 8_000, 16_000)]
    [InlineData(10, 30_000, 60_000)]  // capped at the maximum
    [InlineData(1_000, 30_000, 60_000)]
    public void Backoff_doubles_per_failure_up_to_the_maximum_with_a_random_half(int failures, int lowMs, int highMs)
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var delay = Backoff.Delay(failures, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), random).TotalMilliseconds;
            Assert.InRange(delay, lowMs, highMs);
        }
    }
}
