using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Tests.Central;
using Kiosk.Tests.Support;
using Kiosk.Web;
using Kiosk.Web.Staff;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Web.Staff;

/// <summary>
/// The real kiosk app (<see cref="KioskApp.Build"/>) on loopback Kestrel in this process, with one operator account
/// (a real PasswordHasher hash in configuration), a monitoring token, a fake clock and its logs collected.
/// </summary>
public sealed class StaffKiosk : IAsyncDisposable
{
    public const string Operator = "duty-operator";
    public const string Password = "correct horse battery staple 42";
    public const string MonitoringToken = "kiosk-monitoring-token-0123456789abcdef";

    private readonly TempDirectory _dir = new("kiosk-staff");

    private StaffKiosk(FakeTimeProvider time) => Time = time;

    public FakeTimeProvider Time { get; }
    public WebApplication App { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public CollectingLoggerProvider Logs { get; } = new();
    public SqliteDatabase Database => App.Services.GetRequiredService<SqliteDatabase>();

    /// <summary>The fake clock starts at the real time (whole seconds), so cookies and tokens made by real clocks agree.</summary>
    public static async Task<StaffKiosk> StartAsync(params string[] extra)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var kiosk = new StaffKiosk(new FakeTimeProvider(now));
        kiosk.App = KioskApp.Build([
            "--urls", "http://127.0.0.1:0",
            $"--Storage:DatabasePath={kiosk._dir.File("kiosk.db")}",
            $"--Operators:Accounts:{Operator}={OperatorAccounts.Hash(Password)}",
            $"--Monitoring:Token={MonitoringToken}",
            .. extra,
        ], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(kiosk.Logs);
            builder.Services.AddSingleton<TimeProvider>(kiosk.Time);
        });
        await kiosk.App.StartAsync();
        kiosk.BaseUrl = kiosk.App.Urls.Single().TrimEnd('/');
        return kiosk;
    }

    public KioskClient NewClient() => new(BaseUrl);

    /// <summary>Signs <paramref name="client"/> in as the operator; asserts it went to the staff page.</summary>
    public async Task SignInAsync(KioskClient client, string password = Password)
    {
        await client.GetAsync("/staff/sign-in");
        var (response, html) = await client.PostAsync("/staff/sign-in", [new("Name", Operator), new("Password", password)]);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {html}");
        Assert.Equal("/staff", response.Headers.Location?.OriginalString);
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
