using Kiosk.Node;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Kiosk.Tests.Sync;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// Issue 5, "Done when", in Chromium: a citizen attached to clinic 1 changes attachment to clinic 2 at the kiosk (the
/// node, its sync worker and Central really running, <see cref="BrowserBooking"/>); once Central accepts it the
/// appointment screen shows clinic 2's doctors. The attachment screens pass axe and have 48 px targets.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AttachmentBrowserTests(BrowserFixture browser, DemoCaFixture ca, ITestOutputHelper output)
    : IClassFixture<DemoCaFixture>
{
    [Fact]
    public async Task A_citizen_changes_attachment_and_the_appointment_screen_then_shows_the_new_clinics_doctors()
    {
        var sign = SyncRequests.Citizens(ca)[0];
        await using var booking = await BrowserBooking.StartAsync(ca);
        var decisions = new DecisionStore(booking.Kiosk);
        try
        {
            var (context, page) = await KioskBrowser.OpenAsync(browser, "landscape");
            await using var _ = context;
            await booking.SignInAsync(page, ca, sign, "attachment");

            await Expect(page.Locator("#attachment-current")).ToHaveAttributeAsync("data-clinic-id", "1");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "attachment: reason");
            await AccessibilityChecks.AssertTargetsAtLeast48Async(page, "attachment: reason");
            await page.Locator("label[for=\"reason-voluntary\"]").TapAsync();
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#attachment-next");

            // The clinics serving the citizen's district: the current one marked, the other one offered.
            await Expect(page.Locator("#attachment-clinics [data-clinic-id=\"1\"] [data-field=attached-here]")).ToBeVisibleAsync();
            await Expect(page.Locator("#attachment-clinics [data-clinic-id=\"2\"] [data-field=served]")).ToBeVisibleAsync();
            await Expect(page.Locator("#attachment-clinics [data-clinic-id=\"3\"]")).ToHaveCountAsync(0);
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("attachment-clinics-ru"), FullPage = true });
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "attachment: clinics");
            await AccessibilityChecks.AssertTargetsAtLeast48Async(page, "attachment: clinics");

            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#clinic-2");
            Assert.EndsWith("/services/attachment/review", page.Url);
            await Expect(page.Locator("#attachment-summary")).ToHaveAttributeAsync("data-reason", "voluntary");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "attachment: review");
            await BrowserBooking.SignAsync(page, ca, sign, "**/services/attachment/accepted");
            var requestId = Guid.Parse((await page.Locator("#receipt").GetAttributeAsync("data-request-id"))!);
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "attachment: accepted");

            await Eventually.That(() => decisions.Get(requestId)?.Status == "accepted", BrowserBooking.Patience, booking.Describe);

            // The appointment screen asks Central again and shows the new clinic's doctors.
            await page.GotoAsync(booking.Node.BaseUrl + "/services/appointment");
            await Expect(page.Locator("#appointment-clinic")).ToHaveAttributeAsync("data-clinic-id", "2");
            await Expect(page.Locator($"#doctor-{BrowserBooking.OtherClinicDoctor}")).ToBeVisibleAsync();
            await Expect(page.Locator($"#doctor-{BrowserBooking.Doctor}")).ToHaveCountAsync(0);

            Assert.DoesNotContain(sign.Iin!, booking.Node.Process.Output);
            Assert.DoesNotContain(sign.Iin!, booking.Worker.Output);
        }
        finally
        {
            output.WriteLine(booking.Describe());
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
