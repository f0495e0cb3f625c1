using System.Diagnostics;
using Dapper;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Cms;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Storage;
using Kiosk.Tests.Central;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Sync;

/// <summary>
/// Central as its own OS process (Kiosk.Central's Program, real clock) on a loopback port fixed in advance, so it can
/// be killed with SIGKILL and started again on the same port and database. The database is prepared and seeded
/// here before the first start (the registry of <see cref="IntakeCentral"/>: the demo CA's citizens attached to a
/// clinic open every day), with <see cref="SyncCentral"/>'s kiosk provisioned.
/// </summary>
public sealed class CentralProcess : IDisposable
{
    private readonly TempDirectory _dir = new("kiosk-crash-central");
    private readonly DemoCaFixture _ca;
    private AppProcess? _process;

    public CentralProcess(DemoCaFixture ca)
    {
        _ca = ca;
        Port = SyncWorkerProcessTests.FreePort();
        Database = CentralFile.Prepare(_dir.File("central.db"), ca, TimeProvider.System);
    }

    public int Port { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");
    public SqliteDatabase Database { get; }

    /// <summary>Every process started so far (for the output of a failing test).</summary>
    public List<AppProcess> Runs { get; } = [];

    public string Output => string.Join("\n--- restart ---\n", Runs.Select(r => r.Output));

    /// <summary>Starts Central and waits until <c>/health/ready</c> answers 200.</summary>
    public async Task StartAsync()
    {
        _process = new AppProcess("Kiosk.Central",
        [
            "--urls", $"http://127.0.0.1:{Port}",
            $"--Storage:DatabasePath={Database.Path}",
            "--DemoData:Enabled=false",
            $"--Pki:TrustDirectory={_ca.Ca.TrustDirectory}",
            $"--Kiosks:Provisioned:{SyncCentral.KioskId}={SyncCentral.Credential}",
            "--Logging:LogLevel:Kiosk.Central.Sync=Warning",
        ]);
        Runs.Add(_process);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) Assert.Fail($"Central exited at start:\n{_process.Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "health/ready"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) Assert.Fail($"Central not ready within 60 s:\n{_process.Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush beyond what SQLite already handed to the OS.</summary>
    public void Kill() => _process?.Kill();

    public long Count(string sql) => CentralFile.Count(Database, sql);

    /// <summary>Central's registered requests: request id → registration number.</summary>
    public Dictionary<string, string> Registered() => CentralFile.Registered(Database);

    public void Dispose()
    {
        foreach (var run in Runs) run.Dispose();
        _dir.Dispose();
    }
}

/// <summary>
/// Home calls for <see cref="SyncCentral.KioskId"/> signed by the demo CA's citizens a minute ago by the real clock,
/// for a Central that runs on the real clock (<see cref="SyncRequests"/> signs on the fake test day, which a real
/// clock would see as a signing-time in the future). Thousands are needed, so each citizen's key file is opened and
/// checked once, by the kiosk's own <see cref="RequestSigner"/> (<see cref="IntakeCentral.Sign(DemoCaFixture, DemoCaEntry, DateTimeOffset, Guid?, string, RequestDetails?)"/>),
/// and the rest of that citizen's requests are signed with the same key the way it signs (a detached CMS with the
/// issuing CA embedded), one thread per citizen; Central verifies every one of them. Shared by the tests of a run.
/// </summary>
public static class RecentRequests
{
    private static readonly Lock Gate = new();
    private static DemoCaFixture? _for;
    private static SignedRequest[] _signed = [];

    public static IReadOnlyList<SignedRequest> Take(DemoCaFixture ca, int count)
    {
        lock (Gate)
        {
            if (!ReferenceEquals(_for, ca))
            {
                _for = ca;
                _signed = [];
            }
            if (_signed.Length < count)
            {
                var citizens = SyncRequests.Citizens(ca);
                var signedAt = DetachedCmsSigner.SigningTimeFor(DateTimeOffset.UtcNow.AddMinutes(-1));
                var offset = _signed.Length;
                var more = new SignedRequest[count - offset];
                Parallel.For(0, citizens.Count, c =>
                {
                    var citizen = citizens[c];
                    var first = IntakeCentral.Sign(ca, citizen, signedAt, null, SyncCentral.KioskId);
                    var opened = Pkcs12KeyFile.Open(File.ReadAllBytes(ca.Ca.PathOf(citizen)), ca.Ca.Password);
                    Assert.True(opened.Success, opened.ErrorCode);
                    using var key = opened.Key!;
                    var issuer = key.ExtraCertificates.First(x => x.SubjectName.RawData.AsSpan().SequenceEqual(key.Certificate.IssuerName.RawData));
                    var mine = false;
                    for (var i = 0; i < more.Length; i++)
                    {
                        if ((offset + i) % citizens.Count != c) continue;
                        if (!mine)
                        {
                            more[i] = first;
                            mine = true;
                            continue;
                        }
                        var document = new RequestDocument(Guid.NewGuid(), Iin.Parse(citizen.Iin!), "ТЕСТОВ ТЕСТ", signedAt.AddSeconds(-30),
                            SyncCentral.KioskId, "ru",
                            new HomeCallDetails("Астана, Бейбітшілік к-сі, 12-үй", "+77011234567", HomeCallReasons.Fever, "38,7"));
                        var bytes = document.ToUtf8Json();
                        more[i] = new SignedRequest(bytes, DetachedCmsSigner.Sign(bytes, key.Certificate, signedAt, issuer), first.SignerThumbprint, signedAt);
                    }
                });
                _signed = [.. _signed, .. more];
            }
            return _signed.Take(count).ToList();
        }
    }
}

/// <summary>What a crash test checks whenever it has killed something, and at the end.</summary>
public static class DeliveryInvariants
{
    /// <summary>
    /// No outbox row is <c>sent</c> unless Central holds that request under that registration number, and Central
    /// holds no request twice and no registration number twice.
    /// </summary>
    public static void Hold(KioskFile kiosk, CentralProcess central)
    {
        // The kiosk first: a row it shows as sent must already be at Central when Central is read after it.
        var sent = kiosk.Rows().Where(r => r.State == Kiosk.Node.OutboxStore.Sent).ToList();
        List<(string RequestId, string Number)> rows;
        using (var c = central.Database.Open())
            rows = c.Query<(string, string)>("SELECT request_id, registration_number FROM requests").ToList();
        Assert.Equal(rows.Count, rows.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(rows.Count, rows.Select(r => r.Number).Distinct().Count());
        var registered = rows.ToDictionary(r => r.RequestId, r => r.Number);
        foreach (var row in sent)
        {
            Assert.True(registered.TryGetValue(row.RequestId.ToString("D"), out var number),
                $"Request {row.RequestId} is sent at the kiosk but Central does not have it.");
            Assert.Equal(number, row.RegistrationNumber);
        }
    }
}
