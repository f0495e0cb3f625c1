using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kiosk.Central;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Storage;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Central.Intake;

public sealed record PushItem(string? RequestId, string Status, string? RegistrationNumber, string? Reason, List<string>? Problems);
public sealed record PushResult(List<PushItem> Results, DateTimeOffset ServerTime);
public sealed record Messages(string Kk, string Ru, string En);
public sealed record Visit(string Date, string From, string To);
public sealed record Decision(string RequestId, string RegistrationNumber, string Kind, string Status, string? Reason, Messages? Messages, Visit? Visit, DateTimeOffset DecidedAt);
public sealed record DecisionPage(List<Decision> Decisions, string Next, bool More);
public sealed record Envelope(string RequestId, string KioskId, string Document, string Signature, DateTimeOffset? CreatedAt);

/// <summary>What the registry says about a test citizen.</summary>
public enum RegistryState { Missing, Deceased, NotAttached, AttachedOpenEveryDay, AttachedClosedWednesdays }

/// <summary>
/// A real Central on loopback Kestrel for one test: no demo data, the shared demo CA's trust folder, a fake clock, an
/// operator token, one provisioned kiosk, and a tiny registry made here (two clinics, the demo CA's citizens).
/// The test day is a Wednesday soon after the demo CA was made (its certificates and CRLs are valid then).
/// </summary>
public sealed class IntakeCentral : IAsyncDisposable
{
    public const string OperatorToken = "operator-token-for-tests-0123456789";
    public const string KioskId = "kiosk-test.01";
    public const long OpenClinic = 1;   // 08:00–20:00 every day: cut-off 18:00
    public const long WeekStartClinic = 2; // Monday and Tuesday only
    public static readonly string Credential = "cred_" + new string('A', 38);
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TempDirectory _dir = new("kiosk-intake");
    private readonly DemoCaFixture _ca;

    private IntakeCentral(DemoCaFixture ca, FakeTimeProvider time)
    {
        _ca = ca;
        Time = time;
    }

    public FakeTimeProvider Time { get; }
    public WebApplication App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public CollectingLoggerProvider Logs { get; } = new();
    public DateOnly Day { get; private set; }
    public SqliteDatabase Database => App.Services.GetRequiredService<SqliteDatabase>();

    /// <summary>The test day (a Wednesday) at the given Astana clock time.</summary>
    public DateTimeOffset At(int hour, int minute, int days = 0) => AstanaTime.ToUtc(Day.AddDays(days), new TimeOnly(hour, minute));

    public static async Task<IntakeCentral> StartAsync(DemoCaFixture ca, bool operators = true, params string[] extra)
    {
        var day = TestDay(ca);
        var central = new IntakeCentral(ca, new FakeTimeProvider(AstanaTime.ToUtc(day, new TimeOnly(7, 0)))) { Day = day };
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--contentRoot", central._dir.Path,
            "--environment", "Production",
            $"--Storage:DatabasePath={central._dir.File("central.db")}",
            "--DemoData:Enabled=false",
            $"--Pki:TrustDirectory={ca.Ca.TrustDirectory}",
            $"--Kiosks:Provisioned:{KioskId}={Credential}",
            .. operators ? [$"--Operators:Token={OperatorToken}"] : Array.Empty<string>(),
            .. extra,
        ];
        central._args = args;
        await central.StartAppAsync();
        central.SeedRegistry();
        return central;
    }

    private string[] _args = [];

    private async Task StartAppAsync()
    {
        App = CentralApp.Build(_args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(Logs);
            builder.Services.AddSingleton<TimeProvider>(Time);
        });
        await App.StartAsync();
        Http = new HttpClient { BaseAddress = CentralServerFixture.AddressOf(App), Timeout = TimeSpan.FromSeconds(120) };
    }

    /// <summary>Stops Central and starts it again on the same database file and clock (a new address).</summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await StartAppAsync();
    }

    /// <summary>The test day: the first Wednesday after the demo CA was made (its certificates and CRLs are valid then).</summary>
    public static DateOnly TestDay(DemoCaFixture ca)
    {
        var day = DateOnly.FromDateTime(AstanaTime.ToLocal(ca.Now)).AddDays(1);
        while (day.DayOfWeek != DayOfWeek.Wednesday) day = day.AddDays(1);
        return day;
    }

    private void SeedRegistry() => SeedReferenceData(Database, Time.GetUtcNow());

    /// <summary>The tiny registry's reference data (a district, the two clinics and their hours) in Central's database.</summary>
    public static void SeedReferenceData(SqliteDatabase db, DateTimeOffset now)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        c.Execute("INSERT INTO reference_versions (version, created_at, note) VALUES (1, @now, 'intake tests')", new { now }, tx);
        c.Execute("INSERT INTO districts (code, name_ru, name_kk, name_en, in_city, version) VALUES ('D1', 'Р', 'Қ', 'E', 1, 1)", transaction: tx);
        foreach (var id in new[] { OpenClinic, WeekStartClinic })
            c.Execute("INSERT INTO clinics (id, name_ru, name_kk, name_en, address, version) VALUES (@id, 'П', 'Е', 'C', 'Astana', 1)", new { id }, tx);
        for (var weekday = 0; weekday < 7; weekday++)
            c.Execute("INSERT INTO clinic_hours (clinic_id, weekday, opens, closes) VALUES (1, @weekday, '08:00', '20:00')", new { weekday }, tx);
        foreach (var weekday in new[] { 1, 2 })
            c.Execute("INSERT INTO clinic_hours (clinic_id, weekday, opens, closes) VALUES (2, @weekday, '08:00', '20:00')", new { weekday }, tx);
        tx.Commit();
    }

    /// <summary>The demo CA's valid citizens with signing keys (four of them).</summary>
    public IReadOnlyList<DemoCaEntry> Citizens => _ca.Manifest.Files.Where(f => f.Case == "valid" && f.KeyType == "SIGN").ToList();

    public void SetRegistry(DemoCaEntry citizen, RegistryState state) => SetRegistry(Database, citizen, state);

    public static void SetRegistry(SqliteDatabase db, DemoCaEntry citizen, RegistryState state)
    {
        var iin = citizen.Iin!;
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        c.Execute("DELETE FROM attachments WHERE iin = @iin", new { iin }, tx);
        c.Execute("DELETE FROM persons WHERE iin = @iin", new { iin }, tx);
        if (state != RegistryState.Missing)
        {
            c.Execute("""
                INSERT INTO persons (iin, surname, first_name, patronymic, sex, birth_date, district, address, deceased_on)
                VALUES (@iin, 'ТЕСТОВ', 'ТЕСТ', NULL, 'male', '1950-01-01', 'D1', 'Astana', @deceased)
                """, new { iin, deceased = state == RegistryState.Deceased ? "2020-01-01" : null }, tx);
        }
        if (state is RegistryState.AttachedOpenEveryDay or RegistryState.AttachedClosedWednesdays)
        {
            c.Execute("INSERT INTO attachments (iin, clinic_id, attached_on) VALUES (@iin, @clinic, '2010-01-01')",
                new { iin, clinic = state == RegistryState.AttachedOpenEveryDay ? OpenClinic : WeekStartClinic }, tx);
        }
        tx.Commit();
    }

    /// <summary>A home call for <paramref name="citizen"/>, signed with their demo key at <paramref name="signedAt"/> (by the signer's own clock).</summary>
    public SignedRequest Sign(DemoCaEntry citizen, DateTimeOffset signedAt, Guid? requestId = null, string kioskId = KioskId, RequestDetails? details = null) =>
        Sign(_ca, citizen, signedAt, requestId, kioskId, details);

    public static SignedRequest Sign(DemoCaFixture ca, DemoCaEntry citizen, DateTimeOffset signedAt, Guid? requestId, string kioskId, RequestDetails? details = null)
    {
        var document = new RequestDocument(requestId ?? Guid.NewGuid(), Iin.Parse(citizen.Iin!), "ТЕСТОВ ТЕСТ", signedAt.AddSeconds(-30), kioskId, "ru",
            details ?? new HomeCallDetails("Астана, Бейбітшілік к-сі, 12-үй", "+77011234567", HomeCallReasons.Fever, "38,7"));
        var signer = new RequestSigner(ca.Checker(), new FakeTimeProvider(signedAt));
        var result = signer.Sign(document, File.ReadAllBytes(ca.Ca.PathOf(citizen)), ca.Ca.Password);
        Assert.True(result.Success, string.Join(", ", result.Codes));
        return result.Request;
    }

    public static Envelope EnvelopeOf(SignedRequest signed, DateTimeOffset? createdAt = null, string? requestId = null, byte[]? document = null) =>
        new(requestId ?? signed.RequestId.ToString("D"), KioskId, Convert.ToBase64String(document ?? signed.DocumentBytes),
            Convert.ToBase64String(signed.Signature), createdAt ?? signed.SignedAt.AddSeconds(1));

    public HttpRequestMessage KioskRequest(HttpMethod method, string path, string? credential = null, string kioskId = KioskId)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{kioskId}.{credential ?? Credential}");
        return request;
    }

    public async Task<HttpResponseMessage> PushRawAsync(IEnumerable<Envelope> envelopes, string? credential = null, string kioskId = KioskId)
    {
        var request = KioskRequest(HttpMethod.Post, "/api/sync/push", credential, kioskId);
        request.Content = JsonContent.Create(new { envelopes }, options: Json);
        return await Http.SendAsync(request);
    }

    public async Task<PushResult> PushAsync(params Envelope[] envelopes)
    {
        using var response = await PushRawAsync(envelopes);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<PushResult>(body, Json)!;
    }

    public async Task<PushItem> PushOneAsync(Envelope envelope) => Assert.Single((await PushAsync(envelope)).Results);

    public async Task<DecisionPage> DecisionsAsync(string? since = null)
    {
        using var request = KioskRequest(HttpMethod.Get, "/api/sync/decisions" + (since is null ? "" : "?since=" + Uri.EscapeDataString(since)));
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<DecisionPage>(body, Json)!;
    }

    public async Task<HttpResponseMessage> OperatorAsync(HttpMethod method, string path, object? body = null, string? token = OperatorToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        _dir.Dispose();
    }
}
