using System.Net;
using Dapper;
using Kiosk.Central;
using Kiosk.Storage;
using Kiosk.Tests.Central;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Support;
using Kiosk.Tests.Web;
using Kiosk.Tests.Web.HomeCall;
using Kiosk.Tests.Web.SignIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kiosk.Tests.Sync;

/// <summary>
/// The home-call form's address pre-filled from the population registry (issue 4 item 1): the real kiosk node as its
/// own process asks a real Central on loopback (<c>POST /api/sync/registry/address</c>) for the signed-in citizen;
/// with Central stopped the field starts empty and the citizen types it. Neither side logs the IIN or the address.
/// </summary>
public sealed class ReferencePullAddressPrefillTests
{
    private const string KioskId = "kiosk-address.01";
    private static readonly string Credential = "addr_" + new string('C', 38);
    private const string RegistryAddress = "Астана, ул. Кенесары 40, кв. 12";

    [Fact]
    public async Task The_form_shows_the_registry_address_while_Central_answers_and_an_empty_field_when_it_does_not()
    {
        var auth = SignInDemoCa.One("valid", "AUTH", 0);
        using var dir = new TempDirectory("kiosk-address-central");
        var logs = new CollectingLoggerProvider();
        var central = CentralApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--contentRoot", dir.Path, "--environment", "Production",
            $"--Storage:DatabasePath={dir.File("central.db")}", "--DemoData:Enabled=false", $"--Kiosks:Provisioned:{KioskId}={Credential}",
        ], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
        });
        await central.StartAsync();
        var db = central.Services.GetRequiredService<SqliteDatabase>();
        IntakeCentral.SeedReferenceData(db, DateTimeOffset.UtcNow);
        IntakeCentral.SetRegistry(db, auth, RegistryState.AttachedOpenEveryDay);
        using (var c = db.Open())
            c.Execute("UPDATE persons SET address = @RegistryAddress WHERE iin = @iin", new { RegistryAddress, iin = auth.Iin });

        await using var node = await KioskNode.StartAsync(
            $"--Pki:TrustDirectory={SignInDemoCa.TrustDirectory}", $"--Sync:KioskId={KioskId}", $"--Sync:Credential={Credential}",
            $"--Central:BaseUrl={CentralServerFixture.AddressOf(central)}", "--Logging:LogLevel:Default=Information",
            // A loaded CI machine can take longer than the 2 s default for the first (cold) call; this test is about the
            // pre-fill, not the timeout.
            "--Central:LookupTimeout=00:00:20");
        using var client = new KioskClient(node.BaseUrl);
        try
        {
            await HomeCallHttpTests.SignInForHomeCallAsync(client, auth);

            var (form, html) = await client.GetAsync(HomeCallHttpTests.FormPath);
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            Assert.True(WebUtility.HtmlDecode(HomeCallHttpTests.InputTag(html, "address")).Contains($"value=\"{RegistryAddress}\"", StringComparison.Ordinal),
                HomeCallHttpTests.InputTag(html, "address") + "\n" + node.Process.Output);
            Assert.Contains("data-source=\"registry\"", html);
            Assert.Contains("Адрес из регистра населения", WebUtility.HtmlDecode(html));
            Assert.DoesNotContain(auth.Iin!, html);
            Assert.Contains(logs.Lines, l => l.Contains($"Kiosk {KioskId} looked up a registry address", StringComparison.Ordinal));

            // The citizen's corrected address wins over the registry's when the form comes back.
            await HomeCallHttpTests.PostFormAsync(client, "Астана, пр. Мангилик Ел 8, кв. 3", "+7 701 123 45 67", Kiosk.Core.Requests.HomeCallReasons.Fever, "");
            var (_, back) = await client.GetAsync(HomeCallHttpTests.FormPath);
            Assert.Contains("value=\"Астана, пр. Мангилик Ел 8, кв. 3\"", WebUtility.HtmlDecode(HomeCallHttpTests.InputTag(back, "address")));
        }
        finally
        {
            await central.StopAsync();
            await central.DisposeAsync();
        }

        // Central is gone: a new session's form starts empty, and the kiosk says why in its log (once, without the citizen).
        using var later = new KioskClient(node.BaseUrl);
        await HomeCallHttpTests.SignInForHomeCallAsync(later, auth);
        var (offline, offlineHtml) = await later.GetAsync(HomeCallHttpTests.FormPath);
        Assert.Equal(HttpStatusCode.OK, offline.StatusCode);
        Assert.DoesNotContain("value=", HomeCallHttpTests.InputTag(offlineHtml, "address"));
        Assert.Contains("data-source=\"typed\"", offlineHtml);
        await node.Process.WaitForLineAsync("registry address cannot be looked up", TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(node.Process.Lines, l => l.Contains(auth.Iin!, StringComparison.Ordinal) || l.Contains("Кенесары", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(auth.Iin!, StringComparison.Ordinal) || l.Contains("Кенесары", StringComparison.Ordinal));
    }
}
