using Dapper;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Feedback;
using Kiosk.Core.Identity;
using Kiosk.Core.Services;
using Kiosk.Core.Staff;
using Kiosk.Node.Staff;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Kiosk.Tests.Sync;
using Kiosk.Tests.Web.Staff;
using Kiosk.Web.Pages.Desk;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// Issue 12 item 2, "Done when", in Chromium: the kiosk node, its sync worker and Central really running on loopback
/// (<see cref="BrowserBooking"/>), with the demo CA's registrar in Central's staff register at clinic 1 (whose BIN is
/// the registrar's employee certificate's) and the kiosk linked to clinic 1. A registrar signs in at the node, serves
/// a citizen for each of the three services (registry look-up, the form pre-filled, the registrar's signature, Central's
/// decision told with date and time, the 80 mm slip printed to PDF); a registry miss and Central offline both give the
/// regulation's process 4; the registrar's personal key and an employee key of another organisation are refused at
/// Central with their reasons. Axe and 48 px targets on every desk screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DeskBrowserTests(BrowserFixture browser, DemoCaFixture ca, ITestOutputHelper output) : IClassFixture<DemoCaFixture>
{
    private DemoCaEntry Key(string @case) => ca.Manifest.Files.Single(f => f.Case == @case && f.KeyType == "SIGN");

    private IReadOnlyList<DemoCaEntry> Citizens => ca.Manifest.Files.Where(f => f.Case == "valid" && f.KeyType == "SIGN" && f.Category == "citizen").ToList();

    [Fact]
    public async Task A_registrar_serves_citizens_for_the_three_services_and_Central_refuses_what_it_must()
    {
        var registrar = Key("registrar");
        await using var booking = await BrowserBooking.StartAsync(ca,
            [$"--Staff:ProviderBin={NodeStaff.ProviderBin}", $"--Kiosks:Clinics:{SyncCentral.KioskId}=1"],
            central =>
            {
                using var c = central.Database.Open();
                c.Execute("UPDATE clinics SET bin = @bin WHERE id = 1", new { bin = registrar.Bin });
                // The attachment's citizen is attached to clinic 2 now, and comes to clinic 1's desk to move.
                c.Execute("UPDATE attachments SET clinic_id = 2 WHERE iin = @iin AND detached_on IS NULL", new { iin = Citizens[2].Iin });
                new Kiosk.Central.Staff.StaffRegister(central.Database, central.Time).Add(Iin.Parse(registrar.Iin!), "Сейітова Динара",
                    Bin.Parse(registrar.Bin!), StaffRoles.Parse("registrar")!, StaffPasswords.Hash(NodeStaff.Password));
            },
            ["--Staff:SecureCookies=false"]);
        var staff = new StaffStore(booking.Kiosk);
        await Eventually.That(() => staff.Count() == 1 && staff.Clinic() is not null, BrowserBooking.Patience, booking.Describe);

        var (context, page) = await KioskBrowser.OpenAsync(browser, "landscape");
        await using var _ = context;
        try
        {
            await page.GotoAsync(booking.Node.BaseUrl + "/staff/sign-in");
            await page.Locator("#staff-iin").FillAsync(registrar.Iin!);
            await page.Locator("#staff-password").FillAsync(NodeStaff.Password);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#staff-signin-submit");
            await page.WaitForURLAsync("**/desk");
            await DeskBrowser.CheckAsync(page, "desk");

            // Home call: found in the registry, address pre-filled, accepted with the visit's date and window.
            await DeskBrowser.LookUpAsync(page, "home-call", Citizens[0].Iin!);
            await page.WaitForURLAsync("**/desk/home-call");
            await Expect(page.Locator("#address")).ToHaveValueAsync("Astana");
            await DeskBrowser.CheckAsync(page, "desk home-call form");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("desk-home-call-ru"), FullPage = true });
            await page.Locator("#desk-next").TapAsync(); // nothing filled: every problem shown, the identity check too
            await Expect(page.Locator("#homecall-errors [data-problem=identity-unchecked]")).ToBeVisibleAsync();
            await Expect(page.Locator("#homecall-errors [data-problem=phone-missing]")).ToBeVisibleAsync();
            await page.Locator("#phone").FillAsync("8 701 123 45 67");
            await page.Locator("label[for=reason-fever]").TapAsync();
            await page.Locator("label[for=identity-checked]").TapAsync();
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#desk-next");
            await page.WaitForURLAsync("**/desk/review");
            await Expect(page.Locator("#summary-phone")).ToHaveTextAsync("+7 701 123 45 67");
            await Expect(page.Locator("#summary-filed-by")).ToHaveTextAsync("Сейітова Динара");
            await DeskBrowser.CheckAsync(page, "desk review");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("desk-review-ru"), FullPage = true });
            await DeskBrowser.SignAsync(page, ca.Ca, registrar);
            await Expect(page.Locator("#desk-result")).ToHaveAttributeAsync("data-status", "accepted", new() { Timeout = 120_000 });
            await Expect(page.Locator("#result-told")).ToContainTextAsync($"{booking.Central.Day:dd.MM.yyyy} с 10:15 до 20:00");
            await Expect(page.Locator("#result-number")).ToHaveTextAsync($"HC-{booking.Central.Day:yyyyMMdd}-000001");
            await DeskBrowser.CheckAsync(page, "desk result");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("desk-result-ru"), FullPage = true });
            // Appendix 3 after the desk's result: the registrar taps the citizen's answers, one tap each.
            await Expect(page.Locator("#survey")).ToHaveAttributeAsync("data-state", "open");
            await Expect(page.Locator("#survey .survey__lead")).ToContainTextAsync("Спросите гражданина");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#survey-q1-fully");
            await Expect(page.Locator("#survey [data-question=q1]")).ToHaveAttributeAsync("data-answered", "true");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#survey-q2-partly");
            await Expect(page.Locator("#survey")).ToHaveAttributeAsync("data-state", "thanks");
            await DeskBrowser.CheckAsync(page, "desk result survey answered");
            await PrintSlipAsync(page, "#result-print-decision", "result");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#result-next");

            // Appointment: doctor 10 of clinic 1, the first seeded slot tomorrow.
            await DeskBrowser.LookUpAsync(page, "appointment", Citizens[1].Iin!);
            await page.WaitForURLAsync("**/desk/appointment");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#doctor-{BrowserBooking.Doctor}");
            await page.Locator($"label[for=slot-{BrowserBooking.SlotId(BrowserBooking.Doctor, 1)}]").TapAsync();
            await page.Locator("label[for=identity-checked]").TapAsync();
            await DeskBrowser.CheckAsync(page, "desk appointment form");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#desk-next");
            await DeskBrowser.SignAsync(page, ca.Ca, registrar);
            await Expect(page.Locator("#desk-result")).ToHaveAttributeAsync("data-status", "accepted", new() { Timeout = 120_000 });
            await Expect(page.Locator("#result-told")).ToContainTextAsync($"{booking.Central.Day.AddDays(1):dd.MM.yyyy} в 09:00");
            await PrintSlipAsync(page, "#result-print-receipt", "receipt");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#result-next");

            // Attachment to this clinic, by the citizen's own choice.
            await DeskBrowser.LookUpAsync(page, "attachment", Citizens[2].Iin!);
            await page.WaitForURLAsync("**/desk/attachment");
            await page.Locator("label[for=reason-voluntary]").TapAsync();
            await page.Locator("label[for=identity-checked]").TapAsync();
            await DeskBrowser.CheckAsync(page, "desk attachment form");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#desk-next");
            await DeskBrowser.SignAsync(page, ca.Ca, registrar);
            await Expect(page.Locator("#desk-result")).ToHaveAttributeAsync("data-status", "accepted", new() { Timeout = 120_000 });
            await Expect(page.Locator("#result-told")).ToContainTextAsync("Прикреплён(а) к поликлинике");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#survey-skip"); // the citizen would rather not
            await Expect(page.Locator("#survey")).ToHaveCountAsync(0);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#result-next");

            // The registrar's personal key, then an employee key of another organisation: valid signatures Central refuses.
            foreach (var (keyCase, reason) in new[] { ("registrar-personal", RefusalReasons.StaffNotEmployee), ("registrar-other-bin", RefusalReasons.StaffWrongBin) })
            {
                await DeskBrowser.LookUpAsync(page, "home-call", Citizens[3].Iin!);
                await page.Locator("#phone").FillAsync("+77011234567");
                await page.Locator("label[for=reason-fever]").TapAsync();
                await page.Locator("label[for=identity-checked]").TapAsync();
                await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#desk-next");
                await DeskBrowser.SignAsync(page, ca.Ca, Key(keyCase));
                await Expect(page.Locator("#desk-result")).ToHaveAttributeAsync("data-status", "refused", new() { Timeout = 120_000 });
                await Expect(page.Locator("#result-reason")).ToHaveAttributeAsync("data-code", reason);
                await Expect(page.Locator("#result-reason")).ToHaveTextAsync(RefusalReasons.For(reason, "ru"));
                await DeskBrowser.CheckAsync(page, $"desk result refused ({reason})");
                await PrintSlipAsync(page, "#result-print-decision", "refusal");
                await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#result-next");
            }

            // The survey's answers are anonymous items of the desk's clinic: service, clinic, day and one answer.
            var answers = booking.Kiosk.Open().Query<string>("SELECT payload FROM feedback_outbox WHERE kind = 'survey'").ToList();
            Assert.Equal(2, answers.Count);
            Assert.All(answers, a =>
            {
                using var json = System.Text.Json.JsonDocument.Parse(a);
                var members = json.RootElement.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.ToString());
                Assert.Equal(["clinicId", "day", members.ContainsKey("q1") ? "q1" : "q2", "service"], members.Keys.Order());
                Assert.Equal("home-call", members["service"]);
                Assert.Equal("1", members["clinicId"]);
            });
            // Table 2's steps were timed for each service and reach Central: staff sign-in (no service), the choice of
            // service, the registry look-up, the form and the signing.
            string[] deskSteps = [StepCatalogue.ServiceChoice, StepCatalogue.RegistryLookup, StepCatalogue.DeskForm, StepCatalogue.DeskSigning];
            await Eventually.That(() =>
            {
                using var c = booking.Central.Database.Open();
                var rows = c.Query<(string Step, string? Service, string Channel)>("SELECT step, service, channel FROM step_times").ToList();
                return rows.Contains((StepCatalogue.StaffSignIn, null, "desk"))
                    && DeskServices.All.All(service => deskSteps.All(step => rows.Contains((step, service, "desk"))));
            }, BrowserBooking.Patience, booking.Describe);

            // A registry miss: process 4, and nothing queued.
            var queued = booking.Kiosk.Open().ExecuteScalar<long>("SELECT COUNT(*) FROM outbox");
            await DeskBrowser.LookUpAsync(page, "home-call", "850315300128"); // a valid IIN nobody in the registry has
            await Expect(page.Locator("#desk-citizen-problem")).ToHaveAttributeAsync("data-problem", "not-in-registry");
            await Expect(page.Locator("#desk-citizen-problem")).ToContainTextAsync("Данные получателя не могут быть получены");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("desk-process4-ru") });
            foreach (var lang in KioskBrowser.Languages) await DeskBrowser.CheckInAsync(page, lang, "desk process 4");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#lang-ru");

            // Central offline: process 4 again, with its own reason.
            await booking.Central.StopAsync();
            await DeskBrowser.LookUpAsync(page, "appointment", Citizens[1].Iin!);
            await Expect(page.Locator("#desk-citizen-problem")).ToHaveAttributeAsync("data-problem", "registry-unavailable");
            await Expect(page.Locator("#desk-citizen-problem")).ToContainTextAsync("нет связи с центральным сервером");
            Assert.Equal(queued, booking.Kiosk.Open().ExecuteScalar<long>("SELECT COUNT(*) FROM outbox"));
            Assert.DoesNotContain(Citizens[0].Iin!, booking.Node.Process.Output);
            Assert.DoesNotContain(registrar.Iin!, booking.Node.Process.Output);
        }
        catch
        {
            output.WriteLine(booking.Describe());
            throw;
        }
    }

    /// <summary>Opens the slip, prints it to PDF through Chromium's print path (80 mm wide) and goes back.</summary>
    private static async Task PrintSlipAsync(IPage page, string link, string kind)
    {
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, link);
        Assert.Contains($"/{kind}", page.Url);
        await Expect(page.Locator("#slip")).ToHaveAttributeAsync("data-kind", kind);
        var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });
        var (width, _, pages) = SlipBrowserTests.PdfPages(pdf);
        Assert.InRange(width * 25.4 / 72, 79.8, 80.3);
        Assert.Equal(1, pages);
        await DeskBrowser.CheckAsync(page, $"desk slip ({kind})");
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#slip-back");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
