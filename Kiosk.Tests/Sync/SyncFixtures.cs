using Dapper;
using Kiosk.Central;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Tests.Central;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Sync;

/// <summary>
/// A real Central for the sync worker's tests, in this test process on loopback Kestrel at a port fixed in advance,
/// so that it can start after the worker and stop and start again over the same database. Its fake clock stands at
/// 10:05 on the intake tests' Wednesday; one kiosk is provisioned; the demo CA's citizens are attached to a clinic
/// open every day. The database is prepared and seeded before Central starts, so no push can arrive before the
/// registry is there.
/// </summary>
/// <summary>Central's SQLite file as the sync tests prepare and read it, whether Central runs in the test or as its own process.</summary>
public static class CentralFile
{
    /// <summary>Migrated, with the intake tests' reference data and the demo CA's citizens attached to a clinic open every day.</summary>
    public static SqliteDatabase Prepare(string path, DemoCaFixture ca, TimeProvider time)
    {
        var db = new SqliteDatabase(new StorageOptions { DatabasePath = path, Synchronous = SynchronousMode.Normal });
        db.Prepare(CentralDatabaseFixture.Migrations, time);
        IntakeCentral.SeedReferenceData(db, time.GetUtcNow());
        foreach (var citizen in SyncRequests.Citizens(ca))
            IntakeCentral.SetRegistry(db, citizen, RegistryState.AttachedOpenEveryDay);
        return db;
    }

    public static long Count(SqliteDatabase db, string sql)
    {
        using var c = db.Open();
        return c.ExecuteScalar<long>(sql);
    }

    /// <summary>Central's registered requests: request id → registration number.</summary>
    public static Dictionary<string, string> Registered(SqliteDatabase db)
    {
        using var c = db.Open();
        return c.Query<(string RequestId, string Number)>("SELECT request_id, registration_number FROM requests")
            .ToDictionary(r => r.RequestId, r => r.Number);
    }
}

public sealed class SyncCentral : IAsyncDisposable
{
    public const string KioskId = "kiosk-sync.01";
    public static readonly string Credential = "sync_" + new string('B', 38);

    private readonly TempDirectory _dir = new("kiosk-sync-central");
    private readonly DemoCaFixture _ca;
    private readonly string[] _extra;

    public SyncCentral(DemoCaFixture ca, params string[] extra)
    {
        _ca = ca;
        _extra = extra;
        Port = SyncWorkerProcessTests.FreePort();
        Day = IntakeCentral.TestDay(ca);
        Time = new FakeTimeProvider(AstanaTime.ToUtc(Day, new TimeOnly(10, 5)));
        Database = CentralFile.Prepare(_dir.File("central.db"), ca, Time);
    }

    public int Port { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");
    public DateOnly Day { get; }
    public FakeTimeProvider Time { get; }
    public SqliteDatabase Database { get; }
    public WebApplication? App { get; private set; }
    public CollectingLoggerProvider Logs { get; } = new();

    public async Task StartAsync()
    {
        string[] args =
        [
            "--urls", $"http://127.0.0.1:{Port}",
            "--contentRoot", _dir.Path,
            "--environment", "Production",
            $"--Storage:DatabasePath={Database.Path}",
            "--DemoData:Enabled=false",
            $"--Pki:TrustDirectory={_ca.Ca.TrustDirectory}",
            $"--Kiosks:Provisioned:{KioskId}={Credential}",
            .. _extra,
        ];
        App = CentralApp.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(Logs);
            builder.Services.AddSingleton<TimeProvider>(Time);
        });
        await App.StartAsync();
    }

    public async Task StopAsync()
    {
        if (App is null) return;
        await App.StopAsync();
        await App.DisposeAsync();
        App = null;
    }

    public long Count(string sql) => CentralFile.Count(Database, sql);

    /// <summary>Central's registered requests: request id → registration number.</summary>
    public Dictionary<string, string> Registered() => CentralFile.Registered(Database);

    /// <summary>
    /// What Central learnt of a kiosk's clock before it stopped (a heartbeat: the kiosk's clock minus Central's),
    /// recorded before Central starts. With it the intake moves a signing time by the kiosk's real clock onto this
    /// Central's fake clock (docs/sync-protocol.md §3), so a request signed at a real kiosk is judged at the fake
    /// moment it corresponds to, not on another day. Provisioning at start keeps the figure.
    /// </summary>
    public void RememberKioskClock(string kioskId, DateTimeOffset kioskNow)
    {
        var centralNow = Time.GetUtcNow();
        using var c = Database.Open();
        c.Execute("""
            INSERT INTO kiosks (kiosk_id, name, created_at, clock_skew_seconds) VALUES (@kioskId, @kioskId, @now, @skew)
            ON CONFLICT (kiosk_id) DO UPDATE SET clock_skew_seconds = excluded.clock_skew_seconds
            """, new { kioskId, now = DapperTypeHandlers.Format(centralNow), skew = (kioskNow - centralNow).TotalSeconds });
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }
}

/// <summary>
/// The kiosk's SQLite file, prepared with the kiosk's schema, with requests queued the way the kiosk node queues them
/// (the signed request and its outbox row in one transaction), and the real sync worker process started on it.
/// </summary>
public sealed class KioskFile : IDisposable
{
    private readonly TempDirectory _dir = new("kiosk-sync-node");

    public KioskFile()
    {
        Database = new SqliteDatabase(new StorageOptions { DatabasePath = _dir.File("kiosk.db") });
        Database.Prepare(KioskNodeSchema.Migrations, TimeProvider.System);
        Decisions = new DecisionStore(Database);
    }

    public SqliteDatabase Database { get; }
    public DecisionStore Decisions { get; }

    /// <summary>Queues the requests in this order, a millisecond apart, now by the real clock (so they are due now).</summary>
    public void Queue(IEnumerable<SignedRequest> requests)
    {
        var store = new SignedRequestStore(Database);
        var outbox = new OutboxStore(Database);
        var now = DateTimeOffset.UtcNow;
        using var c = Database.Open();
        using var tx = c.BeginTransaction();
        var i = 0;
        foreach (var request in requests)
        {
            store.Save(request, tx);
            Assert.True(outbox.Enqueue(request.RequestId, now.AddMilliseconds(i++), tx));
        }
        tx.Commit();
    }

    public List<OutboxEntry> Rows()
    {
        using var c = Database.Open();
        return c.Query<OutboxEntry>("""
            SELECT request_id AS RequestId, state AS State, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
                   last_error AS LastError, created_at AS CreatedAt, sent_at AS SentAt,
                   registration_number AS RegistrationNumber, answer AS Answer
            FROM outbox ORDER BY created_at
            """).ToList();
    }

    public long Count(string sql)
    {
        using var c = Database.Open();
        return c.ExecuteScalar<long>(sql);
    }

    public long SentCount() => Count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'");

    public string? Setting(string key) => new KioskSettings(Database).Get(key);

    /// <summary>The real Kiosk.Sync process on this file, provisioned as <see cref="SyncCentral.KioskId"/>, with quick polls and retries.</summary>
    public AppProcess StartWorker(Uri central, params string[] extra) => Start(central, SyncCentral.Credential, extra);

    /// <summary>The worker as <see cref="SyncCentral.KioskId"/> with another credential than Central's.</summary>
    public AppProcess StartWorkerWithCredential(Uri central, string credential) => Start(central, credential, []);

    /// <summary>The worker as <see cref="SyncCentral.KioskId"/> with no credential configured, only a one-time enrollment code.</summary>
    public AppProcess StartEnrollingWorker(Uri central, string enrollmentCode) => Start(central, null, [$"--Sync:EnrollmentCode={enrollmentCode}"]);

    private AppProcess Start(Uri central, string? credential, string[] extra) => Worker(Database.Path, central, credential, extra);

    /// <summary>The real Kiosk.Sync process on another kiosk file (a running kiosk node's), provisioned as
    /// <see cref="SyncCentral.KioskId"/>, with the same quick polls and retries as <see cref="StartWorker"/>.</summary>
    public static AppProcess StartWorkerOn(string databasePath, Uri central, params string[] extra) =>
        Worker(databasePath, central, SyncCentral.Credential, extra);

    private static AppProcess Worker(string databasePath, Uri central, string? credential, string[] extra) => new("Kiosk.Sync",
    [
        $"--Storage:DatabasePath={databasePath}",
        $"--Central:BaseUrl={central}",
        $"--Sync:KioskId={SyncCentral.KioskId}",
        "--Sync:PollInterval=00:00:00.500",
        "--Sync:RetryBaseDelay=00:00:00.200",
        "--Sync:RetryMaxDelay=00:00:01",
        "--Sync:CallTimeout=00:00:20",
        .. extra,
    ], credential is null ? null : new Dictionary<string, string> { ["Sync__Credential"] = credential });


    public void Dispose() => _dir.Dispose();
}

/// <summary>
/// Home calls signed by the demo CA's citizens at 10:00 on the test day for <see cref="SyncCentral.KioskId"/>, signed
/// once per test run and shared by the sync tests (each test has its own Central and kiosk file).
/// </summary>
public static class SyncRequests
{
    private static readonly Lock Gate = new();
    private static DemoCaFixture? _for;
    private static readonly List<SignedRequest> Signed = [];

    public static IReadOnlyList<DemoCaEntry> Citizens(DemoCaFixture ca) =>
        ca.Manifest.Files.Where(f => f.Case == "valid" && f.KeyType == "SIGN").ToList();

    public static IReadOnlyList<SignedRequest> Take(DemoCaFixture ca, int count)
    {
        lock (Gate)
        {
            if (!ReferenceEquals(_for, ca))
            {
                _for = ca;
                Signed.Clear();
            }
            var citizens = Citizens(ca);
            var signedAt = AstanaTime.ToUtc(IntakeCentral.TestDay(ca), new TimeOnly(10, 0));
            while (Signed.Count < count)
                Signed.Add(IntakeCentral.Sign(ca, citizens[Signed.Count % citizens.Count], signedAt, null, SyncCentral.KioskId));
            return Signed.Take(count).ToList();
        }
    }
}

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="describe"/>'s text after <paramref name="timeout"/>.</summary>
    public static async Task That(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Not within {timeout}:\n{describe()}");
            await Task.Delay(100);
        }
    }
}
