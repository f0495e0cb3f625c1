using Dapper;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Kiosk.Tests.Sync;
using Kiosk.Tests.Web.Status;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// The kiosk node, its sync worker and Central, each really running on loopback (as in
/// <see cref="StatusEndToEndBrowserTests"/>), with a schedule at Central: clinics 1 and 2 serve district D1 (the demo
/// citizens' district; they are attached to clinic 1), clinic 3 serves D2; doctor 10 works at clinic 1 and doctor 20 at
/// clinic 2, each with six slots tomorrow (Central's clock) from 09:00, 20 minutes apart (ids doctor·100 + 1…6), besides
/// the regular ones Central's schedule top-up makes at start.
/// Central knows the kiosk's clock before it starts (<see cref="SyncCentral.RememberKioskClock"/>), so a request the
/// kiosk signs by the real clock is judged at the matching moment of Central's fake clock (10:05 on the test day).
/// </summary>
public sealed class BrowserBooking : IAsyncDisposable
{
    public const long Doctor = 10, OtherClinicDoctor = 20;

    private BrowserBooking(SyncCentral central, KioskNode node, AppProcess worker)
    {
        Central = central;
        Node = node;
        Worker = worker;
        Kiosk = StatusRows.Database(node.DatabasePath);
    }

    public SyncCentral Central { get; }
    public KioskNode Node { get; }
    public AppProcess Worker { get; }
    public SqliteDatabase Kiosk { get; }

    /// <param name="centralArgs">More of Central's options (the desk's tests add the staff register's).</param>
    /// <param name="prepare">Changes to Central's file before it starts (staff accounts, a clinic's BIN).</param>
    /// <param name="nodeArgs">More of the kiosk node's options.</param>
    public static async Task<BrowserBooking> StartAsync(DemoCaFixture ca, string[]? centralArgs = null, Action<SyncCentral>? prepare = null,
        string[]? nodeArgs = null)
    {
        var central = new SyncCentral(ca, centralArgs ?? []);
        KioskNode? node = null;
        AppProcess? worker = null;
        try
        {
            Seed(central);
            prepare?.Invoke(central);
            central.RememberKioskClock(SyncCentral.KioskId, DateTimeOffset.UtcNow);
            await central.StartAsync();
            node = await KioskNode.StartAsync([$"--Pki:TrustDirectory={ca.Ca.TrustDirectory}", $"--Sync:KioskId={SyncCentral.KioskId}",
                $"--Sync:Credential={SyncCentral.Credential}", $"--Central:BaseUrl={central.BaseUrl}", "--Central:LookupTimeout=00:00:20", .. nodeArgs ?? []]);
            worker = KioskFile.StartWorkerOn(node.DatabasePath, central.BaseUrl);
            var booking = new BrowserBooking(central, node, worker);
            var reference = new ReferenceStore(booking.Kiosk, TimeProvider.System);
            // Central's schedule top-up adds the doctors' regular slots to these at start; the seeded ones are what the tests book.
            await Eventually.That(() => reference.FreeSlots(Doctor).Items.Any(s => s.Id == SlotId(Doctor, 1)), Patience, booking.Describe);
            return booking;
        }
        catch
        {
            // Nothing of a failed start may outlive the test: the node and worker are processes of their own.
            worker?.Dispose();
            if (node is not null) await node.DisposeAsync();
            await central.DisposeAsync();
            throw;
        }
    }

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public DateTimeOffset SlotStart(int index) => AstanaTime.ToUtc(Central.Day.AddDays(1), new TimeOnly(9, 0)).AddMinutes(20 * (index - 1));

    public static long SlotId(long doctor, int index) => doctor * 100 + index;

    public string Describe() => $"worker:\n{Worker.Output}\ncentral:\n{string.Join('\n', Central.Logs.Lines)}";

    /// <summary>Signs in with the citizen's AUTH key for a service, from the start screen.</summary>
    public async Task SignInAsync(IPage page, DemoCaFixture ca, DemoCaEntry sign, string service)
    {
        var auth = ca.Manifest.Files.Single(f => f.Case == "valid" && f.KeyType == "AUTH" && f.Iin == sign.Iin);
        await page.GotoAsync(Node.BaseUrl + "/");
        await KioskBrowser.ChooseServiceAsync(page, service);
        await page.Locator("#auth-key-file").SetInputFilesAsync(ca.Ca.PathOf(auth));
        await page.Locator("#key-password").FillAsync(ca.Ca.Password);
        await page.Locator("#signin-submit").TapAsync();
        await page.WaitForURLAsync($"**/services/{service}");
    }

    /// <summary>On a review page: the signing key file, its password, "Sign and send"; waits for the accepted page.</summary>
    public static async Task SignAsync(IPage page, DemoCaFixture ca, DemoCaEntry sign, string acceptedGlob)
    {
        await page.Locator("#sign-key-file").SetInputFilesAsync(ca.Ca.PathOf(sign));
        await page.Locator("#sign-password").FillAsync(ca.Ca.Password);
        await page.Locator("#sign-submit").TapAsync();
        await page.WaitForURLAsync(acceptedGlob);
    }

    private static void Seed(SyncCentral central)
    {
        using var c = central.Database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("INSERT INTO districts (code, name_ru, name_kk, name_en, in_city, version) VALUES ('D2', 'Район 2', 'Аудан 2', 'District 2', 1, 1)", transaction: tx);
        c.Execute("INSERT INTO clinics (id, name_ru, name_kk, name_en, address, version) VALUES (3, 'Поликлиника 3', 'Емхана 3', 'Clinic 3', 'Астана, ул. Сарайшық 1', 1)", transaction: tx);
        c.Execute("INSERT INTO clinic_districts (clinic_id, district) VALUES (1, 'D1'), (2, 'D1'), (3, 'D2')", transaction: tx);
        foreach (var (doctor, clinic, surname) in new[] { (Doctor, 1L, "АХМЕТОВА"), (OtherClinicDoctor, 2L, "СЕРІКОВ") })
        {
            c.Execute("""
                INSERT INTO doctors (id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room, version)
                VALUES (@doctor, @clinic, @surname, 'АЙГҮЛ', NULL, 'district-therapist', 20, '204', 1)
                """, new { doctor, clinic, surname }, tx);
            var first = AstanaTime.ToUtc(central.Day.AddDays(1), new TimeOnly(9, 0));
            for (var i = 1; i <= 6; i++)
            {
                var starts = first.AddMinutes(20 * (i - 1));
                c.Execute("INSERT INTO slots (id, doctor_id, starts_at, ends_at, version) VALUES (@id, @doctor, @starts, @ends, 1)",
                    new { id = SlotId(doctor, i), doctor, starts = DapperTypeHandlers.Format(starts), ends = DapperTypeHandlers.Format(starts.AddMinutes(20)) }, tx);
            }
        }
        tx.Commit();
    }

    public async ValueTask DisposeAsync()
    {
        Worker.Dispose();
        await Node.DisposeAsync();
        await Central.DisposeAsync();
    }
}

/// <summary>
/// Issue 5, "Done when", in Chromium: a citizen books an appointment at the kiosk, sees it accepted after the sync,
/// cancels it, and sees the slot free again after the next reference pull; the screens pass axe and have 48 px targets.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AppointmentBrowserTests(BrowserFixture browser, DemoCaFixture ca, ITestOutputHelper output)
    : IClassFixture<DemoCaFixture>
{
    [Fact]
    public async Task A_citizen_books_sees_it_accepted_cancels_it_and_sees_the_slot_free_again()
    {
        var sign = SyncRequests.Citizens(ca)[0];
        await using var booking = await BrowserBooking.StartAsync(ca);
        var decisions = new DecisionStore(booking.Kiosk);
        var reference = new ReferenceStore(booking.Kiosk, TimeProvider.System);
        var slot = BrowserBooking.SlotId(BrowserBooking.Doctor, 1);
        try
        {
            var (context, page) = await KioskBrowser.OpenAsync(browser, "portrait");
            await using var _ = context;
            await booking.SignInAsync(page, ca, sign, "appointment");

            // The doctors of the citizen's clinic, by speciality, and when the schedule was refreshed.
            await Expect(page.Locator("#appointment-clinic")).ToHaveAttributeAsync("data-clinic-id", "1");
            await Expect(page.Locator("#appointment-refreshed")).ToHaveAttributeAsync("data-never", "false");
            await Expect(page.Locator("[data-speciality=district-therapist] h3")).ToHaveTextAsync("Участковый терапевт");
            await Expect(page.Locator("#doctor-20")).ToHaveCountAsync(0);
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "appointment: doctors");
            await AccessibilityChecks.AssertTargetsAtLeast48Async(page, "appointment: doctors");

            // A doctor: the day picker and the large time buttons.
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#doctor-{BrowserBooking.Doctor}");
            await Expect(page.Locator("#appointment-days button").First).ToHaveAttributeAsync("aria-pressed", "true");
            var tomorrow = "#day-" + booking.Central.Day.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, tomorrow);
            await Expect(page.Locator(tomorrow)).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(page.Locator($"#slot-{slot}")).ToHaveTextAsync("09:00");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("appointment-times-ru"), FullPage = true });
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "appointment: times");
            await AccessibilityChecks.AssertTargetsAtLeast48Async(page, "appointment: times");

            // Choose, review, sign.
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#slot-{slot}");
            Assert.EndsWith("/services/appointment/review", page.Url);
            await Expect(page.Locator("#appointment-summary")).ToHaveAttributeAsync("data-slot-id", slot.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(page.Locator("#summary-when")).ToContainTextAsync("09:00");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "appointment: review");
            await BrowserBooking.SignAsync(page, ca, sign, "**/services/appointment/accepted");
            var requestId = Guid.Parse((await page.Locator("#receipt").GetAttributeAsync("data-request-id"))!);
            await Expect(page.Locator("#receipt-print-slip")).ToBeVisibleAsync();
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "appointment: accepted");

            // The worker delivers it and pulls Central's decision: accepted, with the slot's time as the deadline.
            await Eventually.That(() => decisions.Get(requestId)?.Status == "accepted", BrowserBooking.Patience, booking.Describe);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#receipt-check-status");
            var item = page.Locator($"#status-list > li[data-request-id=\"{requestId:D}\"]");
            await Expect(item).ToHaveAttributeAsync("data-status", "accepted");
            await Expect(item.Locator("[data-field=deadline]")).ToContainTextAsync("09:00 — время приёма");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "status: accepted appointment");

            // Cancel: review, sign the cancellation.
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#status-list > li[data-request-id=\"{requestId:D}\"] [data-action=cancel-appointment]");
            Assert.EndsWith("/services/appointment/cancel", page.Url);
            await Expect(page.Locator("#cancel-summary")).ToHaveAttributeAsync("data-cancels", requestId.ToString("D"));
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "appointment: cancel");
            await BrowserBooking.SignAsync(page, ca, sign, "**/services/appointment/cancel/accepted");
            var cancelId = Guid.Parse((await page.Locator("#receipt").GetAttributeAsync("data-request-id"))!);

            // Central frees the slot; the next reference pull brings it back to the kiosk's free list.
            await Eventually.That(() => decisions.Get(cancelId)?.Status == "accepted", BrowserBooking.Patience, booking.Describe);
            await Eventually.That(() => reference.FreeSlots(BrowserBooking.Doctor).Items.Any(s => s.Id == slot), BrowserBooking.Patience, booking.Describe);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#receipt-check-status");
            await Expect(page.Locator($"#status-list > li[data-request-id=\"{requestId:D}\"] [data-field=cancellation]")).ToHaveAttributeAsync("data-state", "accepted");
            await page.GotoAsync(booking.Node.BaseUrl + "/services/appointment");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#doctor-{BrowserBooking.Doctor}");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, tomorrow);
            await Expect(page.Locator($"#slot-{slot}")).ToBeVisibleAsync();

            // The same screens in Kazakh and English: their words, axe.
            foreach (var (lang, speciality) in new[] { ("kk", "Учаскелік терапевт"), ("en", "District therapist") })
            {
                await KioskBrowser.StartWithLanguageAsync(page, booking.Node.BaseUrl, lang);
                await page.GotoAsync(booking.Node.BaseUrl + "/services/appointment");
                await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#appointment-change-doctor");
                await Expect(page.Locator("[data-speciality=district-therapist] h3")).ToHaveTextAsync(speciality);
                await AccessibilityChecks.AssertNoAxeViolationsAsync(page, $"appointment: doctors ({lang})");
                await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#doctor-{BrowserBooking.Doctor}");
                await AccessibilityChecks.AssertNoAxeViolationsAsync(page, $"appointment: times ({lang})");
                await AccessibilityChecks.AssertTargetsAtLeast48Async(page, $"appointment: times ({lang})");
            }

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
