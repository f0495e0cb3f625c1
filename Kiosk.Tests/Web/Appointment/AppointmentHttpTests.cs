using System.Globalization;
using System.Net;
using Dapper;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Tests.Central.Booking;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Web.HomeCall;
using static Kiosk.Tests.Web.Appointment.AppointmentKiosk;

namespace Kiosk.Tests.Web.Appointment;

/// <summary>
/// The appointment screens over real HTTP (issue 5 item 1), with a real Central on loopback and the sync worker's real
/// code: the citizen's clinic from Central, doctors by speciality, days and times from the kiosk's reference data,
/// review, signature, accepted; Central's decision on the status screen with the slot's time as the deadline; cancel;
/// a refusal with its alternatives as one-touch buttons; the offline choice of a clinic; the guards.
/// </summary>
public sealed class AppointmentHttpTests(DemoCaFixture ca) : IClassFixture<DemoCaFixture>
{
    public const string PagePath = "/services/appointment";
    public const string ReviewPath = "/services/appointment/review";
    public const string AcceptedPath = "/services/appointment/accepted";
    public const string CancelPath = "/services/appointment/cancel";
    public const string CancelAcceptedPath = "/services/appointment/cancel/accepted";
    public const string StatusPath = "/services/status";

    [Fact]
    public async Task Every_appointment_page_sends_a_visitor_who_is_not_signed_in_to_the_start()
    {
        await using var host = await KioskAppHost.StartAsync($"--Pki:TrustDirectory={ca.Ca.TrustDirectory}");
        using var client = host.NewClient();
        foreach (var path in new[] { PagePath, ReviewPath, AcceptedPath, CancelPath, CancelAcceptedPath })
        {
            var (response, _) = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/", response.Headers.Location?.OriginalString);
        }
        // A form post without the antiforgery token is refused before anything else.
        var (post, _) = await client.PostAsync(PagePath + "?handler=Slot", [new("slotId", "1001")], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }

    [Fact]
    public async Task A_citizen_books_a_slot_Central_accepts_it_the_status_shows_the_slot_time_and_a_signed_cancellation_frees_it()
    {
        await using var kiosk = await AppointmentKiosk.StartAsync(ca);
        var central = kiosk.Central;
        var sign = central.Citizens[0];
        using var client = kiosk.Kiosk.NewClient();
        Assert.Equal(PagePath, await SignInAsync(ca, client, "appointment", sign));

        // The doctors of clinic 1 (Central says the citizen is attached there), by speciality; not clinic 2's doctor.
        var (page, html) = await client.GetAsync(PagePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore == true);
        Assert.Contains("data-clinic-id=\"1\" data-source=\"central\"", html);
        Assert.Equal(["10", "11"], Ids(html, "doctor-"));
        Assert.Contains("Участковый терапевт", Text(html));
        Assert.Contains("data-never=\"false\"", html); // the time of the last reference refresh is shown
        Assert.DoesNotContain(sign.Iin!, html);

        // A doctor: the days with free slots and the times of the first day.
        Assert.Equal(PagePath, (await PostHandlerAsync(client, PagePath, "Doctor", ("doctorId", "10"))).Headers.Location?.OriginalString);
        (_, html) = await client.GetAsync(PagePath);
        var tomorrow = central.Central.Day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal([tomorrow], Ids(html, "day-"));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => BookingCentral.SlotId(10, i).ToString(CultureInfo.InvariantCulture)).ToList(), Ids(html, "slot-"));
        Assert.Contains(">09:00</button>", html);

        // A time: the review says what will be signed.
        var chosen = await PostHandlerAsync(client, PagePath, "Slot", ("slotId", "1001"));
        Assert.Equal(ReviewPath, chosen.Headers.Location?.OriginalString);
        (_, html) = await client.GetAsync(ReviewPath);
        var when = AstanaTime.ToLocal(central.SlotStart(10, 1)).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
        Assert.Contains(when, html);
        Assert.Contains("Дәрігер Д", Text(html));
        Assert.Contains("кабинет 101", Text(html));
        var requestId = Guid.Parse(HomeCallHttpTests.RequestIdOf(html));

        var (signed, signedHtml) = await SignAsync(ca, client, ReviewPath, sign);
        Assert.True(signed.StatusCode == HttpStatusCode.Redirect, Text(signedHtml));
        Assert.Equal(AcceptedPath, signed.Headers.Location?.OriginalString);
        var (_, accepted) = await client.GetAsync(AcceptedPath);
        Assert.Contains($"data-request-id=\"{requestId:D}\"", accepted);
        Assert.Contains("id=\"receipt-print-slip\"", accepted);
        Assert.Contains("Запись на прием к врачу", Text(accepted));
        var stored = HomeCallHttpTests.StoredRequest(kiosk.Kiosk.DatabasePath, requestId)!.Value;
        var booking = Assert.IsType<AppointmentDetails>(RequestDocument.Parse(stored.Document).Details);
        Assert.Equal((1L, 10L, 1001L, central.SlotStart(10, 1)), (booking.ClinicId, booking.DoctorId, booking.SlotId, booking.SlotStart));

        // The worker delivers it; Central books the slot; the status shows it accepted with the slot's time as the deadline.
        await kiosk.SyncRoundAsync();
        Assert.Equal(1, central.Scalar("SELECT COUNT(*) FROM bookings WHERE slot_id = 1001"));
        (_, html) = await client.GetAsync(StatusPath);
        var item = Item(html, requestId);
        Assert.Contains("data-status=\"accepted\"", item);
        Assert.Contains($"{when} — время приёма", Text(item));
        Assert.Contains("data-action=\"cancel-appointment\"", item);
        // The slot left the kiosk's free list with the reference pull of the same round.
        await PostHandlerAsync(client, PagePath, "Doctor", ("doctorId", "10"));
        (_, html) = await client.GetAsync(PagePath);
        Assert.DoesNotContain("id=\"slot-1001\"", html);

        // Cancel: from the status screen, review, sign a cancellation of that booking.
        await client.GetAsync(StatusPath);
        var (start, _) = await client.PostAsync(CancelPath + "?handler=Start", [new("requestId", requestId.ToString("D"))]);
        Assert.Equal(CancelPath, start.Headers.Location?.OriginalString);
        (_, html) = await client.GetAsync(CancelPath);
        Assert.Contains(when, html);
        Assert.Contains($"data-cancels=\"{requestId:D}\"", html);
        var cancelId = Guid.Parse(HomeCallHttpTests.RequestIdOf(html));
        var (cancelled, cancelHtml) = await SignAsync(ca, client, CancelPath, sign);
        Assert.True(cancelled.StatusCode == HttpStatusCode.Redirect, Text(cancelHtml));
        Assert.Equal(CancelAcceptedPath, cancelled.Headers.Location?.OriginalString);
        Assert.Contains("Отмена записи на приём к врачу", Text((await client.GetAsync(CancelAcceptedPath)).Html));
        var cancellation = Assert.IsType<AppointmentCancellationDetails>(
            RequestDocument.Parse(HomeCallHttpTests.StoredRequest(kiosk.Kiosk.DatabasePath, cancelId)!.Value.Document).Details);
        Assert.Equal((requestId, 1001L), (cancellation.CancelsRequestId, cancellation.SlotId));

        // Waiting: the booking says so and offers no second cancellation.
        (_, html) = await client.GetAsync(StatusPath);
        item = Item(html, requestId);
        Assert.Contains("data-state=\"pending\"", item);
        Assert.DoesNotContain("data-action=\"cancel-appointment\"", item);
        // A cancellation of a booking already being cancelled is not started again.
        var (again, _) = await client.PostAsync(CancelPath + "?handler=Start", [new("requestId", requestId.ToString("D"))]);
        Assert.Equal(StatusPath, again.Headers.Location?.OriginalString);

        // Central frees the slot; the kiosk learns it and shows the time free again.
        await kiosk.SyncRoundAsync();
        Assert.Equal(0, central.Scalar("SELECT COUNT(*) FROM bookings WHERE slot_id = 1001"));
        (_, html) = await client.GetAsync(StatusPath);
        Assert.Contains("data-state=\"accepted\"", Item(html, requestId));
        Assert.Contains("Запись отменена", Text(Item(html, requestId)));
        await PostHandlerAsync(client, PagePath, "Doctor", ("doctorId", "10"));
        (_, html) = await client.GetAsync(PagePath);
        Assert.Contains("id=\"slot-1001\"", html);
    }

    [Fact]
    public async Task A_slot_taken_meanwhile_is_refused_in_the_citizens_language_with_three_alternatives_one_of_which_books_with_one_touch()
    {
        await using var kiosk = await AppointmentKiosk.StartAsync(ca);
        var central = kiosk.Central;
        var sign = central.Citizens[0];
        using var client = kiosk.Kiosk.NewClient();
        await SignInAsync(ca, client, "appointment", sign);
        await PostHandlerAsync(client, PagePath, "Doctor", ("doctorId", "10"));
        Assert.Equal(ReviewPath, (await PostHandlerAsync(client, PagePath, "Slot", ("slotId", "1002"))).Headers.Location?.OriginalString);
        var (signed, _) = await SignAsync(ca, client, ReviewPath, sign);
        Assert.Equal(AcceptedPath, signed.Headers.Location?.OriginalString);
        var requestId = Guid.Parse(HomeCallHttpTests.RequestIdOf((await client.GetAsync(AcceptedPath)).Html));

        // Another kiosk's citizen takes the slot first.
        Assert.Equal("accepted", (await central.DecideAsync(central.Sign(central.Citizens[1], central.Slot(10, 2), BookingCentral.SecondKioskId), BookingCentral.SecondKioskId)).Status);
        await kiosk.SyncRoundAsync();
        var decision = new DecisionStore(kiosk.Database).Get(requestId)!;
        Assert.Equal(("refused", "slot-taken"), (decision.Status, decision.Reason));
        Assert.NotNull(decision.Alternatives); // stored by the worker (migration 0008)

        // In Kazakh: Central's text of the reason, and the three nearest free slots as one-touch buttons.
        await client.PostAsync("/language", [new("lang", "kk"), new("returnUrl", StatusPath)]);
        var (_, html) = await client.GetAsync(StatusPath);
        var item = Item(html, requestId);
        Assert.Contains("data-status=\"refused\"", item);
        Assert.Contains("data-reason=\"slot-taken\"", item);
        Assert.Contains(Kiosk.Core.Services.RefusalReasons.For("slot-taken", "kk"), Text(item));
        Assert.Equal(["1001", "1003", "1004"], System.Text.RegularExpressions.Regex.Matches(item, "data-slot-id=\"(\\d+)\"").Select(m => m.Groups[1].Value).ToList());
        Assert.Contains("Бұл уақыт бос емес", Text(item));

        // A slot that was not offered is not taken from a crafted post; an offered one makes a new draft.
        var (crafted, _) = await client.PostAsync(PagePath + "?handler=Alternative", [new("requestId", requestId.ToString("D")), new("slotId", "1006")]);
        Assert.Equal(StatusPath, crafted.Headers.Location?.OriginalString);
        await client.GetAsync(StatusPath);
        var (picked, _) = await client.PostAsync(PagePath + "?handler=Alternative", [new("requestId", requestId.ToString("D")), new("slotId", "1003")]);
        Assert.Equal(ReviewPath, picked.Headers.Location?.OriginalString);
        (_, html) = await client.GetAsync(ReviewPath);
        Assert.Contains("data-slot-id=\"1003\"", html);
        var secondId = Guid.Parse(HomeCallHttpTests.RequestIdOf(html));
        Assert.NotEqual(requestId, secondId);
        Assert.Equal(AcceptedPath, (await SignAsync(ca, client, ReviewPath, sign)).Response.Headers.Location?.OriginalString);
        await kiosk.SyncRoundAsync();
        Assert.Equal("accepted", new DecisionStore(kiosk.Database).Get(secondId)!.Status);
        Assert.Equal(1, central.Scalar("SELECT COUNT(*) FROM bookings WHERE slot_id = 1003"));
    }

    [Fact]
    public async Task A_citizen_Central_knows_as_not_attached_is_sent_to_attachment_and_without_Central_picks_their_clinic_from_the_kiosks_list()
    {
        await using var kiosk = await AppointmentKiosk.StartAsync(ca);
        var sign = kiosk.Central.Citizens[0];
        kiosk.Central.Central.SetRegistry(sign, RegistryState.NotAttached);
        using var client = kiosk.Kiosk.NewClient();
        await SignInAsync(ca, client, "appointment", sign);
        var (_, html) = await client.GetAsync(PagePath);
        Assert.Contains("id=\"appointment-not-attached\" data-in-registry=\"true\"", html);
        Assert.Contains("href=\"/services/attachment\"", html);
        Assert.Empty(Ids(html, "doctor-"));

        // Central stops: the kiosk cannot say where the citizen is attached, so the citizen picks from its clinics.
        await kiosk.Central.Central.App.StopAsync();
        (_, html) = await client.GetAsync(PagePath);
        Assert.Contains("id=\"appointment-offline\"", html);
        Assert.Equal(["1", "2", "3"], Ids(html, "clinic-").Order().ToList());
        Assert.Equal(PagePath, (await PostHandlerAsync(client, PagePath, "Clinic", ("clinicId", "2"))).Headers.Location?.OriginalString);
        (_, html) = await client.GetAsync(PagePath);
        Assert.Contains("data-clinic-id=\"2\" data-source=\"chosen\"", html);
        Assert.Equal(["20"], Ids(html, "doctor-"));
        Assert.Contains("id=\"appointment-other-clinic\"", html);
    }

    /// <summary>The status list's item of one request.</summary>
    internal static string Item(string html, Guid requestId)
    {
        var at = html.IndexOf($"data-request-id=\"{requestId:D}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no status item for {requestId:D}");
        var begin = html.LastIndexOf("<li class=\"request", at, StringComparison.Ordinal);
        var next = html.IndexOf("<li class=\"request", at, StringComparison.Ordinal);
        var end = next >= 0 ? next : html.IndexOf("</ol>", at, StringComparison.Ordinal);
        return html[begin..end];
    }
}
