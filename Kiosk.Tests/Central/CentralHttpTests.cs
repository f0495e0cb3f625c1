using Kiosk.Core.Time;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Kiosk.Central;
using Kiosk.Central.DemoData;
using Kiosk.Central.Schedule;
using Kiosk.Storage;
using Kiosk.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Central;

/// <summary>Collects every log line of an app under test, to check that none carries personal data.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>
/// The real Kiosk.Central on Kestrel, on a free loopback port, with its own SQLite file seeded with demo data.
/// </summary>
public sealed class CentralServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("kiosk-central-http");

    public WebApplication App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public CollectingLoggerProvider Logs { get; } = new();
    public string DatabasePath => _dir.File("data/central.db");

    public static async Task<WebApplication> StartAsync(
        string contentRoot, string databasePath, bool demoData, ILoggerProvider? logs = null, TimeProvider? time = null, int persons = 12_000)
    {
        var app = CentralApp.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--contentRoot", contentRoot,
                "--environment", "Production",
                $"--Storage:DatabasePath={databasePath}",
                $"--DemoData:Enabled={demoData}",
                $"--DemoData:Persons={persons}",
            ],
            builder =>
            {
                // Keep the test output quiet: the app's lines go to the collector instead of the console.
                builder.Logging.ClearProviders();
                if (logs is not null) builder.Logging.AddProvider(logs);
                if (time is not null) builder.Services.AddSingleton(time);
            });
        await app.StartAsync();
        return app;
    }

    public static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    public async Task InitializeAsync()
    {
        App = await StartAsync(_dir.Path, DatabasePath, demoData: true, Logs);
        Http = new HttpClient { BaseAddress = AddressOf(App), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _dir.Dispose();
    }
}

public sealed partial class CentralHttpTests(CentralServerFixture fx) : IClassFixture<CentralServerFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Name(string Ru, string Kk, string En);
    private sealed record District(string Code, Name Name);
    private sealed record Hours(int Weekday, string Day, string Opens, string Closes);
    private sealed record Clinic(long Id, Name Name, string Address, List<District> Districts, List<Hours> Hours, long AttachedCount);
    private sealed record ClinicList(long Version, string TimeZone, List<Clinic> Clinics);
    private sealed record Doctor(long Id, long ClinicId, string Surname, string FirstName, string? Patronymic, string Speciality, int SlotMinutes, string Room);
    private sealed record DoctorList(long ClinicId, List<Doctor> Doctors);
    private sealed record Slot(long Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string LocalDate, string LocalTime);
    private sealed record SlotList(long DoctorId, string From, int Days, string TimeZone, List<Slot> Slots);

    private async Task<(HttpResponseMessage Response, string Body)> Get(string path)
    {
        var response = await fx.Http.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> GetJson(string path)
    {
        var (response, body) = await Get(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    private static T Read<T>(JsonElement e) => e.Deserialize<T>(Json)!;

    [GeneratedRegex(@"\b\d{12}\b")]
    private static partial Regex TwelveDigits();

    [Fact]
    public async Task Health_live_and_ready_answer_200()
    {
        var (live, liveBody) = await Get("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", liveBody);
        var (ready, readyBody) = await Get("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", readyBody);
    }

    [Fact]
    public async Task Clinics_come_with_names_in_three_languages_districts_hours_and_attached_counts()
    {
        var (response, body) = await Get("/api/reference/clinics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Городская поликлиника №1", body); // Cyrillic and № unescaped
        Assert.DoesNotMatch(TwelveDigits(), body); // no IINs
        var clinics = Read<ClinicList>(JsonDocument.Parse(body).RootElement);
        Assert.Equal("Asia/Almaty", clinics.TimeZone);
        Assert.True(clinics.Version >= 2);
        Assert.True(clinics.Clinics.Count >= 8);
        Assert.All(clinics.Clinics, k =>
        {
            Assert.StartsWith("Городская поликлиника №", k.Name.Ru);
            Assert.EndsWith("қалалық емхана", k.Name.Kk);
            Assert.StartsWith("City Polyclinic No.", k.Name.En);
            Assert.StartsWith("г. Астана", k.Address);
            Assert.InRange(k.Districts.Count, 1, 2);
            Assert.All(k.Districts, d => Assert.False(string.IsNullOrEmpty(d.Name.Kk)));
            Assert.DoesNotContain(k.Hours, h => h.Weekday is < 0 or > 6);
            Assert.Contains(k.Hours, h => h is { Weekday: 1, Day: "monday" });
            Assert.True(k.AttachedCount > 100);
        });
        Assert.Contains(clinics.Clinics, k => k.Hours.Any(h => h is { Weekday: 0, Day: "sunday" }));

        var one = await GetJson("/api/reference/clinics/1");
        Assert.Equal(1, one.GetProperty("id").GetInt64());
        Assert.Equal(clinics.Clinics[0].AttachedCount, one.GetProperty("attachedCount").GetInt64());
    }

    [Fact]
    public async Task Doctors_of_a_clinic_and_their_free_slots()
    {
        var doctors = Read<DoctorList>(await GetJson("/api/reference/clinics/1/doctors"));
        Assert.Equal(1, doctors.ClinicId);
        Assert.Equal(["district-therapist", "general-practitioner", "paediatrician"], doctors.Doctors.Select(d => d.Speciality).Distinct().Order());
        Assert.All(doctors.Doctors, d => Assert.Contains(d.SlotMinutes, new[] { 15, 20 }));

        var doctor = doctors.Doctors[0];
        var today = AstanaTime.Today(TimeProvider.System);
        var slots = Read<SlotList>(await GetJson($"/api/reference/doctors/{doctor.Id}/slots?from={today:yyyy-MM-dd}&days=14"));
        Assert.Equal(doctor.Id, slots.DoctorId);
        Assert.Equal(14, slots.Days);
        Assert.True(slots.Slots.Count >= 100);
        var now = DateTimeOffset.UtcNow;
        Assert.All(slots.Slots, s =>
        {
            Assert.True(s.StartsAt > now.AddMinutes(-1));
            Assert.Equal(TimeSpan.FromMinutes(doctor.SlotMinutes), s.EndsAt - s.StartsAt);
            Assert.Equal(s.StartsAt.ToOffset(TimeSpan.FromHours(5)).ToString("HH:mm"), s.LocalTime);
            Assert.InRange(DateOnly.Parse(s.LocalDate), today, today.AddDays(13));
        });

        // Defaults: from today, for the 14-day horizon.
        var byDefault = Read<SlotList>(await GetJson($"/api/reference/doctors/{doctor.Id}/slots"));
        Assert.Equal(today.ToString("yyyy-MM-dd"), byDefault.From);

        // A booked slot is no longer free.
        var booked = slots.Slots[0];
        var db = fx.App.Services.GetRequiredService<SqliteDatabase>();
        using (var c = db.Open())
        {
            var iin = DemoDataSeeder.FindExamples(c).Attached;
            c.Execute("INSERT INTO bookings (slot_id, iin, request_id, created_at) VALUES (@slot, @iin, @request, @at)",
                new { slot = booked.Id, iin, request = Guid.NewGuid(), at = DateTimeOffset.UtcNow });
        }
        var after = Read<SlotList>(await GetJson($"/api/reference/doctors/{doctor.Id}/slots?from={today:yyyy-MM-dd}&days=14"));
        Assert.DoesNotContain(after.Slots, s => s.Id == booked.Id);
        Assert.Equal(slots.Slots.Count - 1, after.Slots.Count(s => s.StartsAt >= slots.Slots[0].StartsAt));
    }

    [Theory]
    [InlineData("/api/reference/clinics/9999")]
    [InlineData("/api/reference/clinics/9999/doctors")]
    [InlineData("/api/reference/doctors/9999/slots")]
    [InlineData("/api/reference/doctors/abc/slots")]
    [InlineData("/api/reference/nothing")]
    public async Task Unknown_ids_give_404_problem_details(string path)
    {
        var (response, body) = await Get(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=25.11.2026", "from")]
    [InlineData("days=0", "days")]
    [InlineData("days=32", "days")]
    [InlineData("days=-1", "days")]
    [InlineData("days=ten", "days")]
    public async Task Bad_query_parameters_give_400_problem_details(string query, string field)
    {
        var (response, body) = await Get($"/api/reference/doctors/1/slots?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Version_and_start_up_logs_carry_no_personal_data()
    {
        var version = await GetJson("/api/reference/version");
        Assert.True(version.GetProperty("version").GetInt64() >= 2);
        Assert.True(version.GetProperty("changedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);

        Assert.Contains(fx.Logs.Lines, l => l.Contains("Demo data seeded: 12000 persons"));
        Assert.Contains(fx.Logs.Lines, l => l.Contains("Slots topped up"));
        Assert.DoesNotContain(fx.Logs.Lines, l => TwelveDigits().IsMatch(l));
        using var c = fx.App.Services.GetRequiredService<SqliteDatabase>().Open();
        var personal = c.Query<string>("SELECT iin FROM persons UNION SELECT surname FROM persons UNION SELECT address FROM persons").ToList();
        var lines = fx.Logs.Lines.ToList();
        Assert.DoesNotContain(lines, l => personal.Any(p => l.Contains(p, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_running_service_tops_the_slots_up_after_astana_midnight()
    {
        using var dir = new TempDirectory("kiosk-central-midnight");
        // 23:50 in Astana on Wednesday 4 March 2026.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 18, 50, 0, TimeSpan.Zero));
        var app = await CentralServerFixture.StartAsync(dir.Path, dir.File("c.db"), demoData: true, time: time, persons: 100);
        try
        {
            var db = app.Services.GetRequiredService<SqliteDatabase>();
            DateOnly LastSlotDate()
            {
                using var c = db.Open();
                return DateOnly.FromDateTime(AstanaTime.ToLocal(SlotSchedule.ParseInstant(c.ExecuteScalar<string>("SELECT MAX(starts_at) FROM slots")!)));
            }
            Assert.Equal(new DateOnly(2026, 3, 18), LastSlotDate());

            time.Advance(TimeSpan.FromMinutes(12)); // past 00:01 on Thursday
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (LastSlotDate() < new DateOnly(2026, 3, 19) && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal(new DateOnly(2026, 3, 19), LastSlotDate());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_demo_data_central_starts_empty_and_ready_turns_503_when_the_database_breaks()
    {
        using var dir = new TempDirectory("kiosk-central-empty");
        var logs = new CollectingLoggerProvider();
        var app = await CentralServerFixture.StartAsync(dir.Path, dir.File("empty.db"), demoData: false, logs);
        try
        {
            using var http = new HttpClient { BaseAddress = CentralServerFixture.AddressOf(app) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
            var clinics = JsonDocument.Parse(await http.GetStringAsync("/api/reference/clinics")).RootElement;
            Assert.Equal(0, clinics.GetProperty("clinics").GetArrayLength());
            Assert.Contains(logs.Lines, l => l.StartsWith("Warning") && l.Contains("DemoData__Enabled=true"));

            using (var c = app.Services.GetRequiredService<SqliteDatabase>().Open())
                c.Execute("DROP TABLE schema_migrations");
            var ready = await http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
