using System.Net;
using System.Net.Http.Json;
using Dapper;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Core.Staff;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Central.Staff;
using Kiosk.Tests.Eds;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Central.Desk;

/// <summary>
/// Requests a registrar files at the clinic's desk (issue 12 item 2; regulation diagram 2), through Central's intake
/// over real HTTP: the registrar's employee signature of this clinic registers and decides the request like a kiosk's
/// (channel "desk", the registrar recorded); a personal key, another organisation's key, a disabled or unknown account
/// and a kiosk that serves no clinic are refused with their own reason codes; a signature by anyone but the filing
/// registrar is not registered at all. And the live registry look-up the desk starts with.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class DeskIntakeTests(DemoCaFixture ca)
{
    private DemoCaEntry RegistrarKey(string @case = "registrar") => ca.Manifest.Files.Single(f => f.Case == @case && f.KeyType == "SIGN");

    private async Task<IntakeCentral> StartAsync(bool linkKiosk = true, string? accountRoles = "registrar", bool disabled = false, string? accountBin = null)
    {
        var central = await IntakeCentral.StartAsync(ca, true, CentralStaffKit.Options);
        var registrar = RegistrarKey();
        using (var c = central.Database.Open())
        {
            c.Execute("UPDATE clinics SET bin = @bin WHERE id = 1", new { bin = registrar.Bin });
            if (linkKiosk) c.Execute("UPDATE kiosks SET clinic_id = 1 WHERE kiosk_id = @id", new { id = IntakeCentral.KioskId });
        }
        if (accountRoles is not null)
        {
            CentralStaffKit.Add(central, registrar.Iin!, accountRoles, accountBin ?? registrar.Bin!);
            if (disabled) CentralStaffKit.Register(central).SetDisabled(Iin.Parse(registrar.Iin!), true);
        }
        central.SetRegistry(central.Citizens[0], RegistryState.AttachedOpenEveryDay);
        return central;
    }

    /// <summary>A home call for the citizen, filed by the registrar, signed with <paramref name="key"/> at 10:00.</summary>
    private SignedRequest FileAtDesk(IntakeCentral central, DemoCaEntry key, DemoCaEntry? filedBy = null)
    {
        var at = central.At(10, 0);
        var document = new RequestDocument(Guid.NewGuid(), Iin.Parse(central.Citizens[0].Iin!), "ТЕСТОВ ТЕСТ", at.AddSeconds(-30), IntakeCentral.KioskId, "ru",
            new HomeCallDetails("Астана, Бейбітшілік к-сі, 12-үй", "+77011234567", HomeCallReasons.Fever),
            new FiledByStaff(Iin.Parse((filedBy ?? RegistrarKey()).Iin!)));
        var result = new RequestSigner(ca.Checker(), new FakeTimeProvider(at)).Sign(document, File.ReadAllBytes(ca.Ca.PathOf(key)), ca.Ca.Password);
        Assert.True(result.Success, string.Join(", ", result.Codes));
        return result.Request;
    }

    private static (string Status, string? Reason, string Channel, string? StaffIin) Row(IntakeCentral central, Guid id)
    {
        using var c = central.Database.Open();
        return c.QuerySingle<(string, string?, string, string?)>("SELECT status, reason, channel, staff_iin FROM requests WHERE request_id = @id",
            new { id = id.ToString("D") });
    }

    [Fact]
    public async Task The_registrars_employee_signature_registers_and_decides_the_citizens_request_as_filed_at_the_desk()
    {
        await using var central = await StartAsync();
        central.Time.SetUtcNow(central.At(10, 1));
        var signed = FileAtDesk(central, RegistrarKey());
        var answer = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed));
        Assert.Equal("registered", answer.Status);
        Assert.Equal(("accepted", null, "desk", RegistrarKey().Iin), Row(central, signed.RequestId));
        var decision = Assert.Single((await central.DecisionsAsync()).Decisions);
        Assert.Equal("accepted", decision.Status);
        Assert.NotNull(decision.Visit);

        // A citizen's own request is still the kiosk's channel.
        var own = central.Sign(central.Citizens[0], central.At(10, 0));
        Assert.Equal("registered", (await central.PushOneAsync(IntakeCentral.EnvelopeOf(own))).Status);
        Assert.Equal("kiosk", Row(central, own.RequestId).Channel);
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains(RegistrarKey().Iin!));
    }

    [Theory]
    [InlineData("registrar-personal", "registrar", false, true, null, RefusalReasons.StaffNotEmployee)]
    [InlineData("registrar-other-bin", "registrar", false, true, null, RefusalReasons.StaffWrongBin)]
    [InlineData("registrar", "registrar", true, true, null, RefusalReasons.StaffAccountDisabled)]
    [InlineData("registrar", null, false, true, null, RefusalReasons.StaffNotRegistrar)]
    [InlineData("registrar", "operator", false, true, null, RefusalReasons.StaffNotRegistrar)]
    [InlineData("registrar", "registrar", false, true, "010440000015", RefusalReasons.StaffNotRegistrar)] // an account of another organisation
    [InlineData("registrar", "registrar", false, false, null, RefusalReasons.StaffWrongBin)] // the kiosk serves no clinic
    public async Task Central_refuses_a_desk_request_with_its_own_reason(string keyCase, string? roles, bool disabled, bool linked, string? accountBin,
        string reason)
    {
        await using var central = await StartAsync(linked, roles, disabled, accountBin);
        central.Time.SetUtcNow(central.At(10, 1));
        var signed = FileAtDesk(central, RegistrarKey(keyCase));
        Assert.Equal("registered", (await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed))).Status);
        Assert.Equal(("refused", reason, "desk"), (Row(central, signed.RequestId).Status, Row(central, signed.RequestId).Reason, Row(central, signed.RequestId).Channel));
        var decision = Assert.Single((await central.DecisionsAsync()).Decisions);
        Assert.Equal(reason, decision.Reason);
        Assert.Equal(RefusalReasons.For(reason, "kk"), decision.Messages!.Kk);
    }

    [Fact]
    public async Task A_desk_request_signed_by_anyone_but_the_registrar_it_names_is_not_registered()
    {
        await using var central = await StartAsync();
        central.Time.SetUtcNow(central.At(10, 1));
        // The citizen's own key on a request that says the registrar filed it: the node would never sign it (RequestSigner
        // refuses), so it is made here by hand, as a forged envelope would be.
        var at = central.At(10, 0);
        var document = new RequestDocument(Guid.NewGuid(), Iin.Parse(central.Citizens[0].Iin!), "ТЕСТОВ ТЕСТ", at.AddSeconds(-30), IntakeCentral.KioskId, "ru",
            new HomeCallDetails("Астана, Бейбітшілік к-сі, 12-үй", "+77011234567", HomeCallReasons.Fever), new FiledByStaff(Iin.Parse(RegistrarKey().Iin!)));
        var bytes = document.ToUtf8Json();
        using var key = Kiosk.Core.Eds.Pkcs12KeyFile.Open(File.ReadAllBytes(ca.Ca.PathOf(central.Citizens[0])), ca.Ca.Password).Key!;
        var signature = Kiosk.Core.Eds.Cms.DetachedCmsSigner.Sign(bytes, key.Certificate, Kiosk.Core.Eds.Cms.DetachedCmsSigner.SigningTimeFor(at));
        var answer = await central.PushOneAsync(new Envelope(document.RequestId.ToString("D"), IntakeCentral.KioskId, Convert.ToBase64String(bytes),
            Convert.ToBase64String(signature), at.AddSeconds(1)));
        Assert.Equal("rejected", answer.Status);
        Assert.Equal("iin-mismatch", answer.Reason);
    }

    // ---- POST /api/sync/registry/person ----

    private static async Task<HttpResponseMessage> LookupAsync(IntakeCentral central, string iin)
    {
        var request = central.KioskRequest(HttpMethod.Post, "/api/sync/registry/person");
        request.Content = JsonContent.Create(new { iin });
        return await central.Http.SendAsync(request);
    }

    [Fact]
    public async Task The_desk_looks_a_citizen_up_live_and_hears_of_a_death_or_nobody()
    {
        await using var central = await StartAsync();
        var found = await LookupAsync(central, central.Citizens[0].Iin!);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var person = await found.Content.ReadFromJsonAsync<Kiosk.Central.Desk.RegistryPersonAnswer>(IntakeCentral.Json);
        Assert.Equal(new Kiosk.Central.Desk.RegistryPersonAnswer(false, "ТЕСТОВ", "ТЕСТ", null, "1950-01-01", "male", "Astana", "D1", 1), person);

        central.SetRegistry(central.Citizens[1], RegistryState.Deceased);
        var deceased = await (await LookupAsync(central, central.Citizens[1].Iin!)).Content.ReadFromJsonAsync<Kiosk.Central.Desk.RegistryPersonAnswer>(IntakeCentral.Json);
        Assert.Equal(new Kiosk.Central.Desk.RegistryPersonAnswer(true), deceased); // nothing else of a dead person

        central.SetRegistry(central.Citizens[2], RegistryState.Missing);
        Assert.Equal(HttpStatusCode.NotFound, (await LookupAsync(central, central.Citizens[2].Iin!)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await LookupAsync(central, "123")).StatusCode);
        Assert.Contains(central.Logs.Lines, l => l.Contains("looked up a person for its desk: deceased"));
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains(central.Citizens[0].Iin!));
    }

    [Fact]
    public async Task Only_a_kiosk_that_serves_a_clinic_may_look_people_up()
    {
        await using var central = await StartAsync(linkKiosk: false);
        Assert.Equal(HttpStatusCode.Forbidden, (await LookupAsync(central, central.Citizens[0].Iin!)).StatusCode);
        using var anonymous = await central.Http.PostAsJsonAsync("/api/sync/registry/person", new { iin = central.Citizens[0].Iin });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
