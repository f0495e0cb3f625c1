using System.Net;
using Kiosk.Tests.Web.Staff;

namespace Kiosk.Tests.Web.Desk;

/// <summary>
/// The desk's pages over HTTP on the real app (issue 12 item 2), without a Central: registrars only, process 4 when the
/// registry cannot be asked (and nothing is kept), bad IINs named, no case → back to the desk, antiforgery, and no IIN
/// in any URL or log.
/// </summary>
public sealed class DeskHttpTests
{
    [Fact]
    public async Task Only_a_registrar_opens_the_desk()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var anonymous = kiosk.NewClient();
        var (none, _) = await anonymous.GetAsync("/desk/citizen?service=home-call");
        Assert.Equal(HttpStatusCode.Redirect, none.StatusCode);
        Assert.StartsWith("/staff/sign-in", none.Headers.Location!.PathAndQuery);

        using var op = kiosk.NewClient();
        await kiosk.SignInAsync(op);
        Assert.Equal(HttpStatusCode.Redirect, (await op.GetAsync("/desk")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await op.GetAsync("/desk/review")).Response.StatusCode);
    }

    [Fact]
    public async Task Without_Central_the_look_up_is_process_4_and_nothing_is_kept()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var client = kiosk.NewClient();
        await kiosk.SignInAsync(client, iin: NodeStaff.RegistrarIin, landing: "/desk");
        var (desk, deskHtml) = await client.GetAsync("/desk");
        Assert.Contains("id=\"desk-service-home-call\"", deskHtml);

        await client.GetAsync("/desk/citizen?service=home-call");
        var (missing, missingHtml) = await client.PostAsync("/desk/citizen", [new("Service", "home-call"), new("Iin", "")]);
        Assert.Contains("data-problem=\"iin-missing\"", missingHtml);
        var (_, badHtml) = await client.PostAsync("/desk/citizen", [new("Service", "home-call"), new("Iin", "850315300129")]);
        Assert.Contains("data-problem=\"iin-invalid\"", badHtml);

        var (response, html) = await client.PostAsync("/desk/citizen", [new("Service", "home-call"), new("Iin", "850314312017")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-problem=\"registry-unavailable\"", html);
        Assert.Contains("Данные получателя не могут быть получены", html);
        // No case was opened: the form sends the registrar back to the desk.
        var (form, _) = await client.GetAsync("/desk/home-call");
        Assert.Equal(HttpStatusCode.Redirect, form.StatusCode);
        Assert.Equal("/desk", form.Headers.Location!.OriginalString);
        Assert.Contains(kiosk.Logs.Lines, l => l.Contains("Desk registry look-up failed (no-central)"));
        Assert.DoesNotContain(kiosk.Logs.Lines, l => l.Contains("850314312017"));

        var (noToken, _) = await client.PostAsync("/desk/citizen", [new("Service", "home-call"), new("Iin", "850314312017")], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
    }

    [Theory]
    [InlineData("/desk/citizen?service=dentist")]
    [InlineData("/desk/review")]
    [InlineData("/desk/result")]
    [InlineData("/desk/appointment")]
    public async Task Without_a_case_or_with_an_unknown_service_the_desk_starts_again(string path)
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var client = kiosk.NewClient();
        await kiosk.SignInAsync(client, iin: NodeStaff.RegistrarIin, landing: "/desk");
        var (response, _) = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/desk", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/desk/slips/{Guid.NewGuid():D}/receipt")).Response.StatusCode);
    }

    [Fact]
    public async Task A_node_Central_has_not_linked_to_a_clinic_has_no_desk()
    {
        await using var kiosk = await StaffKiosk.StartAsync(seedStaff: false);
        NodeStaff.Seed(kiosk.Database, clinicId: null);
        using var client = kiosk.NewClient();
        await kiosk.SignInAsync(client, iin: NodeStaff.RegistrarIin, landing: "/desk");
        var (_, html) = await client.GetAsync("/desk");
        Assert.Contains("id=\"desk-no-clinic\"", html);
        Assert.DoesNotContain("desk-service-home-call", html);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/desk/citizen?service=home-call")).Response.StatusCode);
    }
}
