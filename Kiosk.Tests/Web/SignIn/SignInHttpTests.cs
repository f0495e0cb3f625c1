using System.Net;
using System.Text.RegularExpressions;
using Kiosk.Core.Eds;
using Kiosk.Web.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosk.Tests.Web.SignIn;

/// <summary>A kiosk (the real app on Kestrel) whose trust folder is the sign-in tests' demo CA.</summary>
public sealed class SignInAppFixture : IAsyncLifetime
{
    public KioskAppHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await KioskAppHost.StartAsync($"--Pki:TrustDirectory={SignInDemoCa.TrustDirectory}");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Sign-in over real HTTP with the demo CA's files: every outcome, the nonce, throttling, sign-out.</summary>
public partial class SignInHttpTests(SignInAppFixture fixture) : IClassFixture<SignInAppFixture>
{
    private KioskClient NewClient() => fixture.Host.NewClient();

    [Fact]
    public async Task The_good_auth_file_signs_in_and_the_service_page_greets_by_name_with_the_masked_iin_only()
    {
        var entry = SignInDemoCa.One("valid");
        using var client = NewClient();
        await ChooseAsync(client, "appointment");
        var anonymousSession = client.Cookie(".kiosk.session");

        var (response, _) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/services/appointment", response.Headers.Location?.OriginalString);
        var setCookies = string.Join("\n", response.Headers.GetValues("Set-Cookie"));
        Assert.Contains(".kiosk.session=;", setCookies); // the anonymous session's cookie is dropped: no fixation
        Assert.NotNull(client.Cookie(".kiosk.citizen"));
        Assert.Contains("httponly", setCookies, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookies, StringComparison.OrdinalIgnoreCase);

        var (page, html) = await client.GetAsync("/services/appointment");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore, "a page with personal data must be no-store");
        var iin = entry.Iin!;
        Assert.Contains($"id=\"citizen-iin\" class=\"citizen__iin\">******{iin[6..]}<", html);
        var surname = entry.Holder.Split(' ')[0];
        Assert.Contains(surname[0] + surname[1..].ToLowerInvariant(), html);
        Assert.Contains("data-service=\"appointment\"", html);
        Assert.Contains("Запись на прием к врачу", html);
        Assert.Contains("id=\"sign-out\"", html);
        Assert.Contains("data-idle-armed=\"true\"", html);

        // The full IIN is nowhere: not in the pages, not in a cookie, not in an address.
        Assert.DoesNotContain(iin, html);
        Assert.DoesNotContain(iin, setCookies);
        Assert.DoesNotContain(iin, response.Headers.Location!.OriginalString);
        Assert.DoesNotContain(iin, string.Join("\n", page.Headers.Select(h => string.Join(",", h.Value))));
        Assert.DoesNotContain(SignInDemoCa.Password, html);

        // The old anonymous session cookie gives nothing back.
        using var replay = NewClient();
        replay.Cookies.Add(replay.BaseAddress, new Cookie(".kiosk.session", anonymousSession));
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/sign-in")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/services/appointment")).Response.StatusCode);
    }

    [Fact]
    public async Task The_ecdsa_p256_citizen_signs_in()
    {
        var entry = SignInDemoCa.One("ecdsa-p256");
        using var client = NewClient();
        await ChooseAsync(client, "home-call");
        var (response, html) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, ProblemsIn(html));
        Assert.Equal("/services/home-call", response.Headers.Location?.OriginalString);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "valid", "SIGN" },            // the signing file used to sign in: wrong-key-usage
        { "expired", "AUTH" },
        { "not-yet-valid", "AUTH" },
        { "revoked", "AUTH" },
        { "lookalike-ca", "AUTH" },     // untrusted
        { "bad-iin-check-digit", "AUTH" },
        { "no-iin", "AUTH" },
        { "rsa-1024", "AUTH" },         // unsupported-algorithm
        { "revoked-sub-ca", "AUTH" },   // revoked, crl-missing
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Each_hostile_file_is_refused_with_its_codes_and_their_russian_messages(string @case, string keyType)
    {
        var entry = SignInDemoCa.One(@case, keyType);
        using var client = NewClient();
        await ChooseAsync(client, "home-call");

        var (response, html) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(entry.ExpectedAtSignIn.Order(), Problems(html).Order());
        foreach (var code in entry.ExpectedAtSignIn)
            Assert.Contains(EdsMessages.For(code, "ru"), Decode(html));
        Assert.Null(client.Cookie(".kiosk.citizen"));
        Assert.Contains("aria-invalid=\"true\"", html);
        if (entry.Iin is { } iin) Assert.DoesNotContain(iin, html);
    }

    [Fact]
    public async Task Key_file_errors_each_get_their_code()
    {
        var good = SignInDemoCa.One("valid", index: 1);
        var cases = new (byte[] Bytes, string Password, string Code)[]
        {
            (SignInDemoCa.Bytes(good), "wrong-password1", "wrong-password"),
            ("Это не ключ, а просто текст.\n"u8.ToArray(), SignInDemoCa.Password, "not-pkcs12"),
            (new byte[65 * 1024], SignInDemoCa.Password, "file-too-large"),
            (SignInDemoCa.CertificateOnlyFile(), SignInDemoCa.Password, "no-private-key"),
        };
        foreach (var (bytes, password, code) in cases)
        {
            using var client = NewClient();
            await ChooseAsync(client, "home-call");
            var (_, html) = await SignInAsync(client, bytes, "AUTH_RSA256_x.p12", password);
            Assert.Equal([code], Problems(html));
            Assert.Contains(EdsMessages.For(code, "ru"), Decode(html));
            Assert.DoesNotContain(password, html);
        }
    }

    [Fact]
    public async Task A_nonce_serves_one_post_only_so_a_replayed_form_is_refused()
    {
        var entry = SignInDemoCa.One("valid", index: 1);
        using var client = NewClient();
        await ChooseAsync(client, "home-call");
        var first = client.Nonce!;

        var (_, wrong) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File, "wrong-password2");
        Assert.Equal(["wrong-password"], Problems(wrong));
        Assert.NotEqual(first, client.Nonce); // the page came back with a new one

        // The first form again, now with the right password: its nonce is spent.
        var (replayed, html) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File, nonce: first);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal([SignInProblems.FormExpired], Problems(html));
        Assert.Null(client.Cookie(".kiosk.citizen"));

        // No nonce at all is no better.
        var (_, none) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File, nonce: "");
        Assert.Equal([SignInProblems.FormExpired], Problems(none));

        // The latest nonce works once.
        var (ok, _) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
    }

    [Fact]
    public async Task Five_failures_refuse_further_attempts_in_that_session_and_for_that_key_file()
    {
        var entry = SignInDemoCa.One("valid", index: 3);
        using var client = NewClient();
        await ChooseAsync(client, "attachment");
        for (var i = 0; i < 5; i++)
        {
            var (_, html) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File, "guess-" + i);
            Assert.Equal(["wrong-password"], Problems(html));
        }

        var (_, refused) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File);
        Assert.Equal([SignInProblems.TooManyAttempts], Problems(refused));
        Assert.Contains("Подождите 10 мин.", refused);

        // Even the right password from a fresh session: the key file itself is held back node-wide.
        using var fresh = NewClient();
        await ChooseAsync(fresh, "attachment");
        var (_, again) = await SignInAsync(fresh, SignInDemoCa.Bytes(entry), entry.File);
        Assert.Equal([SignInProblems.TooManyAttempts], Problems(again));
        Assert.Null(fresh.Cookie(".kiosk.citizen"));
    }

    [Fact]
    public async Task Sign_out_ends_the_session_on_the_server_and_deletes_its_cookie()
    {
        var entry = SignInDemoCa.One("valid", index: 2);
        using var client = NewClient();
        await ChooseAsync(client, "home-call");
        await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File);
        var token = client.Cookie(".kiosk.citizen");
        Assert.NotNull(token);
        await client.GetAsync("/services/home-call"); // its antiforgery token, for the sign-out form

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/sign-out", [], withToken: false)).Response.StatusCode);
        var (response, _) = await client.PostAsync("/sign-out", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".kiosk.citizen=;", StringComparison.Ordinal));
        Assert.Null(client.Cookie(".kiosk.citizen"));
        Assert.Equal("/", (await client.GetAsync("/services/home-call")).Response.Headers.Location?.OriginalString);

        using var replay = NewClient();
        replay.Cookies.Add(replay.BaseAddress, new Cookie(".kiosk.citizen", token));
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/services/home-call")).Response.StatusCode);
    }

    [Fact]
    public async Task The_inactivity_reset_ends_a_signed_in_session_too()
    {
        var entry = SignInDemoCa.One("valid", index: 2);
        using var client = NewClient();
        await ChooseAsync(client, "home-call");
        await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File);
        var token = client.Cookie(".kiosk.citizen");
        var before = fixture.Host.Services.GetRequiredService<CitizenSessions>().Find(token);
        Assert.NotNull(before);

        var (response, _) = await client.GetAsync("/reset");

        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".kiosk.citizen=;", StringComparison.Ordinal));
        Assert.Null(fixture.Host.Services.GetRequiredService<CitizenSessions>().Find(token));
        using var replay = NewClient();
        replay.Cookies.Add(replay.BaseAddress, new Cookie(".kiosk.citizen", token));
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/services/home-call")).Response.StatusCode);
    }

    [Fact]
    public async Task Service_pages_need_a_signed_in_citizen_and_a_known_service()
    {
        using var client = NewClient();
        var (anonymous, _) = await client.GetAsync("/services/home-call");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/", anonymous.Headers.Location?.OriginalString);

        var entry = SignInDemoCa.One("valid", index: 2);
        await ChooseAsync(client, "home-call");
        await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/services/x-ray")).Response.StatusCode);

        // Signed in, the start screen's choice goes straight to the service, and sign-in sends there too.
        await client.GetAsync("/");
        var (chosen, _) = await client.PostAsync("/?handler=Choose", [new("service", "attachment")]);
        Assert.Equal("/services/attachment", chosen.Headers.Location?.OriginalString);
        Assert.Equal("/services/attachment", (await client.GetAsync("/sign-in")).Response.Headers.Location?.OriginalString);
        var (_, start) = await client.GetAsync("/");
        Assert.Contains("id=\"sign-out\"", start);
        Assert.Contains("data-idle-armed=\"true\"", start);
    }

    [Fact]
    public async Task The_ready_check_is_healthy_with_a_trust_list()
    {
        using var client = NewClient();
        var (response, body) = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body);
    }

    internal static async Task ChooseAsync(KioskClient client, string code)
    {
        await client.GetAsync("/");
        var (chosen, _) = await client.PostAsync("/?handler=Choose", [new("service", code)]);
        Assert.Equal("/sign-in", chosen.Headers.Location?.OriginalString);
        var (page, _) = await client.GetAsync("/sign-in");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotNull(client.Nonce);
    }

    internal static Task<(HttpResponseMessage Response, string Html)> SignInAsync(KioskClient client, byte[] file, string fileName,
        string password = SignInDemoCa.Password, string? nonce = null) =>
        client.PostAsync("/sign-in", [new("Password", password), new("Nonce", nonce ?? client.Nonce!)], file: ("KeyFile", fileName, file));

    /// <summary>The data-problem codes of the error summary.</summary>
    internal static List<string> Problems(string html) =>
        ProblemItem().Matches(html).Select(m => m.Groups[1].Value).ToList();

    private static string ProblemsIn(string html) => string.Join(",", Problems(html));

    private static string Decode(string html) => WebUtility.HtmlDecode(html);

    [GeneratedRegex("<li data-problem=\"([a-z0-9-]+)\">")]
    private static partial Regex ProblemItem();
}
