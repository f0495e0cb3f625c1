using Kiosk.Core.Time;
using Kiosk.Central;
using Kiosk.Central.DemoData;
using Kiosk.Central.Schedule;
using Kiosk.Storage;
using Kiosk.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Central;

/// <summary>
/// One Central database, seeded once with the default seed and topped up with slots at a fixed instant, shared by the
/// tests of the "Central database" collection (they only read it, or write inside a transaction they roll back).
/// </summary>
public sealed class CentralDatabaseFixture : IDisposable
{
    /// <summary>Wednesday 4 March 2026, 06:30 in Astana.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 4, 1, 30, 0, TimeSpan.Zero);

    public static readonly MigrationSet Migrations = MigrationSet.FromEmbeddedResources(typeof(CentralApp).Assembly);

    private readonly TempDirectory _dir = new("kiosk-central");

    public CentralDatabaseFixture()
    {
        DapperTypeHandlers.Register();
        Time = new FakeTimeProvider(Now);
        (Database, Applied) = Create(_dir, "central.db", Time);
        using var connection = Database.Open();
        Seed = new DemoDataSeeder(DemoDataOptions.DefaultSeed, 12_000).SeedIfEmpty(connection, Time);
        SlotsAdded = SlotSchedule.TopUp(connection, Time);
    }

    public FakeTimeProvider Time { get; }
    public SqliteDatabase Database { get; }
    public IReadOnlyList<AppliedMigration> Applied { get; }
    public DemoSeedResult Seed { get; }
    public int SlotsAdded { get; }
    public DateOnly Today => AstanaTime.Today(Time);

    public SqliteConnection Open() => Database.Open();

    /// <summary>A new, migrated, empty Central database in the given folder.</summary>
    public static (SqliteDatabase Database, IReadOnlyList<AppliedMigration> Applied) Create(TempDirectory dir, string name, TimeProvider time)
    {
        DapperTypeHandlers.Register();
        var db = new SqliteDatabase(new StorageOptions { DatabasePath = dir.File(name), Synchronous = SynchronousMode.Normal });
        return (db, db.Prepare(Migrations, time));
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CentralDatabaseCollection : ICollectionFixture<CentralDatabaseFixture>
{
    public const string Name = "Central database";
}
