using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Kiosk.Central.Slips;
using Kiosk.Core.Slips;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosk.Tests.Central.Slips;

/// <summary>Central's slip keys, JWKS, device keys, rotation and the public check, over real HTTP (issue 6 items 1 and 4).</summary>
[Collection(DemoCaCollection.Name)]
public sealed class SlipEndpointsTests(DemoCaFixture ca)
{
    private sealed record Current(string Status, string RegistrationNumber, DateTimeOffset? DecidedAt, string? Reason, bool Newer);
    private sealed record Answer(bool Valid, string? Kind, SlipClaims? Claims, List<string> Problems, string? Kid, Current? Current, JsonElement? Details);

    private static SlipClaims Receipt(string requestId, string kioskId = IntakeCentral.KioskId) => new()
    {
        Issuer = SlipIssuers.Kiosk(kioskId), IssuedAt = 1_795_000_000, Kind = SlipKinds.Receipt, RequestId = requestId,
        Service = "home-call", Decision = "queued", MaskedIin = "******123456", Initials = "Т. Т.", Deadline = "2026-11-26",
    };

    private static SlipClaims Result(string requestId) => Receipt(requestId) with
    {
        Issuer = SlipIssuers.Provider, Kind = SlipKinds.Result, Decision = "accepted", RegistrationNumber = "HC-1", ClinicId = IntakeCentral.OpenClinic,
    };

    private static async Task<SlipJwkSet> JwksAsync(IntakeCentral central)
    {
        using var response = await central.Http.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType!.MediaType);
        return SlipJwkSet.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<Answer> VerifyAsync(IntakeCentral central, string token)
    {
        using var response = await central.Http.PostAsJsonAsync("/api/slips/verify", new { token });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<Answer>(body, IntakeCentral.Json)!;
    }

    private static async Task<HttpResponseMessage> PutDeviceKeyAsync(IntakeCentral central, SlipJwk jwk, string? credential = null)
    {
        var request = central.KioskRequest(HttpMethod.Put, "/api/sync/device-key", credential);
        request.Content = JsonContent.Create(new { jwk }, options: IntakeCentral.Json);
        return await central.Http.SendAsync(request);
    }

    [Fact]
    public async Task The_JWKS_publishes_the_provider_key_whose_kid_is_its_thumbprint_and_whose_private_half_is_an_owner_only_file()
    {
        await using var central = await IntakeCentral.StartAsync(ca);

        var jwks = await JwksAsync(central);

        var key = Assert.Single(jwks.Keys);
        Assert.Equal(("EC", "P-256", "ES256", "sig", SlipIssuers.Provider), (key.Kty, key.Crv, key.Alg, key.Use, key.Issuer));
        Assert.Equal(SlipJwk.Thumbprint(key.X, key.Y), key.Kid);
        Assert.NotNull(key.ToPublicKey());
        var keyring = central.App.Services.GetRequiredService<SlipKeyring>();
        var file = Path.Combine(keyring.KeyDirectory, key.Kid + ".pem");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.DoesNotContain(File.ReadAllText(file), JsonSerializer.Serialize(jwks)); // the private half is not published
        Assert.Equal(key.Kid, keyring.ProviderSigner().Jwk.Kid); // the same key keeps signing
    }

    [Fact]
    public async Task A_provider_token_verifies_a_changed_claim_and_an_unknown_key_do_not_and_the_QR_text_is_accepted_whole()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var signer = central.App.Services.GetRequiredService<SlipKeyring>().ProviderSigner();
        var token = signer.Sign(Result(Guid.NewGuid().ToString("D")));

        var genuine = await VerifyAsync(central, "http://127.0.0.1:5080/verify#" + token);
        Assert.True(genuine.Valid, string.Join(",", genuine.Problems));
        Assert.Equal(SlipKinds.Result, genuine.Kind);
        Assert.Equal("HC-1", genuine.Claims!.RegistrationNumber);
        Assert.Null(genuine.Current); // Central never received this request
        Assert.Equal("C", genuine.Details!.Value.GetProperty("clinic").GetProperty("en").GetString());

        var parts = token.Split('.');
        var forged = SlipTestTokens.ReplaceClaims(token, json => json.Replace("\"accepted\"", "\"refused\""));
        Assert.Equal(["bad-signature"], (await VerifyAsync(central, forged)).Problems);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(["unknown-key"], (await VerifyAsync(central, new SlipSigner(stranger).Sign(Result("x")))).Problems);
        Assert.Equal(["malformed"], (await VerifyAsync(central, parts[0] + "." + parts[1])).Problems);
        Assert.Equal(["too-large"], (await VerifyAsync(central, new string('A', 3000))).Problems);
        Assert.DoesNotContain(central.Logs.Lines, m => m.Contains(parts[1], StringComparison.Ordinal)); // no token in the log

        using var huge = await central.Http.PostAsJsonAsync("/api/slips/verify", new { token = new string('A', 10_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task A_kiosk_records_its_device_key_its_receipts_verify_and_once_the_kiosk_is_revoked_they_are_refused_as_revoked()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kiosk = new SlipSigner(deviceKey, SlipIssuers.Kiosk(IntakeCentral.KioskId));

        using (var first = await PutDeviceKeyAsync(central, kiosk.Jwk with { Issuer = null }))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var again = await PutDeviceKeyAsync(central, kiosk.Jwk))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode); // idempotent
        using (var wrongCredential = await PutDeviceKeyAsync(central, kiosk.Jwk, "cred_" + new string('Z', 38)))
            Assert.Equal(HttpStatusCode.Unauthorized, wrongCredential.StatusCode);
        using (var lying = await PutDeviceKeyAsync(central, kiosk.Jwk with { Kid = "not-the-thumbprint" }))
            Assert.Equal(HttpStatusCode.BadRequest, lying.StatusCode);

        var published = (await JwksAsync(central)).Keys.Single(k => k.Kid == kiosk.Jwk.Kid);
        Assert.Equal(SlipIssuers.Kiosk(IntakeCentral.KioskId), published.Issuer);
        var receipt = kiosk.Sign(Receipt(Guid.NewGuid().ToString("D")));
        Assert.True((await VerifyAsync(central, receipt)).Valid);
        // The kiosk's key may sign receipts only.
        var posingAsProvider = new SlipSigner(deviceKey).Sign(Result("x") with { Issuer = SlipIssuers.Kiosk(IntakeCentral.KioskId) });
        Assert.Equal(["wrong-issuer"], (await VerifyAsync(central, posingAsProvider)).Problems);

        using (var revoke = await central.OperatorAsync(HttpMethod.Post, $"/api/kiosks/{IntakeCentral.KioskId}/revoke"))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var after = await JwksAsync(central);
        Assert.DoesNotContain(after.Keys, k => k.Kid == kiosk.Jwk.Kid);
        Assert.Contains(kiosk.Jwk.Kid, after.Revoked);
        Assert.Equal(["revoked-key"], (await VerifyAsync(central, receipt)).Problems);
    }

    [Fact]
    public async Task A_slip_older_than_Centrals_decision_is_flagged_as_out_of_date()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        central.Time.SetUtcNow(central.At(10, 0));
        var signed = central.Sign(citizen, central.At(9, 59));
        var pushed = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed));
        Assert.Equal("registered", pushed.Status);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kiosk = new SlipSigner(deviceKey, SlipIssuers.Kiosk(IntakeCentral.KioskId));
        using (var put = await PutDeviceKeyAsync(central, kiosk.Jwk)) Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var answer = await VerifyAsync(central, kiosk.Sign(Receipt(signed.RequestId.ToString("D"))));

        Assert.True(answer.Valid);
        Assert.Equal("accepted", answer.Current!.Status);
        Assert.Equal(pushed.RegistrationNumber, answer.Current.RegistrationNumber);
        Assert.True(answer.Current.Newer); // the receipt says "awaiting the decision"; Central has decided
    }

    [Fact]
    public async Task A_rotated_key_signs_from_its_moment_and_the_old_one_stays_published_for_its_relevance_then_goes()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, "--Slips:KeyRelevance=30.00:00:00");
        var keyring = central.App.Services.GetRequiredService<SlipKeyring>();
        var old = keyring.ProviderSigner();
        var oldToken = old.Sign(Result(Guid.NewGuid().ToString("D")));
        var signsFrom = central.Time.GetUtcNow().AddHours(1);

        using var rotate = await central.OperatorAsync(HttpMethod.Post, "/api/slips/keys/rotate", new { signsFrom });
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var fresh = (await rotate.Content.ReadFromJsonAsync<SlipJwk>(IntakeCentral.Json))!;
        using (var anonymous = await central.OperatorAsync(HttpMethod.Post, "/api/slips/keys/rotate", new { signsFrom }, token: null))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // Published at once, so checkers have it before it signs; the old key signs until then.
        Assert.Equal(new[] { old.Jwk.Kid, fresh.Kid }.Order(), (await JwksAsync(central)).Keys.Select(k => k.Kid).Order());
        Assert.Equal(old.Jwk.Kid, keyring.ProviderSigner().Jwk.Kid);
        central.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(fresh.Kid, keyring.ProviderSigner().Jwk.Kid);
        Assert.True((await VerifyAsync(central, oldToken)).Valid);

        central.Time.Advance(TimeSpan.FromDays(31));
        Assert.Equal([fresh.Kid], (await JwksAsync(central)).Keys.Select(k => k.Kid).ToArray());
        Assert.Equal(["unknown-key"], (await VerifyAsync(central, oldToken)).Problems);
    }

    [Fact]
    public async Task The_verification_page_is_served_with_a_strict_content_security_policy()
    {
        await using var central = await IntakeCentral.StartAsync(ca);

        using var page = await central.Http.GetAsync("/verify");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("/verify/verify.js", html);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        using var script = await central.Http.GetAsync("/verify/verify.js");
        Assert.Contains("/api/slips/verify", await script.Content.ReadAsStringAsync());
    }
}
