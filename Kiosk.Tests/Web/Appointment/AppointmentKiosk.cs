using System.Net;
using System.Text.RegularExpressions;
using Kiosk.Core.Eds.Demo;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Sync;
using Kiosk.Tests.Central;
using Kiosk.Tests.Central.Booking;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Web.SignIn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kiosk.Tests.Web.Appointment;

/// <summary>
/// A kiosk (the real app on Kestrel, in this process) wired to a real Central on loopback (<see cref="BookingCentral"/>:
/// fake clock at 07:05 on the test Wednesday; clinics 1 and 2 serve D1, 3 serves D2; doctors 10 and 11 at clinic 1,
/// 20 at clinic 2, six slots each tomorrow from 09:00), and the sync worker's real code run one round at a time in
/// this process (<see cref="SyncRoundAsync"/>: push, decisions, reference pull, heartbeat) on the kiosk's file.
/// </summary>
public sealed partial class AppointmentKiosk : IAsyncDisposable
{
    private readonly IHost _worker;

    private AppointmentKiosk(BookingCentral central, KioskAppHost kiosk, IHost worker)
    {
        Central = central;
        Kiosk = kiosk;
        _worker = worker;
        Database = worker.Services.GetRequiredService<SqliteDatabase>();
    }

    public BookingCentral Central { get; }

    public KioskAppHost Kiosk { get; }

    /// <summary>The kiosk's SQLite file.</summary>
    public SqliteDatabase Database { get; }

    public static async Task<AppointmentKiosk> StartAsync(DemoCaFixture ca, params string[] centralArgs)
    {
        var central = await BookingCentral.StartAsync(ca, centralArgs);
        var baseUrl = CentralServerFixture.AddressOf(central.Central.App);
        var kiosk = await KioskAppHost.StartAsync(
            $"--Pki:TrustDirectory={ca.Ca.TrustDirectory}", $"--Sync:KioskId={IntakeCentral.KioskId}", $"--Sync:Credential={IntakeCentral.Credential}",
            $"--Central:BaseUrl={baseUrl}", "--Central:LookupTimeout=00:00:20");
        var builder = Host.CreateApplicationBuilder(
        [
            $"--Storage:DatabasePath={kiosk.DatabasePath}", $"--Central:BaseUrl={baseUrl}", $"--Sync:KioskId={IntakeCentral.KioskId}",
            $"--Sync:Credential={IntakeCentral.Credential}", "--Sync:CallTimeout=00:00:30", "--Logging:LogLevel:Default=Warning",
        ]);
        builder.Services.AddSqliteStore(builder.Configuration, KioskNodeSchema.Migrations, o => o.DatabasePath = kiosk.DatabasePath);
        builder.Services.AddKioskSync(builder.Configuration);
        var worker = builder.Build();
        var started = new AppointmentKiosk(central, kiosk, worker);
        try
        {
            worker.Services.PrepareDatabase();
            await started.SyncRoundAsync(); // the kiosk's reference data from Central
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>One round of the sync worker's real code: push the outbox, pull decisions and reference data.</summary>
    public async Task SyncRoundAsync()
    {
        var sync = _worker.Services.GetRequiredService<OutboxSync>();
        await sync.RunOnceAsync(CancellationToken.None);
    }

    public static DemoCaEntry AuthOf(DemoCaFixture ca, DemoCaEntry sign) =>
        ca.Manifest.Files.Single(f => f.Case == "valid" && f.KeyType == "AUTH" && f.Iin == sign.Iin);

    /// <summary>Chooses the service on the start screen and signs in with the citizen's AUTH key; answers where sign-in went.</summary>
    public static async Task<string?> SignInAsync(DemoCaFixture ca, KioskClient client, string service, DemoCaEntry sign)
    {
        var auth = AuthOf(ca, sign);
        await SignInHttpTests.ChooseAsync(client, service);
        var (response, html) = await SignInHttpTests.SignInAsync(client, File.ReadAllBytes(ca.Ca.PathOf(auth)), Path.GetFileName(auth.File), ca.Ca.Password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, string.Join(",", SignInHttpTests.Problems(html)));
        return response.Headers.Location?.OriginalString;
    }

    /// <summary>Posts the signing key file on a review page.</summary>
    public static async Task<(HttpResponseMessage Response, string Html)> SignAsync(DemoCaFixture ca, KioskClient client, string reviewPath,
        DemoCaEntry sign, string? password = null)
    {
        await client.GetAsync(reviewPath);
        return await client.PostAsync(reviewPath, [new("Password", password ?? ca.Ca.Password)],
            file: ("KeyFile", Path.GetFileName(sign.File), File.ReadAllBytes(ca.Ca.PathOf(sign))));
    }

    /// <summary>Posts a page's form handler (the antiforgery token of the page fetched first).</summary>
    public static async Task<HttpResponseMessage> PostHandlerAsync(KioskClient client, string pagePath, string handler,
        params (string Name, string Value)[] fields)
    {
        await client.GetAsync(pagePath);
        var (response, _) = await client.PostAsync($"{pagePath}?handler={handler}", fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return response;
    }

    /// <summary>The ids (<c>id="prefix-…"</c>) of the buttons with that prefix, in page order.</summary>
    public static List<string> Ids(string html, string prefix) =>
        Regex.Matches(html, $"id=\"{Regex.Escape(prefix)}([0-9A-Za-z-]+)\"").Select(m => m.Groups[1].Value).ToList();

    public static string Text(string html) => WebUtility.HtmlDecode(html);

    public async ValueTask DisposeAsync()
    {
        _worker.Dispose();
        await Kiosk.DisposeAsync();
        await Central.DisposeAsync();
    }
}
