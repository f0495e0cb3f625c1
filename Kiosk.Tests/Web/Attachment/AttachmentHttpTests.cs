using System.Globalization;
using System.Net;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Tests.Central.Booking;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Web.Appointment;
using Kiosk.Tests.Web.HomeCall;
using Kiosk.Tests.Web.SignIn;
using static Kiosk.Tests.Web.Appointment.AppointmentKiosk;

namespace Kiosk.Tests.Web.Attachment;

/// <summary>
/// The attachment screens over real HTTP (issue 5 item 2), with a real Central on loopback and the sync worker's real
/// code: the current clinic from Central, the reason (and the new address and district on a move), the clinics serving
/// the district with address, hours and how many they serve, review, signature, Central's decision, the appointment
/// screen following the new clinic; the form's problems and Central's refusals shown translated; the guards.
/// </summary>
public sealed class AttachmentHttpTests(DemoCaFixture ca) : IClassFixture<DemoCaFixture>
{
    public const string PagePath = "/services/attachment";
    public const string ReviewPath = "/services/attachment/review";
    public const string AcceptedPath = "/services/attachment/accepted";

    [Fact]
    public async Task Every_attachment_page_sends_a_visitor_who_is_not_signed_in_to_the_start()
    {
        await using var host = await KioskAppHost.StartAsync($"--Pki:TrustDirectory={ca.Ca.TrustDirectory}");
        using var client = host.NewClient();
        foreach (var path in new[] { PagePath, ReviewPath, AcceptedPath })
        {
            var (response, _) = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/", response.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task A_voluntary_change_is_signed_and_accepted_the_appointment_screen_follows_the_new_clinic_and_a_second_one_is_refused_in_English()
    {
        await using var kiosk = await AppointmentKiosk.StartAsync(ca);
        var central = kiosk.Central;
        var sign = central.Citizens[0];
        using var client = kiosk.Kiosk.NewClient();
        Assert.Equal(PagePath, await SignInAsync(ca, client, "attachment", sign));

        var (page, html) = await client.GetAsync(PagePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore == true);
        Assert.Contains("id=\"attachment-current\" data-clinic-id=\"1\"", html);
        Assert.Equal(["voluntary", "change-of-residence"], Ids(html, "reason-"));
        Assert.Contains("data-osk=\"text\"", html);
        Assert.DoesNotContain(sign.Iin!, html);

        // The form's problems, translated.
        await client.GetAsync(PagePath);
        var (_, bad) = await client.PostAsync(PagePath + "?handler=Reason", []);
        Assert.Equal(["reason-missing"], SignInHttpTests.Problems(bad));
        Assert.Contains("Выберите причину.", Text(bad));
        var (_, moving) = await client.PostAsync(PagePath + "?handler=Reason", [new("Reason", "change-of-residence"), new("NewAddress", " ")]);
        Assert.Equal(["address-missing", "district-missing"], SignInHttpTests.Problems(moving));

        // Voluntary: the clinics serving the registry's district D1, the current one marked and not offered.
        Assert.Equal(PagePath, (await PostHandlerAsync(client, PagePath, "Reason", ("Reason", "voluntary"))).Headers.Location?.OriginalString);
        (_, html) = await client.GetAsync(PagePath);
        Assert.Equal(["2"], Ids(html, "clinic-").Where(id => !id.Contains('-')).ToList());
        Assert.Contains("data-clinic-id=\"1\"", html);
        Assert.Contains("data-field=\"attached-here\"", html);
        Assert.Contains("Обслуживает:", Text(html));
        Assert.Contains("data-field=\"hours\"", html);

        Assert.Equal(ReviewPath, (await PostHandlerAsync(client, PagePath, "Clinic", ("clinicId", "2"))).Headers.Location?.OriginalString);
        (_, html) = await client.GetAsync(ReviewPath);
        Assert.Contains("data-clinic-id=\"2\" data-reason=\"voluntary\"", html);
        var requestId = Guid.Parse(HomeCallHttpTests.RequestIdOf(html));
        var (signed, signedHtml) = await SignAsync(ca, client, ReviewPath, sign);
        Assert.True(signed.StatusCode == HttpStatusCode.Redirect, Text(signedHtml));
        Assert.Equal(AcceptedPath, signed.Headers.Location?.OriginalString);
        Assert.Contains("id=\"receipt-print-slip\"", (await client.GetAsync(AcceptedPath)).Html);
        var details = Assert.IsType<AttachmentDetails>(RequestDocument.Parse(HomeCallHttpTests.StoredRequest(kiosk.Kiosk.DatabasePath, requestId)!.Value.Document).Details);
        Assert.Equal((2L, "voluntary", (string?)null), (details.ClinicId, details.Reason, details.NewAddress));

        // Central moves the attachment; the status shows it accepted with the day of the request as its deadline.
        await kiosk.SyncRoundAsync();
        Assert.Equal(2, central.ActiveClinic(sign));
        (_, html) = await client.GetAsync("/services/status");
        var item = AppointmentHttpTests.Item(html, requestId);
        Assert.Contains("data-status=\"accepted\"", item);
        Assert.Contains("в день обращения", Text(item));

        // The appointment screen now shows the new clinic's doctors.
        (_, html) = await client.GetAsync(AppointmentHttpTests.PagePath);
        Assert.Contains("data-clinic-id=\"2\" data-source=\"central\"", html);
        Assert.Equal(["20"], Ids(html, "doctor-"));

        // A second voluntary change in the same year: Central refuses it; the status says why, in English.
        await PostHandlerAsync(client, PagePath, "Reason", ("Reason", "voluntary"));
        Assert.Equal(ReviewPath, (await PostHandlerAsync(client, PagePath, "Clinic", ("clinicId", "1"))).Headers.Location?.OriginalString);
        var secondId = Guid.Parse(HomeCallHttpTests.RequestIdOf((await client.GetAsync(ReviewPath)).Html));
        Assert.Equal(AcceptedPath, (await SignAsync(ca, client, ReviewPath, sign)).Response.Headers.Location?.OriginalString);
        await kiosk.SyncRoundAsync();
        Assert.Equal(("refused", "voluntary-limit-reached"), (new DecisionStore(kiosk.Database).Get(secondId)!.Status, new DecisionStore(kiosk.Database).Get(secondId)!.Reason));
        await client.PostAsync("/language", [new("lang", "en"), new("returnUrl", "/services/status")]);
        (_, html) = await client.GetAsync("/services/status");
        item = AppointmentHttpTests.Item(html, secondId);
        Assert.Contains("data-reason=\"voluntary-limit-reached\"", item);
        Assert.Contains(Kiosk.Core.Services.RefusalReasons.For("voluntary-limit-reached", "en"), Text(item));
        Assert.Contains("1414", Text(item));
        Assert.Equal(2, central.ActiveClinic(sign));
    }

    [Fact]
    public async Task A_move_names_the_new_address_and_district_and_offers_the_clinics_of_that_district()
    {
        await using var kiosk = await AppointmentKiosk.StartAsync(ca);
        var central = kiosk.Central;
        var sign = central.Citizens[0];
        using var client = kiosk.Kiosk.NewClient();
        await SignInAsync(ca, client, "attachment", sign);
        var (_, html) = await client.GetAsync(PagePath);
        Assert.Equal(["D1", "D2"], Ids(html, "district-").Order().ToList());

        var moved = await PostHandlerAsync(client, PagePath, "Reason",
            ("Reason", "change-of-residence"), ("NewAddress", "  Астана,  ул. Сарайшық 5, кв. 9 "), ("NewDistrict", "D2"));
        Assert.Equal(PagePath, moved.Headers.Location?.OriginalString);
        (_, html) = await client.GetAsync(PagePath);
        Assert.Contains("Астана, ул. Сарайшық 5, кв. 9", Text(html));
        Assert.Equal(["3"], Ids(html, "clinic-").Where(id => !id.Contains('-')).ToList());
        Assert.Equal(ReviewPath, (await PostHandlerAsync(client, PagePath, "Clinic", ("clinicId", "3"))).Headers.Location?.OriginalString);
        // A clinic not on the list is not taken from a crafted post.
        Assert.Equal(PagePath, (await PostHandlerAsync(client, PagePath, "Clinic", ("clinicId", "2"))).Headers.Location?.OriginalString);
        Assert.Equal(ReviewPath, (await PostHandlerAsync(client, PagePath, "Clinic", ("clinicId", "3"))).Headers.Location?.OriginalString);

        (_, html) = await client.GetAsync(ReviewPath);
        Assert.Contains("Астана, ул. Сарайшық 5, кв. 9", Text(html));
        var requestId = Guid.Parse(HomeCallHttpTests.RequestIdOf(html));
        Assert.Equal(AcceptedPath, (await SignAsync(ca, client, ReviewPath, sign)).Response.Headers.Location?.OriginalString);
        var details = Assert.IsType<AttachmentDetails>(RequestDocument.Parse(HomeCallHttpTests.StoredRequest(kiosk.Kiosk.DatabasePath, requestId)!.Value.Document).Details);
        Assert.Equal((3L, "change-of-residence", "Астана, ул. Сарайшық 5, кв. 9", "D2"), (details.ClinicId, details.Reason, details.NewAddress, details.NewDistrict));
        await kiosk.SyncRoundAsync();
        Assert.Equal("accepted", new DecisionStore(kiosk.Database).Get(requestId)!.Status);
        Assert.Equal(3, central.ActiveClinic(sign));
    }
}
