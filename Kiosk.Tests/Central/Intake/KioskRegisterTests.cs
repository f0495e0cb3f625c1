using System.Net;
using System.Net.Http.Json;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Central.Intake;

/// <summary>The kiosk register over real HTTP (issue 4 item 2): enrollment, provisioning, revocation, operator token.</summary>
[Collection(DemoCaCollection.Name)]
public sealed class KioskRegisterTests(DemoCaFixture ca)
{
    private sealed record CodeAnswer(string KioskId, string EnrollmentCode, DateTimeOffset ExpiresAt);
    private sealed record CredentialAnswer(string KioskId, string Credential);

    private static async Task<CodeAnswer> CreateAsync(IntakeCentral central, string kioskId)
    {
        using var response = await central.OperatorAsync(HttpMethod.Post, "/api/kiosks", new { kioskId, name = "Lobby, clinic 1" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CodeAnswer>(IntakeCentral.Json))!;
    }

    private static Task<HttpResponseMessage> EnrollAsync(IntakeCentral central, string kioskId, string code) =>
        central.Http.PostAsJsonAsync("/api/sync/enroll", new { kioskId, enrollmentCode = code }, IntakeCentral.Json);

    private static async Task<HttpStatusCode> PullStatusAsync(IntakeCentral central, string kioskId, string credential)
    {
        using var request = central.KioskRequest(HttpMethod.Get, "/api/sync/decisions", credential, kioskId);
        using var response = await central.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_kiosk_enrolls_once_with_its_code_and_its_credential_works()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var code = await CreateAsync(central, "kiosk-lobby-7");
        Assert.Equal(central.Time.GetUtcNow().AddHours(24), code.ExpiresAt);

        using var enrolled = await EnrollAsync(central, "kiosk-lobby-7", code.EnrollmentCode.ToLowerInvariant()); // typed in lower case
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        var credential = (await enrolled.Content.ReadFromJsonAsync<CredentialAnswer>(IntakeCentral.Json))!.Credential;
        using var again = await EnrollAsync(central, "kiosk-lobby-7", code.EnrollmentCode);

        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await PullStatusAsync(central, "kiosk-lobby-7", credential));
        Assert.Equal(43, credential.Length);
        using var duplicate = await central.OperatorAsync(HttpMethod.Post, "/api/kiosks", new { kioskId = "kiosk-lobby-7", name = "x" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains(credential) || l.Contains(code.EnrollmentCode));
    }

    [Fact]
    public async Task Racing_enrollments_with_one_code_give_one_credential()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var code = await CreateAsync(central, "kiosk-race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => EnrollAsync(central, "kiosk-race", code.EnrollmentCode))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        foreach (var r in responses) r.Dispose();
    }

    [Fact]
    public async Task An_expired_or_wrong_code_is_refused()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var code = await CreateAsync(central, "kiosk-late");
        using var wrong = await EnrollAsync(central, "kiosk-late", "0000-0000-0000-0000-0000");
        using var otherKiosk = await EnrollAsync(central, "kiosk-other", code.EnrollmentCode);
        central.Time.Advance(TimeSpan.FromHours(24));
        using var expired = await EnrollAsync(central, "kiosk-late", code.EnrollmentCode);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherKiosk.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);

        // An operator can give it a new code.
        using var renewed = await central.OperatorAsync(HttpMethod.Post, "/api/kiosks/kiosk-late/enrollment-code");
        var fresh = (await renewed.Content.ReadFromJsonAsync<CodeAnswer>(IntakeCentral.Json))!;
        using var enrolled = await EnrollAsync(central, "kiosk-late", fresh.EnrollmentCode);
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
    }

    [Fact]
    public async Task A_provisioned_kiosk_works_and_an_unknown_credential_or_no_credential_is_refused()
    {
        await using var central = await IntakeCentral.StartAsync(ca);

        Assert.Equal(HttpStatusCode.OK, await PullStatusAsync(central, IntakeCentral.KioskId, IntakeCentral.Credential));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullStatusAsync(central, IntakeCentral.KioskId, "cred_" + new string('B', 38)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullStatusAsync(central, "kiosk-nobody", IntakeCentral.Credential));
        using var anonymous = await central.Http.GetAsync("/api/sync/decisions");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
        using var push = await central.PushRawAsync([], credential: "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains(IntakeCentral.Credential));
    }

    [Fact]
    public async Task A_revoked_kiosk_is_refused()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var envelope = IntakeCentral.EnvelopeOf(central.Sign(citizen, central.At(9, 0)));
        central.Time.SetUtcNow(central.At(9, 1));

        using var revoked = await central.OperatorAsync(HttpMethod.Post, $"/api/kiosks/{IntakeCentral.KioskId}/revoke");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var push = await central.PushRawAsync([envelope]);
        Assert.Equal(HttpStatusCode.Forbidden, push.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, await PullStatusAsync(central, IntakeCentral.KioskId, IntakeCentral.Credential));
        using var unknown = await central.OperatorAsync(HttpMethod.Post, "/api/kiosks/kiosk-nobody/revoke");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var noCode = await central.OperatorAsync(HttpMethod.Post, $"/api/kiosks/{IntakeCentral.KioskId}/enrollment-code");
        Assert.Equal(HttpStatusCode.Conflict, noCode.StatusCode);
    }

    [Fact]
    public async Task Operator_endpoints_need_the_token_and_are_off_without_one()
    {
        await using (var central = await IntakeCentral.StartAsync(ca))
        {
            using var wrong = await central.OperatorAsync(HttpMethod.Post, "/api/kiosks", new { kioskId = "k1", name = "n" }, token: "nope");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        await using (var central = await IntakeCentral.StartAsync(ca, operators: false))
        {
            using var off = await central.OperatorAsync(HttpMethod.Post, "/api/kiosks", new { kioskId = "k1", name = "n" });
            Assert.Equal(HttpStatusCode.Forbidden, off.StatusCode);
            Assert.Contains(central.Logs.Lines, l => l.Contains("Operators:Token is not set"));
        }
    }
}
