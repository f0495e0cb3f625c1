using System.Globalization;
using Kiosk.Node;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Kiosk.Tests.Sync;
using Kiosk.Tests.Web.Status;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// Issue 4, "Done when" 1, with both apps really running on loopback: the kiosk node (Kiosk.Web, its own process) and
/// its sync worker (Kiosk.Sync, its own process, on the node's SQLite file) run while Central is stopped; in Chromium a
/// citizen signs in with their demo key, files a home call and signs it; it is accepted and the status screen shows it
/// queued. Central starts (a real Central on Kestrel, its clock fixed at 10:05 on a Wednesday, the citizen attached to
/// a clinic open 08:00–20:00); the worker delivers the request and pulls the decision; "refresh status" shows it
/// registered and accepted, with the doctor's visit window.
/// <para>
/// The decision is deterministic: the kiosk signs by the real clock, Central judges by its fake one, and Central
/// knows the kiosk's clock from before it stopped (<see cref="SyncCentral.RememberKioskClock"/>), so the signing
/// time is moved onto Central's clock: a few seconds before 10:05 on the test day, well before the 18:00 cut-off. The
/// visit window starts at the next quarter hour after the decision (10:15) and ends at closing (20:00).
/// </para>
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StatusEndToEndBrowserTests(BrowserFixture browser, DemoCaFixture ca, ITestOutputHelper output)
    : IClassFixture<DemoCaFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_home_call_signed_while_Central_is_down_shows_queued_then_after_refresh_registered_and_accepted()
    {
        var sign = SyncRequests.Citizens(ca)[0];
        var auth = ca.Manifest.Files.Single(f => f.Case == "valid" && f.KeyType == "AUTH" && f.Iin == sign.Iin);
        await using var central = new SyncCentral(ca);
        await using var node = await KioskNode.StartAsync($"--Pki:TrustDirectory={ca.Ca.TrustDirectory}", $"--Sync:KioskId={SyncCentral.KioskId}");
        using var worker = KioskFile.StartWorkerOn(node.DatabasePath, central.BaseUrl);
        var kiosk = StatusRows.Database(node.DatabasePath);
        try
        {
            await worker.WaitForLineAsync("does not answer: offline", Patience);

            var (context, page) = await KioskBrowser.OpenAsync(browser, "portrait");
            await using var _ = context;

            // Sign in for the home call with the citizen's AUTH key, fill in the form, sign with the signing key.
            var requestId = await KioskBrowser.FileHomeCallAsync(page, node.BaseUrl, ca.Ca, auth, sign);

            // Accepted and queued; the status screen says so, and that Central has not been reached.
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#receipt-check-status");
            Assert.EndsWith("/services/status", page.Url);
            var item = page.Locator($"#status-list > li[data-request-id=\"{requestId:D}\"]");
            await Expect(item).ToHaveAttributeAsync("data-status", "queued");
            await Expect(item.Locator("[data-field=status]")).ToHaveTextAsync("В очереди — будет отправлена в поликлинику");
            await Expect(item.Locator("[data-field=number] .summary__number")).ToHaveTextAsync(StatusHttpTests.ShortNumber(requestId));
            await Expect(page.Locator("#status-last-contact")).ToHaveAttributeAsync("data-never", "true");
            Assert.Equal(OutboxStore.Queued, new OutboxStore(kiosk).Get(requestId)?.State);

            // Central starts, knowing the kiosk's clock from before; the worker delivers and pulls the decision.
            central.RememberKioskClock(SyncCentral.KioskId, DateTimeOffset.UtcNow);
            await central.StartAsync();
            var decisions = new DecisionStore(kiosk);
            await Eventually.That(() => decisions.Get(requestId) is not null, Patience,
                () => $"worker:\n{worker.Output}\ncentral:\n{string.Join('\n', central.Logs.Lines)}");
            var outbox = new OutboxStore(kiosk).Get(requestId)!;
            Assert.Equal(OutboxStore.Sent, outbox.State);
            var number = $"HC-{central.Day:yyyyMMdd}-000001";
            Assert.Equal(number, outbox.RegistrationNumber);
            Assert.Equal(number, central.Registered()[requestId.ToString("D")]);
            var decision = decisions.Get(requestId)!;
            Assert.Equal(("accepted", "10:15", "20:00"), (decision.Status, decision.VisitFrom, decision.VisitTo));

            // The screen still shows what it read; "refresh status" reads the file again.
            await Expect(item).ToHaveAttributeAsync("data-status", "queued");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#status-refresh");
            Assert.EndsWith("/services/status", page.Url);
            item = page.Locator($"#status-list > li[data-request-id=\"{requestId:D}\"]");
            await Expect(item).ToHaveAttributeAsync("data-status", "accepted");
            await Expect(item.Locator("[data-field=status]")).ToHaveTextAsync("Принята");
            await Expect(item.Locator("[data-field=number] .summary__number")).ToHaveTextAsync(number);
            var visitDay = central.Day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
            await Expect(item.Locator("[data-field=visit]")).ToHaveTextAsync($"{visitDay}, с 10:15 до 20:00");
            await Expect(page.Locator("#status-last-contact")).ToHaveAttributeAsync("data-never", "false");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("status-e2e-accepted-ru"), FullPage = true });
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "status after the decision");

            // Nothing personal in either process's log.
            Assert.DoesNotContain(sign.Iin!, node.Process.Output);
            Assert.DoesNotContain(sign.Iin!, worker.Output);
        }
        finally
        {
            output.WriteLine("worker:\n" + worker.Output);
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
