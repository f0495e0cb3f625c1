using System.Globalization;
using Dapper;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Kiosk.Tests.Sync;
using Kiosk.Tests.Web.Staff;
using Microsoft.Playwright;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// Issue 12 item 3, "Done when" ("the journals show the entries and print"), in Chromium: the kiosk node, its sync
/// worker and Central really running on loopback (<see cref="BrowserBooking"/>, set up as in
/// <see cref="DeskBrowserTests"/>, with a second doctor at clinic 1). A registrar signs in, files a home call and an
/// appointment at the desk, opens both journals and sees the entries with masked IINs and channel "desk", filters the
/// appointments by doctor, and prints each journal to PDF through Chromium's print path on A4 and on the 80 mm roll:
/// the page size is the paper's and the PDF's text holds the entry numbers. Axe and 48 px targets on every screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JournalBrowserTests(BrowserFixture browser, DemoCaFixture ca, ITestOutputHelper output) : IClassFixture<DemoCaFixture>
{
    private const long SecondDoctor = 11;

    private DemoCaEntry Registrar => ca.Manifest.Files.Single(f => f.Case == "registrar" && f.KeyType == "SIGN");

    private IReadOnlyList<DemoCaEntry> Citizens => ca.Manifest.Files.Where(f => f.Case == "valid" && f.KeyType == "SIGN" && f.Category == "citizen").ToList();

    [Fact]
    public async Task A_registrar_sees_the_desks_entries_in_both_journals_filters_by_doctor_and_prints_on_A4_and_80_mm()
    {
        var registrar = Registrar;
        await using var booking = await BrowserBooking.StartAsync(ca,
            [$"--Staff:ProviderBin={NodeStaff.ProviderBin}", $"--Kiosks:Clinics:{SyncCentral.KioskId}=1"],
            central =>
            {
                using var c = central.Database.Open();
                c.Execute("UPDATE clinics SET bin = @bin WHERE id = 1", new { bin = registrar.Bin });
                c.Execute("""
                    INSERT INTO doctors (id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room, version)
                    VALUES (@id, 1, 'БЕКОВА', 'САУЛЕ', NULL, 'general-practitioner', 20, '305', 1)
                    """, new { id = SecondDoctor });
                new Kiosk.Central.Staff.StaffRegister(central.Database, central.Time).Add(Iin.Parse(registrar.Iin!), "Сейітова Динара",
                    Bin.Parse(registrar.Bin!), StaffRoles.Parse("registrar")!, StaffPasswords.Hash(NodeStaff.Password));
            },
            ["--Staff:SecureCookies=false"]);
        var staff = new StaffStore(booking.Kiosk);
        var reference = new ReferenceStore(booking.Kiosk, TimeProvider.System);
        await Eventually.That(() => staff.Count() == 1 && staff.Clinic() is not null && reference.DoctorsOf(1).Items.Any(d => d.Id == SecondDoctor),
            BrowserBooking.Patience, booking.Describe);
        var day = booking.Central.Day;
        var homeCallNumber = $"HC-{day:yyyyMMdd}-000001";
        var appointmentNumber = $"AP-{day:yyyyMMdd}-000001";

        var (context, page) = await KioskBrowser.OpenAsync(browser, "landscape");
        await using var _ = context;
        try
        {
            await page.GotoAsync(booking.Node.BaseUrl + "/staff/sign-in");
            await page.Locator("#staff-iin").FillAsync(registrar.Iin!);
            await page.Locator("#staff-password").FillAsync(NodeStaff.Password);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#staff-signin-submit");
            await page.WaitForURLAsync("**/desk");

            // At the desk: a home call and an appointment, both decided by Central.
            await DeskBrowser.LookUpAsync(page, "home-call", Citizens[0].Iin!);
            await page.Locator("#phone").FillAsync("+77011234567");
            await page.Locator("label[for=reason-fever]").TapAsync();
            await page.Locator("label[for=identity-checked]").TapAsync();
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#desk-next");
            await DeskBrowser.SignAsync(page, ca.Ca, registrar);
            await Expect(page.Locator("#desk-result")).ToHaveAttributeAsync("data-status", "accepted", new() { Timeout = 120_000 });
            await Expect(page.Locator("#result-number")).ToHaveTextAsync(homeCallNumber);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#result-next");

            await DeskBrowser.LookUpAsync(page, "appointment", Citizens[1].Iin!);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#doctor-{BrowserBooking.Doctor}");
            await page.Locator($"label[for=slot-{BrowserBooking.SlotId(BrowserBooking.Doctor, 1)}]").TapAsync();
            await page.Locator("label[for=identity-checked]").TapAsync();
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#desk-next");
            await DeskBrowser.SignAsync(page, ca.Ca, registrar);
            await Expect(page.Locator("#desk-result")).ToHaveAttributeAsync("data-status", "accepted", new() { Timeout = 120_000 });
            await Expect(page.Locator("#result-number")).ToHaveTextAsync(appointmentNumber);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#result-next");

            // The journals, from the desk's start page.
            await page.WaitForURLAsync("**/desk");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#desk-journals");
            await page.WaitForURLAsync("**/desk/journals");
            await Expect(page.Locator("#nav-journals")).ToHaveAttributeAsync("aria-current", "page");
            await DeskBrowser.CheckAsync(page, "journals");

            // Home calls of Central's day: the desk's call, masked, channel "desk".
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#journal-home-calls");
            await ShowDayAsync(page, day);
            var call = page.Locator($"#journal-entries tr[data-number='{homeCallNumber}']");
            await Expect(call).ToHaveAttributeAsync("data-channel", "desk");
            await Expect(call).ToHaveAttributeAsync("data-status", "accepted");
            await Expect(call.Locator("[data-field=iin]")).ToHaveTextAsync("******" + Citizens[0].Iin![6..]);
            await Expect(call.Locator("[data-field=channel]")).ToHaveTextAsync("Регистратура");
            Assert.DoesNotContain(Citizens[0].Iin!, await page.ContentAsync());
            Assert.DoesNotContain(Citizens[0].Iin!, page.Url);
            await DeskBrowser.CheckAsync(page, "home-call journal");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("journal-home-calls-ru"), FullPage = true });
            foreach (var lang in KioskBrowser.Languages) await DeskBrowser.CheckInAsync(page, lang, "home-call journal");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#lang-ru");
            // The language switch keeps the journal's day (the query holds only the day, doctor and paper).
            await Expect(page.Locator("#journal")).ToHaveAttributeAsync("data-date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await PrintAsync(page, "a4", homeCallNumber, "journal-home-calls-a4-ru");
            await PrintAsync(page, "80mm", homeCallNumber, "journal-home-calls-80mm-ru");

            // Appointments of the slot's day, all doctors, then one doctor's.
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#journal-index");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#journal-appointments");
            await ShowDayAsync(page, day.AddDays(1));
            var appointment = page.Locator($"#journal-entries tr[data-number='{appointmentNumber}']");
            await Expect(appointment).ToHaveAttributeAsync("data-channel", "desk");
            await Expect(appointment).ToHaveAttributeAsync("data-doctor", BrowserBooking.Doctor.ToString(CultureInfo.InvariantCulture));
            await Expect(appointment.Locator("[data-field=iin]")).ToHaveTextAsync("******" + Citizens[1].Iin![6..]);
            await Expect(appointment).ToContainTextAsync("09:00");
            await DeskBrowser.CheckAsync(page, "appointment journal");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("journal-appointments-ru"), FullPage = true });

            await page.Locator("#journal-doctor").SelectOptionAsync(SecondDoctor.ToString(CultureInfo.InvariantCulture));
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#journal-show");
            Assert.Contains($"doctor={SecondDoctor}", page.Url);
            await Expect(page.Locator("#journal-empty")).ToBeVisibleAsync();
            await Expect(page.Locator("#journal")).ToHaveAttributeAsync("data-count", "0");
            await page.Locator("#journal-doctor").SelectOptionAsync(BrowserBooking.Doctor.ToString(CultureInfo.InvariantCulture));
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#journal-show");
            await Expect(page.Locator("#journal")).ToHaveAttributeAsync("data-count", "1");
            await Expect(appointment).ToBeVisibleAsync();
            await PrintAsync(page, "a4", appointmentNumber, "journal-appointments-a4-ru");
            await PrintAsync(page, "80mm", appointmentNumber, "journal-appointments-80mm-ru");

            Assert.DoesNotContain(Citizens[0].Iin!, booking.Node.Process.Output);
            Assert.DoesNotContain(Citizens[1].Iin!, booking.Node.Process.Output);
        }
        catch
        {
            output.WriteLine(booking.Describe());
            throw;
        }
    }

    /// <summary>Chooses the day in the filter form and shows it (the node's own "today" is not Central's test day).</summary>
    private static async Task ShowDayAsync(IPage page, DateOnly day)
    {
        await page.Locator("#journal-date").FillAsync(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#journal-show");
        await Expect(page.Locator("#journal")).ToHaveAttributeAsync("data-date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Opens the paper's view, checks its print button calls the browser's print, prints to PDF through Chromium's print
    /// path (print media, the page's own @page size) and goes back: A4 sheets, or the 80 mm roll as long as the journal.
    /// </summary>
    private static async Task PrintAsync(IPage page, string paper, string number, string screenshot)
    {
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#journal-paper-{paper}");
        Assert.Contains("paper=" + paper, page.Url);
        await Expect(page.Locator("#journal")).ToHaveAttributeAsync("data-paper", paper);
        await Expect(page.Locator("#journal-head-printed")).ToBeVisibleAsync();
        await DeskBrowser.CheckAsync(page, $"journal on {paper}");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath(screenshot), FullPage = true });

        await page.EvaluateAsync("() => { window.__printed = 0; window.print = () => { window.__printed++; }; }");
        await page.Locator("#journal-print").TapAsync();
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.__printed"));

        var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });
        await File.WriteAllBytesAsync(Path.ChangeExtension(BrowserFixture.ScreenshotPath(screenshot), ".pdf"), pdf); // beside the screenshots, to look at
        var (width, height, pages) = SlipBrowserTests.PdfPages(pdf);
        if (paper == "a4")
        {
            Assert.InRange(width * 25.4 / 72, 209.5, 210.5);
            Assert.InRange(height * 25.4 / 72, 296.5, 297.5);
        }
        else
        {
            Assert.InRange(width * 25.4 / 72, 79.8, 80.3);
            var length = double.Parse((await page.Locator("#journal").GetAttributeAsync("data-length-mm"))!, CultureInfo.InvariantCulture);
            Assert.InRange(height * 25.4 / 72, length - 0.3, length + 0.3);
        }
        Assert.Equal(1, pages);
        using (var document = PdfDocument.Open(pdf))
        {
            var text = string.Concat(document.GetPages().Select(p => p.Text));
            Assert.Contains(number, text);
            Assert.DoesNotContain("Печать на листах A4", text); // the screen's buttons are not printed
        }
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#journal-print-back");
        await Expect(page.Locator("#journal")).ToHaveAttributeAsync("data-paper", "screen");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
