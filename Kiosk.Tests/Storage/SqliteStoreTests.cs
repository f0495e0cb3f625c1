using Dapper;
using Kiosk.Core.Identity;
using Kiosk.Storage;
using Kiosk.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Storage;

public class SqliteStoreTests
{
    private static readonly MigrationSet TwoMigrations = new([
        new Migration(1, "people", "CREATE TABLE people (iin TEXT PRIMARY KEY, seen_at TEXT NOT NULL, token TEXT NOT NULL);"),
        new Migration(2, "visits", "CREATE TABLE visits (id INTEGER PRIMARY KEY, iin TEXT NOT NULL REFERENCES people(iin));"),
    ]);

    static SqliteStoreTests() => DapperTypeHandlers.Register();

    private static SqliteDatabase NewDatabase(TempDirectory dir, SynchronousMode mode = SynchronousMode.Full) =>
        new(new StorageOptions { DatabasePath = dir.File("sub/folder/node.db"), Synchronous = mode, BusyTimeoutMilliseconds = 4321 });

    [Fact]
    public void First_start_creates_the_file_in_wal_mode_and_records_each_migration_once()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var db = NewDatabase(dir);

        var applied = db.Prepare(TwoMigrations, time);
        time.Advance(TimeSpan.FromHours(1));
        var again = db.Prepare(TwoMigrations, time);

        Assert.True(File.Exists(db.Path));
        Assert.Equal([1, 2], applied.Select(m => m.Version));
        Assert.Equal(applied, again); // the second start applied nothing new
        Assert.Equal(time.GetUtcNow().AddHours(-1), applied[0].AppliedAt);
        using var c = db.Open();
        Assert.Equal("wal", c.ExecuteScalar<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public void Every_connection_has_foreign_keys_busy_timeout_and_the_configured_durability()
    {
        using var dir = new TempDirectory();
        var full = NewDatabase(dir);
        full.Prepare(TwoMigrations, TimeProvider.System);
        using (var c = full.Open())
        {
            Assert.Equal(1, c.ExecuteScalar<long>("PRAGMA foreign_keys"));
            Assert.Equal(4321, c.ExecuteScalar<long>("PRAGMA busy_timeout"));
            Assert.Equal(2, c.ExecuteScalar<long>("PRAGMA synchronous")); // 2 = FULL
            var ex = Assert.Throws<SqliteException>(() => c.Execute("INSERT INTO visits (iin) VALUES ('nobody')"));
            Assert.Contains("FOREIGN KEY", ex.Message);
        }
        using var normal = NewDatabase(dir, SynchronousMode.Normal).Open();
        Assert.Equal(1, normal.ExecuteScalar<long>("PRAGMA synchronous")); // 1 = NORMAL
    }

    [Fact]
    public void A_migration_edited_after_it_ran_stops_the_start()
    {
        using var dir = new TempDirectory();
        var db = NewDatabase(dir);
        db.Prepare(TwoMigrations, TimeProvider.System);
        var edited = new MigrationSet([
            TwoMigrations.Migrations[0] with { Sql = TwoMigrations.Migrations[0].Sql + " -- edited" },
            TwoMigrations.Migrations[1],
        ]);
        var ex = Assert.Throws<InvalidOperationException>(() => db.Prepare(edited, TimeProvider.System));
        Assert.Contains("0001_people", ex.Message);
    }

    [Fact]
    public void A_failing_migration_leaves_no_half_applied_schema()
    {
        using var dir = new TempDirectory();
        var db = NewDatabase(dir);
        var broken = new MigrationSet([
            TwoMigrations.Migrations[0],
            new Migration(2, "broken", "CREATE TABLE half (id INTEGER); THIS IS NOT SQL;"),
        ]);
        Assert.ThrowsAny<SqliteException>(() => db.Prepare(broken, TimeProvider.System));
        using var c = db.Open();
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"));
        Assert.Equal([1L], c.Query<long>("SELECT version FROM schema_migrations"));
    }

    [Fact]
    public void Two_migrations_with_one_number_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new MigrationSet([
            new Migration(1, "a", "SELECT 1;"), new Migration(1, "b", "SELECT 2;")]));
    }

    [Fact]
    public void Instants_guids_and_iins_round_trip_through_dapper()
    {
        using var dir = new TempDirectory();
        var db = NewDatabase(dir);
        db.Prepare(TwoMigrations, TimeProvider.System);
        var iin = Iin.Parse("450617336583");
        var seen = new DateTimeOffset(2026, 11, 25, 15, 30, 0, TimeSpan.FromHours(5));
        var token = Guid.NewGuid();
        using var c = db.Open();
        c.Execute("INSERT INTO people (iin, seen_at, token) VALUES (@iin, @seen, @token)", new { iin, seen, token });

        var row = c.QuerySingle<(Iin Iin, DateTimeOffset SeenAt, Guid Token)>("SELECT iin, seen_at, token FROM people");
        var raw = c.QuerySingle<(string Iin, string SeenAt, string Token)>("SELECT iin, seen_at, token FROM people");

        Assert.Equal((iin, seen, token), row);
        Assert.Equal(("450617336583", "2026-11-25T10:30:00.0000000Z", token.ToString("D")), raw); // stored as UTC text
    }

    [Fact]
    public void An_empty_database_path_is_a_configuration_error()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new SqliteDatabase(new StorageOptions()));
        Assert.Contains("Storage:DatabasePath", ex.Message);
    }
}
