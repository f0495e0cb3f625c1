using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Storage;
using Kiosk.Tests.Central;
using Kiosk.Tests.Support;
using Kiosk.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Web.Staff;

/// <summary>
/// Staff accounts as Central's staff list brings them to a kiosk node (issue 12 item 1), written straight into the
/// node's SQLite file the way the sync worker writes them (<see cref="StaffStore.Replace"/>): an operator of the
/// provider, a registrar of the kiosk's clinic, and one person with both roles; one password for all.
/// </summary>
public static class NodeStaff
{
    public const string Password = "correct horse battery staple 42";
    public const string OperatorIin = "850315300128";
    public const string RegistrarIin = "900712400342";
    public const string BothIin = "781102300563";
    public const string ProviderBin = "010440000015";
    public const string ClinicBin = "050540000105";
    public const long ClinicId = 1;

    private static readonly Lazy<string> Hash = new(() => StaffPasswords.Hash(Password));

    public static StaffAccount Account(string iin, string roles, string bin, string name = "Тестова Анна", bool disabled = false) =>
        new(Iin.Parse(iin), name, Bin.Parse(bin), StaffRoles.Parse(roles)!, disabled ? null : Hash.Value, disabled);

    public static IReadOnlyList<StaffAccount> Everyone() =>
    [
        Account(OperatorIin, "operator", ProviderBin, "Дежурный Оператор"),
        Account(RegistrarIin, "registrar", ClinicBin, "Серикова Айгуль"),
        Account(BothIin, "registrar operator", ClinicBin, "Ахметов Ерлан"),
    ];

    /// <summary>Writes the list (and the clinic) into the node's file, as a pull from Central would.</summary>
    public static void Seed(SqliteDatabase db, IReadOnlyList<StaffAccount>? accounts = null, long? clinicId = ClinicId, DateTimeOffset? now = null) =>
        new StaffStore(db).Replace(new StaffList(clinicId is { } id ? new NodeClinic(id, ClinicBin) : null, ProviderBin, accounts ?? Everyone()),
            "\"test\"", now ?? DateTimeOffset.UtcNow);

    public static void Seed(string databasePath, IReadOnlyList<StaffAccount>? accounts = null, long? clinicId = ClinicId) =>
        Seed(new SqliteDatabase(new StorageOptions { DatabasePath = databasePath }), accounts, clinicId);
}

/// <summary>
/// The real kiosk app (<see cref="KioskApp.Build"/>) on loopback Kestrel in this process, with the staff accounts of
/// <see cref="NodeStaff"/> in its file, a monitoring token, a fake clock and its logs collected. Its staff cookie is
/// not Secure (the tests speak plain HTTP); one test checks the Secure default.
/// </summary>
public sealed class StaffKiosk : IAsyncDisposable
{
    public const string Operator = NodeStaff.OperatorIin;
    public const string Password = NodeStaff.Password;
    public const string MonitoringToken = "kiosk-monitoring-token-0123456789abcdef";

    private readonly TempDirectory _dir = new("kiosk-staff");
    private string[] _args = [];

    private StaffKiosk(FakeTimeProvider time) => Time = time;

    public FakeTimeProvider Time { get; }
    public WebApplication App { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public CollectingLoggerProvider Logs { get; } = new();
    public SqliteDatabase Database => App.Services.GetRequiredService<SqliteDatabase>();

    /// <summary>The fake clock starts at the real time (whole seconds), so cookies and tokens made by real clocks agree.</summary>
    public static async Task<StaffKiosk> StartAsync(params string[] extra) => await StartAsync(true, extra);

    public static async Task<StaffKiosk> StartAsync(bool seedStaff, params string[] extra)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var kiosk = new StaffKiosk(new FakeTimeProvider(now));
        kiosk._args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--Storage:DatabasePath={kiosk._dir.File("kiosk.db")}",
            $"--Monitoring:Token={MonitoringToken}",
            "--Staff:SecureCookies=false",
            .. extra,
        ];
        await kiosk.StartAppAsync();
        if (seedStaff) NodeStaff.Seed(kiosk.Database, now: now);
        return kiosk;
    }

    private async Task StartAppAsync()
    {
        App = KioskApp.Build(_args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(Logs);
            builder.Services.AddSingleton<TimeProvider>(Time);
        });
        await App.StartAsync();
        BaseUrl = App.Urls.Single().TrimEnd('/');
    }

    /// <summary>Stops the node and starts it again on the same file and clock (a new address).</summary>
    public async Task RestartAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await StartAppAsync();
    }

    public KioskClient NewClient() => new(BaseUrl);

    /// <summary>Posts the staff sign-in form (after fetching it for its antiforgery token).</summary>
    public static async Task<(HttpResponseMessage Response, string Html)> PostSignInAsync(KioskClient client, string iin, string password = Password)
    {
        await client.GetAsync("/staff/sign-in");
        return await client.PostAsync("/staff/sign-in", [new("Iin", iin), new("Password", password)]);
    }

    /// <summary>Signs <paramref name="client"/> in as <paramref name="iin"/>; asserts it went to <paramref name="landing"/>.</summary>
    public async Task SignInAsync(KioskClient client, string password = Password, string iin = Operator, string landing = "/staff")
    {
        var (response, html) = await PostSignInAsync(client, iin, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {html}");
        Assert.Equal(landing, response.Headers.Location?.OriginalString);
    }

    public string? Setting(string key) => new KioskSettings(Database).Get(key);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>Outbox rows with known times written straight into a kiosk's SQLite file (no personal data: a made-up IIN).</summary>
public static class OutboxSeed
{
    public static Guid Row(SqliteDatabase db, string state, DateTimeOffset createdAt, string? lastError = null, DateTimeOffset? deadAt = null,
        DateTimeOffset? sentAt = null, DateTimeOffset? nextAttemptAt = null)
    {
        DapperTypeHandlers.Register();
        var id = Guid.NewGuid();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        c.Execute("""
            INSERT INTO signed_requests (request_id, kind, applicant_iin, document, signature, signer_thumbprint, signed_at, created_at)
            VALUES (@id, 'home-call', '000000000000', x'7b7d', x'30', 'AA', @createdAt, @createdAt)
            """, new { id = id.ToString("D"), createdAt }, tx);
        c.Execute("""
            INSERT INTO outbox (request_id, state, attempts, next_attempt_at, last_error, created_at, sent_at, registration_number, dead_at)
            VALUES (@id, @state, 1, @next, @lastError, @createdAt, @sentAt, @number, @deadAt)
            """, new
        {
            id = id.ToString("D"), state, next = nextAttemptAt ?? createdAt, lastError, createdAt, sentAt,
            number = state == OutboxStore.Sent ? "HC-20260101-000001" : null, deadAt,
        }, tx);
        tx.Commit();
        return id;
    }

    public static void Settings(SqliteDatabase db, DateTimeOffset now, params (string Key, string Value)[] values) =>
        new KioskSettings(db).Set(now, values);

    public static string At(DateTimeOffset t) => DapperTypeHandlers.Format(t);

    public static string Num(double x) => x.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A tiny reader of the Prometheus text format: every sample line, by its series (name and labels as written).</summary>
public static partial class PrometheusText
{
    public static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var m = Sample().Match(line);
            Assert.True(m.Success, $"Not a Prometheus sample line: {line}");
            var value = m.Groups[3].Value switch
            {
                "NaN" => double.NaN,
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            samples[m.Groups[1].Value + m.Groups[2].Value] = value;
        }
        return samples;
    }

    /// <summary>Every metric has HELP and TYPE before its samples.</summary>
    public static void AssertDescribed(string text, string metric, string type)
    {
        Assert.Contains($"# HELP {metric} ", text);
        Assert.Contains($"# TYPE {metric} {type}\n", text);
    }

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)( \d+)?$")]
    private static partial Regex Sample();
}
