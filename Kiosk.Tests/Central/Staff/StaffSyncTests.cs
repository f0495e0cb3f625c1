using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kiosk.Central.Staff;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using static Kiosk.Tests.Central.Staff.CentralStaffKit;

namespace Kiosk.Tests.Central.Staff;

/// <summary><c>GET /api/sync/staff</c> (issue 12 item 1): which accounts a kiosk node gets, with hashes, and the ETag.</summary>
[Collection(DemoCaCollection.Name)]
public sealed class StaffSyncTests(DemoCaFixture ca)
{
    private static async Task<(HttpResponseMessage Response, KioskStaffAnswer? Answer)> PullAsync(IntakeCentral central, string? etag = null)
    {
        using var request = central.KioskRequest(HttpMethod.Get, "/api/sync/staff");
        if (etag is not null) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        var response = await central.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotModified, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var answer = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<KioskStaffAnswer>(IntakeCentral.Json) : null;
        return (response, answer);
    }

    [Fact]
    public async Task A_kiosk_gets_its_clinics_staff_and_the_providers_operators_and_nobody_else()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        Add(central, OperatorIin, "operator", ProviderBin);
        Add(central, RegistrarIin, "registrar", ClinicBin);
        Add(central, BothIin, "registrar,operator", ClinicBin);
        Add(central, OtherClinicRegistrarIin, "registrar", OtherClinicBin);
        Add(central, "921211300903", "registrar", ProviderBin); // a provider's registrar: not a desk of any clinic

        var (unlinked, beforeLink) = await PullAsync(central);
        Assert.Equal(HttpStatusCode.OK, unlinked.StatusCode);
        Assert.Null(beforeLink!.Clinic);
        Assert.Equal([OperatorIin], beforeLink.Accounts.Select(a => a.Iin));

        LinkKioskToClinic(central);
        var (response, answer) = await PullAsync(central);
        Assert.Equal(new KioskClinic(1, ClinicBin), answer!.Clinic);
        Assert.Equal(ProviderBin, answer.ProviderBin);
        Assert.Equal(new[] { OperatorIin, RegistrarIin, BothIin }.Order(), answer.Accounts.Select(a => a.Iin));
        var both = answer.Accounts.Single(a => a.Iin == BothIin);
        Assert.Equal(["operator", "registrar"], both.Roles);
        Assert.True(StaffPasswords.Verify(both.PasswordHash, Password));
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains(RegistrarIin));

        // Unchanged: 304. Disabled: listed without its hash, and the ETag moves.
        var etag = response.Headers.ETag!.ToString();
        Assert.Equal(HttpStatusCode.NotModified, (await PullAsync(central, etag)).Response.StatusCode);
        Register(central).SetDisabled(Iin.Parse(RegistrarIin), true);
        var (changed, after) = await PullAsync(central, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var disabled = after!.Accounts.Single(a => a.Iin == RegistrarIin);
        Assert.True(disabled.Disabled);
        Assert.Null(disabled.PasswordHash);
    }

    [Fact]
    public async Task Only_a_kiosk_may_pull_the_staff_list()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        using var anonymous = await central.Http.GetAsync("/api/sync/staff");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sync/staff");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IntakeCentral.OperatorToken);
        using var withOperatorToken = await central.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, withOperatorToken.StatusCode);
    }

    [Fact]
    public async Task Kiosks_Clinics_in_configuration_links_a_provisioned_kiosk_to_its_clinic()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, [.. Options, $"--Kiosks:Clinics:{IntakeCentral.KioskId}=2"]);
        // The tiny registry is seeded after start: provisioning saw no clinic 2 and said so; a restart links it.
        Assert.Contains(central.Logs.Lines, l => l.Contains($"Kiosks:Clinics:{IntakeCentral.KioskId} skipped"));
        await central.RestartAsync();
        var (_, answer) = await PullAsync(central);

        Assert.Equal(2, answer!.Clinic!.Id);
    }
}
