using System.Diagnostics;
using System.Globalization;
using Dapper;
using Kiosk.Central;
using Kiosk.Central.Sync;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Cms;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kiosk.Benchmarks;

/// <summary>
/// The sync drain (issue 4, "Done when"): N signed home calls queued in a fresh kiosk SQLite file are pushed by the real
/// sync worker process (Kiosk.Sync) to the real Central process (Kiosk.Central) on loopback, signature checks and
/// registration included, and timed until the outbox is empty; both processes' resident memory is sampled meanwhile
/// (VmRSS every 100 ms, and the kernel's peak VmHWM at the end). Then, in this process and the same run, Central's raw
/// intake of the same envelopes (<see cref="IntakeService.Push"/>, same batches, no HTTP, no kiosk) into another fresh
/// Central database: the baseline. Prints a markdown table.
/// <para>Usage: <c>Kiosk.Benchmarks drain [--count 10000] [--batch 50]</c>; the apps must be built in Release
/// (scripts/bench-drain.sh does both).</para>
/// </summary>
public static class DrainBenchmark
{
    private const string KioskId = "kiosk-bench.01";
    private static readonly string Credential = "bench_" + new string('D', 40);

    public static int Run(string[] args)
    {
        var count = Option(args, "--count", 10_000);
        var batch = Option(args, "--batch", 50);
        var root = SolutionRoot();
        var tmp = Directory.CreateTempSubdirectory("kiosk-bench-drain-");
        try
        {
            Say($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
            var clock = Stopwatch.StartNew();
            using var ca = DemoCa.Generate(new DemoCaOptions { OutputDirectory = Path.Combine(tmp.FullName, "demo-ca") });
            var citizens = ca.Manifest.Files.Where(f => f.Case == "valid" && f.KeyType == "SIGN").ToList();
            var requests = Sign(ca, citizens, count);
            Say($"{count} requests signed by {citizens.Count} demo citizens in {clock.Elapsed.TotalSeconds:0.0} s");

            var kiosk = new SqliteDatabase(new StorageOptions { DatabasePath = Path.Combine(tmp.FullName, "kiosk.db"), Synchronous = SynchronousMode.Full });
            kiosk.Prepare(KioskNodeSchema.Migrations, TimeProvider.System);
            Queue(kiosk, requests);
            var envelopes = Envelopes(kiosk);
            var drainDb = PrepareCentral(Path.Combine(tmp.FullName, "central-drain.db"), citizens);
            var rawDb = PrepareCentral(Path.Combine(tmp.FullName, "central-raw.db"), citizens);
            Say($"kiosk outbox of {count} and two fresh Central databases ready");

            var drain = Drain(root, ca, kiosk, drainDb, count, batch);
            var raw = RawIntake(ca, rawDb, envelopes, batch, tmp.FullName);

            var http = count / drain.Seconds;
            var bare = count / raw.Seconds;
            Say($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine();
            Console.WriteLine($"| measure ({count:N0} requests, batches of {batch}) | drain: worker → Central over HTTP | raw intake: IntakeService.Push, no HTTP | ratio |");
            Console.WriteLine("| --- | ---: | ---: | ---: |");
            Console.WriteLine($"| seconds to empty the outbox / to take every envelope | {drain.Seconds:0.0} | {raw.Seconds:0.0} | {drain.Seconds / raw.Seconds:0.00} |");
            Console.WriteLine($"| requests/s | {http:N0} | {bare:N0} | {http / bare:0.00} |");
            var steady = count / (drain.Seconds - drain.FirstDelivery);
            Console.WriteLine($"| requests/s once delivering (worker start-up left out) | {steady:N0} | {bare:N0} | {steady / bare:0.00} |");
            Console.WriteLine($"| CPU ms per request | worker {drain.WorkerCpu * 1000 / count:0.00}, Central {drain.CentralCpu * 1000 / count:0.00} | {raw.Cpu * 1000 / count:0.00} | Central {drain.CentralCpu / raw.Cpu:0.00} |");
            Console.WriteLine($"| peak resident memory (VmHWM) | worker {drain.WorkerPeakKiB / 1024.0:0} MiB, Central {drain.CentralPeakKiB / 1024.0:0} MiB | (in the benchmark's own process) | |");
            Console.WriteLine($"| CPU seconds | worker {drain.WorkerCpu:0.0}, Central {drain.CentralCpu:0.0} | {raw.Cpu:0.0} | |");
            Console.WriteLine();
            Console.WriteLine($"Worker start to first delivery: {drain.FirstDelivery:0.00} s (process start, migrations check, first push); " +
                              $"resident memory sampled every 100 ms: worker at most {drain.WorkerRssKiB / 1024.0:0} MiB, Central at most {drain.CentralRssKiB / 1024.0:0} MiB; " +
                              $"Central at rest before the drain {drain.CentralIdleKiB / 1024.0:0} MiB.");
            return 0;
        }
        finally
        {
            try { tmp.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private sealed record DrainResult(double Seconds, double FirstDelivery, long WorkerPeakKiB, long CentralPeakKiB, long WorkerRssKiB, long CentralRssKiB,
        long CentralIdleKiB, double WorkerCpu, double CentralCpu);

    private sealed record RawResult(double Seconds, double Cpu);

    private static DrainResult Drain(string root, DemoCaResult ca, SqliteDatabase kiosk, SqliteDatabase central, int count, int batch)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        using var centralProcess = Start(root, "Kiosk.Central",
        [
            "--urls", url, $"--Storage:DatabasePath={central.Path}", "--DemoData:Enabled=false", $"--Pki:TrustDirectory={ca.TrustDirectory}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
        ], new() { [$"Kiosks__Provisioned__{KioskId}"] = Credential });
        try
        {
            WaitReady(url, centralProcess);
            var centralIdle = Status(centralProcess.Id, "VmRSS");
            var clock = Stopwatch.StartNew();
            using var worker = Start(root, "Kiosk.Sync",
            [
                $"--Storage:DatabasePath={kiosk.Path}", $"--Central:BaseUrl={url}/", $"--Sync:KioskId={KioskId}", $"--Sync:BatchSize={batch}",
                "--Sync:PollInterval=00:00:01", "--Sync:RetryBaseDelay=00:00:00.200", "--Sync:RetryMaxDelay=00:00:01", "--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            ], new() { ["Sync__Credential"] = Credential });
            try
            {
                double? first = null;
                long workerRss = 0, centralRss = 0;
                while (true)
                {
                    workerRss = Math.Max(workerRss, Status(worker.Id, "VmRSS"));
                    centralRss = Math.Max(centralRss, Status(centralProcess.Id, "VmRSS"));
                    var queued = Scalar(kiosk, "SELECT COUNT(*) FROM outbox WHERE state = 'queued'");
                    if (first is null && queued < count) first = clock.Elapsed.TotalSeconds;
                    if (queued == 0) break;
                    if (worker.HasExited || centralProcess.HasExited) throw new InvalidOperationException("The worker or Central exited during the drain.");
                    if (clock.Elapsed > TimeSpan.FromMinutes(15)) throw new TimeoutException($"{queued} requests still queued after 15 minutes.");
                    Thread.Sleep(100);
                }
                var seconds = clock.Elapsed.TotalSeconds;
                var result = new DrainResult(seconds, first ?? seconds, Status(worker.Id, "VmHWM"), Status(centralProcess.Id, "VmHWM"), workerRss, centralRss,
                    centralIdle, CpuSeconds(worker.Id), CpuSeconds(centralProcess.Id));
                var sent = Scalar(kiosk, "SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND registration_number IS NOT NULL");
                var registered = Scalar(central, "SELECT COUNT(*) FROM requests");
                if (sent != count || registered != count)
                    throw new InvalidOperationException($"After the drain: {sent} sent at the kiosk, {registered} registered at Central, of {count}.");
                Say($"drain: {count} delivered and registered in {seconds:0.0} s");
                return result;
            }
            finally
            {
                Stop(worker);
            }
        }
        finally
        {
            Stop(centralProcess);
        }
    }

    private static RawResult RawIntake(DemoCaResult ca, SqliteDatabase db, List<SyncEnvelope> envelopes, int batch, string contentRoot)
    {
        var app = CentralApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--contentRoot", contentRoot, "--environment", "Production", $"--Storage:DatabasePath={db.Path}",
            "--DemoData:Enabled=false", $"--Pki:TrustDirectory={ca.TrustDirectory}", $"--Kiosks:Provisioned:{KioskId}={Credential}",
        ], builder => builder.Logging.ClearProviders());
        app.StartAsync().GetAwaiter().GetResult();
        try
        {
            var intake = app.Services.GetRequiredService<IntakeService>();
            var cpu = CpuSeconds(Environment.ProcessId);
            var clock = Stopwatch.StartNew();
            var registered = 0;
            foreach (var chunk in envelopes.Chunk(batch))
                registered += intake.Push(KioskId, null, chunk).Count(a => a.Status == PushStatus.Registered);
            var seconds = clock.Elapsed.TotalSeconds;
            cpu = CpuSeconds(Environment.ProcessId) - cpu;
            if (registered != envelopes.Count) throw new InvalidOperationException($"Raw intake registered {registered} of {envelopes.Count}.");
            Say($"raw intake: {registered} registered in {seconds:0.0} s");
            return new RawResult(seconds, cpu);
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
            ((IAsyncDisposable)app).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Home calls signed a minute ago (real clock, as Central checks them): per citizen, the first by the kiosk's own
    /// <see cref="RequestSigner"/> (key file opened, certificate checked, signature self-verified), the rest with the same
    /// opened key as it signs (detached CMS, issuing CA embedded), one thread per citizen. Central verifies all of them.
    /// </summary>
    private static SignedRequest[] Sign(DemoCaResult ca, List<DemoCaEntry> citizens, int count)
    {
        var trust = TrustStore.LoadFromDirectory(ca.TrustDirectory);
        var signedAt = DetachedCmsSigner.SigningTimeFor(DateTimeOffset.UtcNow.AddMinutes(-1));
        var result = new SignedRequest[count];
        Parallel.For(0, citizens.Count, c =>
        {
            var citizen = citizens[c];
            var keyFile = File.ReadAllBytes(ca.PathOf(citizen));
            var signer = new RequestSigner(new CertificateChecker(trust, new CertificateCheckerOptions()), new FixedTime(signedAt));
            var first = signer.Sign(Document(citizen, signedAt), keyFile, ca.Password);
            if (!first.Success) throw new InvalidOperationException("Signing failed: " + string.Join(", ", first.Codes));
            var opened = Pkcs12KeyFile.Open(keyFile, ca.Password);
            using var key = opened.Key ?? throw new InvalidOperationException(opened.ErrorCode);
            var issuer = key.ExtraCertificates.First(x => x.SubjectName.RawData.AsSpan().SequenceEqual(key.Certificate.IssuerName.RawData));
            for (var i = c; i < count; i += citizens.Count)
            {
                if (i == c)
                {
                    result[i] = first.Request;
                    continue;
                }
                var bytes = Document(citizen, signedAt).ToUtf8Json();
                result[i] = new SignedRequest(bytes, DetachedCmsSigner.Sign(bytes, key.Certificate, signedAt, issuer), first.Request.SignerThumbprint, signedAt);
            }
        });
        return result;
    }

    private static RequestDocument Document(DemoCaEntry citizen, DateTimeOffset signedAt) =>
        new(Guid.NewGuid(), Iin.Parse(citizen.Iin!), "БЕНЧМАРК ТЕСТ", signedAt.AddSeconds(-30), KioskId, "ru",
            new HomeCallDetails("Астана, Бейбітшілік к-сі, 12-үй, 34-пәтер", "+77011234567", HomeCallReasons.Fever, "Температура 38,7"));

    /// <summary>As the kiosk node queues: the signed request and its outbox row in one transaction (here 10,000 in one).</summary>
    private static void Queue(SqliteDatabase kiosk, SignedRequest[] requests)
    {
        var store = new SignedRequestStore(kiosk);
        var outbox = new OutboxStore(kiosk);
        var now = DateTimeOffset.UtcNow;
        using var c = kiosk.Open();
        using var tx = c.BeginTransaction();
        for (var i = 0; i < requests.Length; i++)
        {
            store.Save(requests[i], tx);
            outbox.Enqueue(requests[i].RequestId, now.AddTicks(i * 10), tx);
        }
        tx.Commit();
    }

    /// <summary>The envelopes the worker will send, built the way it builds them, from the kiosk file, oldest first.</summary>
    private static List<SyncEnvelope> Envelopes(SqliteDatabase kiosk) =>
        new OutboxStore(kiosk).TakeDue(DateTimeOffset.MaxValue, int.MaxValue)
            .Select(r => new SyncEnvelope(r.RequestId.ToString("D"), KioskId, Convert.ToBase64String(r.Document), Convert.ToBase64String(r.Signature),
                r.CreatedAt.ToUniversalTime()))
            .ToList();

    /// <summary>A fresh Central database: its migrations, one clinic open every day, the demo citizens attached to it.</summary>
    private static SqliteDatabase PrepareCentral(string path, List<DemoCaEntry> citizens)
    {
        var db = new SqliteDatabase(new StorageOptions { DatabasePath = path, Synchronous = SynchronousMode.Normal });
        db.Prepare(MigrationSet.FromEmbeddedResources(typeof(CentralApp).Assembly), TimeProvider.System);
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        c.Execute("INSERT INTO reference_versions (version, created_at, note) VALUES (1, @now, 'drain benchmark')", new { now = DateTimeOffset.UtcNow }, tx);
        c.Execute("INSERT INTO districts (code, name_ru, name_kk, name_en, in_city, version) VALUES ('D1', 'Р', 'Қ', 'E', 1, 1)", transaction: tx);
        c.Execute("INSERT INTO clinics (id, name_ru, name_kk, name_en, address, version) VALUES (1, 'П', 'Е', 'C', 'Astana', 1)", transaction: tx);
        for (var weekday = 0; weekday < 7; weekday++)
            c.Execute("INSERT INTO clinic_hours (clinic_id, weekday, opens, closes) VALUES (1, @weekday, '08:00', '20:00')", new { weekday }, tx);
        foreach (var citizen in citizens)
        {
            c.Execute("""
                INSERT INTO persons (iin, surname, first_name, patronymic, sex, birth_date, district, address, deceased_on)
                VALUES (@iin, 'БЕНЧМАРК', 'ТЕСТ', NULL, 'male', '1950-01-01', 'D1', 'Astana', NULL)
                """, new { iin = citizen.Iin }, tx);
            c.Execute("INSERT INTO attachments (iin, clinic_id, attached_on) VALUES (@iin, 1, '2010-01-01')", new { iin = citizen.Iin }, tx);
        }
        tx.Commit();
        return db;
    }

    private static Process Start(string root, string project, string[] args, Dictionary<string, string> environment)
    {
        var dll = Path.Combine(root, project, "bin", "Release", "net10.0", project + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll}: build it in Release first (scripts/bench-drain.sh does).");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = Path.Combine(root, project) };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in environment) start.Environment[k] = v;
        return Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start.");
    }

    private static void Stop(Process process)
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    private static void WaitReady(string url, Process central)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (central.HasExited) throw new InvalidOperationException("Central exited at start.");
            try
            {
                using var response = http.GetAsync(url + "/health/ready").GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException("Central not ready within 60 s.");
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in KiB (VmRSS now, VmHWM the peak so far); 0 when gone.</summary>
    private static long Status(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>User plus system CPU time of a process so far (/proc/&lt;pid&gt;/stat, clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static long Scalar(SqliteDatabase db, string sql)
    {
        using var c = db.Open();
        return c.ExecuteScalar<long>(sql);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static string SolutionRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Kiosk.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Kiosk.slnx not found: run from the repository.");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Say(string line) => Console.Error.WriteLine("== " + line);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
