using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Dapper;
using Kiosk.Central;
using Kiosk.Central.DemoData;
using Kiosk.Central.Schedule;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Storage;

namespace Kiosk.Benchmarks.CentralLoad;

/// <summary>
/// Issue 5 item 5: Central under parallel pushes from many kiosks. Not a unit test: run it by hand
/// (<c>dotnet run -c Release --project Kiosk.Benchmarks -- central-load [--kiosks 20] [--per-kiosk 40] [--batch 5]
/// [--citizens 60] [--central Kiosk.Central/bin/Release/net10.0/Kiosk.Central.dll]</c>).
/// <para>
/// It seeds a synthetic registry in a temp folder, issues a demo CA to that many attached citizens, signs every request
/// beforehand (appointments — a share of them for a few "hot" slots per clinic —, cancellations of earlier bookings,
/// home calls, attachments), starts Central as its own process on loopback with the kiosks provisioned, and pushes
/// from every kiosk at once (real HTTP, one client per kiosk, its requests in order). Then it checks the invariants in
/// Central's database — no slot booked twice, bookings = accepted bookings − accepted cancellations, no request
/// registered twice (and a replay registers nothing), every request decided — and prints decisions per second per
/// service and the push latency. Exit code 0 only when every invariant holds.
/// </para>
/// </summary>
public static class CentralLoadRun
{
    private sealed record Citizen(DemoPerson Person, string District, long ClinicId, DemoCaEntry Key);
    private sealed record Slot(long Id, long DoctorId, long ClinicId, DateTimeOffset StartsAt);
    private sealed record Planned(string KioskId, string Service, SignedRequest Signed);

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var kiosks = Arg("--kiosks", 20);
        var perKiosk = Arg("--per-kiosk", 40);
        var batch = Arg("--batch", 5);
        var citizenCount = Arg("--citizens", 60);
        var centralDll = Array.IndexOf(args, "--central") is var c and >= 0 && c + 1 < args.Length
            ? Path.GetFullPath(args[c + 1])
            : Path.Combine(RepositoryRoot(), "Kiosk.Central", "bin", "Release", "net10.0", "Kiosk.Central.dll");
        if (!File.Exists(centralDll))
        {
            Console.Error.WriteLine($"Central not found at {centralDll}: build it (dotnet build Kiosk.Central -c Release) or pass --central.");
            return 2;
        }

        var dir = Path.Combine(Path.GetTempPath(), "kiosk-central-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        Process? central = null;
        try
        {
            var time = TimeProvider.System;
            var dbPath = Path.Combine(dir, "central.db");
            var db = new SqliteDatabase(new StorageOptions { DatabasePath = dbPath, Synchronous = SynchronousMode.Normal });
            db.Prepare(MigrationSet.FromEmbeddedResources(typeof(CentralApp).Assembly), time);
            List<Citizen> citizens;
            List<Slot> slots;
            Dictionary<string, List<long>> clinicsByDistrict;
            var watch = Stopwatch.StartNew();
            using (var connection = db.Open())
            {
                new DemoDataSeeder(DemoDataOptions.DefaultSeed, 3000).SeedIfEmpty(connection, time);
                SlotSchedule.TopUp(connection, time);
                var people = connection.Query<(string Iin, string Surname, string FirstName, string? Patronymic, string District, long ClinicId)>("""
                    SELECT p.iin, p.surname, p.first_name, p.patronymic, p.district, a.clinic_id
                    FROM persons p JOIN attachments a ON a.iin = p.iin AND a.detached_on IS NULL
                    WHERE p.deceased_on IS NULL ORDER BY p.iin LIMIT @citizenCount
                    """, new { citizenCount }).ToList();
                var pki = DemoCa.Generate(new DemoCaOptions
                {
                    OutputDirectory = Path.Combine(dir, "pki"),
                    Citizens = people.Select(p => new DemoPerson(Iin.Parse(p.Iin), p.Surname, p.FirstName, p.Patronymic)).ToList(),
                });
                var keys = pki.Manifest.Files.Where(f => f.Case == "valid" && f.KeyType == "SIGN").ToDictionary(f => f.Iin!);
                citizens = people.Where(p => keys.ContainsKey(p.Iin))
                    .Select(p => new Citizen(new DemoPerson(Iin.Parse(p.Iin), p.Surname, p.FirstName, p.Patronymic), p.District, p.ClinicId, keys[p.Iin]))
                    .ToList();
                var soon = DapperTypeHandlers.Format(time.GetUtcNow().AddHours(2));
                slots = connection.Query<(long Id, long DoctorId, long ClinicId, string StartsAt)>("""
                        SELECT s.id, s.doctor_id, d.clinic_id, s.starts_at FROM slots s JOIN doctors d ON d.id = s.doctor_id
                        WHERE s.starts_at > @soon ORDER BY s.starts_at
                        """, new { soon })
                    .Select(s => new Slot(s.Id, s.DoctorId, s.ClinicId, SlotSchedule.ParseInstant(s.StartsAt))).ToList();
                clinicsByDistrict = connection.Query<(long ClinicId, string District)>("SELECT clinic_id, district FROM clinic_districts")
                    .GroupBy(r => r.District).ToDictionary(g => g.Key, g => g.Select(r => r.ClinicId).ToList());
                Console.WriteLine($"Seeded {people.Count} citizens' keys, {slots.Count} future slots in {watch.Elapsed.TotalSeconds:F1} s");

                // Sign everything before the load: signing is the kiosks' work, not Central's.
                watch.Restart();
                var signer = new RequestSigner(new CertificateChecker(TrustStore.LoadFromDirectory(pki.TrustDirectory)), time);
                var plan = Plan(kiosks, perKiosk, citizens, slots, clinicsByDistrict, signer, pki, time);
                Console.WriteLine($"Signed {plan.Count} requests in {watch.Elapsed.TotalSeconds:F1} s");

                // Central, its own process, the kiosks provisioned.
                var port = FreePort();
                var credentials = Enumerable.Range(1, kiosks).ToDictionary(KioskId, k => "load_" + k.ToString("D2", CultureInfo.InvariantCulture) + new string('x', 40));
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var a in (string[])[centralDll, "--urls", $"http://127.0.0.1:{port}", "--environment", "Production", "--contentRoot", dir,
                             $"--Storage:DatabasePath={dbPath}", "--DemoData:Enabled=false", $"--Pki:TrustDirectory={pki.TrustDirectory}",
                             "--Logging:LogLevel:Default=Warning"])
                    start.ArgumentList.Add(a);
                foreach (var (id, credential) in credentials) start.ArgumentList.Add($"--Kiosks:Provisioned:{id}={credential}");
                central = Process.Start(start)!;
                // Central's own log (warnings and errors only) goes to a file beside the run, kept when something breaks.
                var centralLog = TextWriter.Synchronized(new StreamWriter(Path.Combine(Path.GetTempPath(), "kiosk-central-load-central.log")));
                central.OutputDataReceived += (_, e) => { if (e.Data is not null) centralLog.WriteLine(e.Data); };
                central.ErrorDataReceived += (_, e) => { if (e.Data is not null) centralLog.WriteLine(e.Data); };
                central.Exited += (_, _) => centralLog.Flush();
                central.BeginOutputReadLine();
                central.BeginErrorReadLine();
                var baseUrl = new Uri($"http://127.0.0.1:{port}/");
                await WaitReady(baseUrl);

                // The load: every kiosk at once.
                var latencies = new List<double>();
                var failures = 0;
                watch.Restart();
                var tasks = plan.GroupBy(p => p.KioskId).Select(group => Task.Run(async () =>
                {
                    using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"{group.Key}.{credentials[group.Key]}");
                    var mine = new List<double>();
                    var bad = 0;
                    foreach (var chunk in group.Chunk(batch))
                    {
                        var started = Stopwatch.GetTimestamp();
                        using var response = await http.PostAsJsonAsync("api/sync/push", new { envelopes = chunk.Select(p => Envelope(p)).ToList() });
                        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        if (!response.IsSuccessStatusCode)
                        {
                            centralLog.Flush();
                            throw new InvalidOperationException($"push from {group.Key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()} (Central's log: {Path.Combine(Path.GetTempPath(), "kiosk-central-load-central.log")})");
                        }
                        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                        bad += body.GetProperty("results").EnumerateArray().Count(r => r.GetProperty("status").GetString() != "registered");
                    }
                    lock (latencies)
                    {
                        latencies.AddRange(mine);
                        failures += bad;
                    }
                })).ToList();
                await Task.WhenAll(tasks);
                var wall = watch.Elapsed;

                // A replay of every kiosk's first batch must register nothing new.
                var replayNew = 0;
                foreach (var group in plan.GroupBy(p => p.KioskId))
                {
                    using var http = new HttpClient { BaseAddress = baseUrl };
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"{group.Key}.{credentials[group.Key]}");
                    using var response = await http.PostAsJsonAsync("api/sync/push", new { envelopes = group.Take(batch).Select(p => Envelope(p)).ToList() });
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                    replayNew += body.GetProperty("results").EnumerateArray().Count(r => r.GetProperty("status").GetString() != "duplicate");
                }

                centralLog.Flush();
                return Report(connection, plan, latencies, failures, replayNew, wall, kiosks, batch);
            }
        }
        finally
        {
            if (central is { HasExited: false })
            {
                central.Kill(entireProcessTree: true);
                await central.WaitForExitAsync();
            }
            central?.Dispose();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static object Envelope(Planned p) => new
    {
        requestId = p.Signed.RequestId.ToString("D"),
        kioskId = p.KioskId,
        document = Convert.ToBase64String(p.Signed.DocumentBytes),
        signature = Convert.ToBase64String(p.Signed.Signature),
        createdAt = p.Signed.SignedAt,
    };

    private static string KioskId(int k) => "load-" + k.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>
    /// Per kiosk, in order: 50 % appointments (40 % of them for one of the clinic's four hot slots), 10 % cancellations
    /// of the kiosk's own earlier booking requests, 25 % home calls, 15 % voluntary attachments to another clinic of the
    /// district. Deterministic (fixed seed).
    /// </summary>
    private static List<Planned> Plan(int kiosks, int perKiosk, List<Citizen> citizens, List<Slot> slots,
        Dictionary<string, List<long>> clinicsByDistrict, RequestSigner signer, DemoCaResult pki, TimeProvider time)
    {
        var random = new Random(20261125);
        var byClinic = slots.GroupBy(s => s.ClinicId).ToDictionary(g => g.Key, g => g.ToList());
        var hot = byClinic.ToDictionary(g => g.Key, g => g.Value.Where(s => s.DoctorId == g.Value[0].DoctorId).Take(4).ToList());
        var keyFiles = new Dictionary<string, byte[]>();
        var plan = new List<Planned>();
        for (var k = 1; k <= kiosks; k++)
        {
            var kioskId = KioskId(k);
            var booked = new List<(Citizen Who, Guid RequestId, Slot Slot)>();
            for (var j = 0; j < perKiosk; j++)
            {
                var who = citizens[random.Next(citizens.Count)];
                var roll = random.NextDouble();
                RequestDetails details;
                string service;
                if (roll < 0.10 && booked.Count > 0)
                {
                    var b = booked[random.Next(booked.Count)];
                    booked.Remove(b);
                    who = b.Who;
                    details = new AppointmentCancellationDetails(b.RequestId, b.Slot.ClinicId, b.Slot.DoctorId, b.Slot.Id, b.Slot.StartsAt);
                    service = "cancellation";
                }
                else if (roll < 0.60 && byClinic.TryGetValue(who.ClinicId, out var own))
                {
                    var slot = random.NextDouble() < 0.4 ? hot[who.ClinicId][random.Next(hot[who.ClinicId].Count)] : own[random.Next(own.Count)];
                    details = new AppointmentDetails(slot.ClinicId, slot.DoctorId, slot.Id, slot.StartsAt);
                    service = "appointment";
                }
                else if (roll < 0.85)
                {
                    details = new HomeCallDetails("Астана, демо-адрес", "+77011234567", HomeCallReasons.Fever);
                    service = "home-call";
                }
                else
                {
                    var others = clinicsByDistrict.GetValueOrDefault(who.District, []).Where(id => id != who.ClinicId).ToList();
                    details = new AttachmentDetails(others.Count > 0 ? others[random.Next(others.Count)] : who.ClinicId, AttachmentReasons.Voluntary);
                    service = "attachment";
                }
                var document = new RequestDocument(Guid.NewGuid(), who.Person.Iin, who.Person.FullName, time.GetUtcNow(), kioskId, "ru", details);
                if (!keyFiles.TryGetValue(who.Key.File, out var keyFile)) keyFiles[who.Key.File] = keyFile = File.ReadAllBytes(pki.PathOf(who.Key));
                var result = signer.Sign(document, keyFile, pki.Password);
                if (!result.Success) throw new InvalidOperationException("Signing failed: " + string.Join(", ", result.Codes));
                if (details is AppointmentDetails a) booked.Add((who, document.RequestId, new Slot(a.SlotId, a.DoctorId, a.ClinicId, a.SlotStart)));
                plan.Add(new Planned(kioskId, service, result.Request));
            }
        }
        return plan;
    }

    private static int Report(Microsoft.Data.Sqlite.SqliteConnection c, List<Planned> plan, List<double> latencies, int failures, int replayNew,
        TimeSpan wall, int kiosks, int batch)
    {
        long Scalar(string sql) => c.ExecuteScalar<long>(sql);
        var slotsTwice = Scalar("SELECT COUNT(*) FROM (SELECT slot_id FROM bookings GROUP BY slot_id HAVING COUNT(*) > 1)");
        var acceptedBookings = Scalar("SELECT COUNT(*) FROM requests WHERE kind = 'appointment' AND status = 'accepted' AND registration_number LIKE 'AP-%'");
        var acceptedCancellations = Scalar("SELECT COUNT(*) FROM requests WHERE kind = 'appointment' AND status = 'accepted' AND registration_number LIKE 'AC-%'");
        var bookings = Scalar("SELECT COUNT(*) FROM bookings");
        var cancelled = Scalar("SELECT COUNT(*) FROM cancelled_bookings");
        var registered = Scalar("SELECT COUNT(*) FROM requests");
        var distinctDocuments = Scalar("SELECT COUNT(DISTINCT document_sha256) FROM requests");
        var undecided = Scalar("SELECT COUNT(*) FROM requests WHERE status = 'registered'");
        var slotTaken = Scalar("SELECT COUNT(*) FROM requests WHERE reason = 'slot-taken'");
        var checks = new (string What, bool Holds, string Detail)[]
        {
            ("no slot booked twice", slotsTwice == 0, $"{slotsTwice} slots with two active bookings"),
            ("bookings = accepted bookings − accepted cancellations", bookings == acceptedBookings - acceptedCancellations && cancelled == acceptedCancellations,
                $"{bookings} active = {acceptedBookings} − {acceptedCancellations}; {cancelled} cancelled rows"),
            ("no request registered twice", registered == plan.Count && distinctDocuments == plan.Count && replayNew == 0,
                $"{registered} rows, {distinctDocuments} distinct documents for {plan.Count} pushed; replay: {replayNew} not duplicate"),
            ("every request registered on first push", failures == 0, $"{failures} answers other than registered"),
            ("every request decided", undecided == 0, $"{undecided} undecided"),
        };

        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        var byService = plan.GroupBy(p => p.Service).OrderBy(g => g.Key).ToList();
        var outcome = c.Query<(string Kind, string Number, string Status, string? Reason)>("SELECT kind, registration_number, status, reason FROM requests")
            .GroupBy(r => r.Number.StartsWith("AC-", StringComparison.Ordinal) ? "cancellation" : r.Kind)
            .ToDictionary(g => g.Key, g => (Accepted: g.Count(r => r.Status == "accepted"), Refused: g.Count(r => r.Status == "refused")));

        Console.WriteLine();
        Console.WriteLine($"### Central under {kiosks} kiosks pushing at once (issue 5)");
        Console.WriteLine();
        Console.WriteLine($"{plan.Count} signed requests, batches of {batch}, {latencies.Count} pushes in {wall.TotalSeconds:F2} s " +
                          $"({plan.Count / wall.TotalSeconds:F0} decisions/s overall); {slotTaken} refused `slot-taken` (the hot slots' losers).");
        Console.WriteLine();
        Console.WriteLine("| service | requests | accepted | refused | decisions/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var g in byService)
        {
            var o = outcome.GetValueOrDefault(g.Key);
            Console.WriteLine($"| {g.Key} | {g.Count()} | {o.Accepted} | {o.Refused} | {g.Count() / wall.TotalSeconds:F0} |");
        }
        Console.WriteLine();
        Console.WriteLine($"Push latency ({batch} envelopes): p50 {Percentile(0.50):F1} ms, p99 {Percentile(0.99):F1} ms, max {latencies.LastOrDefault():F1} ms.");
        Console.WriteLine();
        Console.WriteLine("| invariant | result |");
        Console.WriteLine("| --- | --- |");
        foreach (var (what, holds, detail) in checks) Console.WriteLine($"| {what} | {(holds ? "holds" : "**BROKEN**")}: {detail} |");
        return checks.All(x => x.Holds) ? 0 : 1;
    }

    private static async Task WaitReady(Uri baseUrl)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("Central did not become ready in 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Kiosk.slnx"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
