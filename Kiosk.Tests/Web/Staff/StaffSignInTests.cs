using System.Net;
using Kiosk.Core.Identity;
using Kiosk.Node.Staff;
using Kiosk.Web.Staff;

namespace Kiosk.Tests.Web.Staff;

/// <summary>
/// The staff sign-in at the kiosk node (issue 12 item 1): IIN and password of an account Central sent the node, a
/// lockout after 5 wrong passwords for 15 minutes kept in the node's file (a restart forgives nothing), the idle
/// sign-out after 10 minutes, roles that open their own pages, a disabled account losing its session, strict cookies,
/// and a monitoring token that reads but cannot open the staff page.
/// </summary>
public sealed class StaffSignInTests
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes_even_across_a_restart()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using (var client = kiosk.NewClient())
        {
            var (wrong, html) = await StaffKiosk.PostSignInAsync(client, NodeStaff.RegistrarIin, "guess-aa1");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("data-problem=\"wrong\"", html);
            Assert.Contains("Неверный ИИН или пароль.", html); // Russian, the default language
            Assert.Null(client.Cookie(StaffAuthentication.CookieName));
            for (var i = 2; i <= 4; i++)
                Assert.Equal(HttpStatusCode.Unauthorized, (await StaffKiosk.PostSignInAsync(client, NodeStaff.RegistrarIin, "guess-aa" + i)).Response.StatusCode);
            var (fifth, locked) = await StaffKiosk.PostSignInAsync(client, NodeStaff.RegistrarIin, "guess-aa5");
            Assert.Equal(HttpStatusCode.Locked, fifth.StatusCode);
            Assert.Contains("data-problem=\"locked\"", locked);
            Assert.Contains("ещё на 15 мин", locked);
            // Other accounts are not locked by it.
            await kiosk.SignInAsync(client);
        }
        Assert.Contains(kiosk.Logs.Lines, l => l.StartsWith("Warning") && l.Contains("the account is locked (just locked now: True"));
        Assert.DoesNotContain(kiosk.Logs.Lines, l => l.Contains("guess-aa") || l.Contains(NodeStaff.RegistrarIin) || l.Contains("Серикова"));

        await kiosk.RestartAsync();
        kiosk.Time.Advance(TimeSpan.FromMinutes(10));
        using (var client = kiosk.NewClient())
        {
            var (still, html) = await StaffKiosk.PostSignInAsync(client, NodeStaff.RegistrarIin);
            Assert.Equal(HttpStatusCode.Locked, still.StatusCode);
            Assert.Contains("ещё на 5 мин", html);
            kiosk.Time.Advance(TimeSpan.FromMinutes(5));
            await kiosk.SignInAsync(client, iin: NodeStaff.RegistrarIin, landing: "/desk");
        }
        Assert.Equal(Kiosk.Core.Staff.StaffLockout.None, new StaffStore(kiosk.Database).Lockout(Iin.Parse(NodeStaff.RegistrarIin)));
    }

    [Fact]
    public async Task A_staff_session_has_a_strict_cookie_ends_after_ten_idle_minutes_and_with_sign_out()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var client = kiosk.NewClient();

        var (anonymous, _) = await client.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/staff/sign-in?ReturnUrl=%2Fstaff", anonymous.Headers.Location!.PathAndQuery);

        var (signedIn, _) = await StaffKiosk.PostSignInAsync(client, StaffKiosk.Operator);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var setCookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(StaffAuthentication.CookieName + "=")).ToLowerInvariant();
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=strict", setCookie);
        Assert.DoesNotContain("expires", setCookie); // a browser-session cookie; its ticket ends 10 idle minutes later
        Assert.DoesNotContain(StaffKiosk.Operator, setCookie);

        var (page, html) = await client.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"staff-who\">Дежурный Оператор<", html);
        Assert.DoesNotContain("idle.js\"", html.Replace("staff-idle.js\"", "")); // not the citizens' reset…
        Assert.Contains("data-staff-idle-seconds=\"600\"", html); // …but the staff pages' own idle sign-out

        // Used every 9 minutes: still in after 36; then 10 idle minutes end it.
        for (var i = 0; i < 4; i++)
        {
            kiosk.Time.Advance(TimeSpan.FromMinutes(9));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).Response.StatusCode);
        }
        kiosk.Time.Advance(TimeSpan.FromMinutes(10).Add(TimeSpan.FromSeconds(1)));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).Response.StatusCode);

        await kiosk.SignInAsync(client);
        await client.GetAsync("/staff");
        var (signOut, _) = await client.PostAsync("/staff/sign-out", [new("idle", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/staff/sign-in?idle=true", signOut.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).Response.StatusCode);
        Assert.Contains(kiosk.Logs.Lines, l => l.Contains("Staff signed out at the node (idle)"));
        var (notice, noticeHtml) = await client.GetAsync("/staff/sign-in?idle=true");
        Assert.Contains("id=\"staff-idle-ended\"", noticeHtml);
        Assert.Contains("10 минут без действий", noticeHtml);
    }

    [Fact]
    public async Task Each_role_opens_its_own_pages()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using (var registrar = kiosk.NewClient())
        {
            await kiosk.SignInAsync(registrar, iin: NodeStaff.RegistrarIin, landing: "/desk");
            Assert.Equal(HttpStatusCode.OK, (await registrar.GetAsync("/desk")).Response.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await registrar.GetAsync("/staff/slips")).Response.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await registrar.GetAsync("/staff")).Response.StatusCode); // not an operator
            var (status, _) = await registrar.GetAsync("/api/sync/status");
            Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
            var (desk, html) = await registrar.GetAsync("/desk");
            Assert.Contains("id=\"nav-desk\"", html);
            Assert.DoesNotContain("id=\"nav-status\"", html);
        }
        using (var op = kiosk.NewClient())
        {
            await kiosk.SignInAsync(op);
            Assert.Equal(HttpStatusCode.Redirect, (await op.GetAsync("/desk")).Response.StatusCode); // not a registrar
            Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/api/sync/status")).Response.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/metrics")).Response.StatusCode);
        }
        using (var both = kiosk.NewClient())
        {
            // Sent to the desk from a desk link: the role allows it, so the sign-in goes back there.
            await both.GetAsync("/staff/sign-in?ReturnUrl=%2Fdesk");
            var (signedIn, _) = await both.PostAsync("/staff/sign-in", [new("Iin", NodeStaff.BothIin), new("Password", NodeStaff.Password), new("ReturnUrl", "/desk")]);
            Assert.Equal("/desk", signedIn.Headers.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await both.GetAsync("/staff")).Response.StatusCode);
        }
    }

    [Fact]
    public async Task Central_disabling_an_account_or_taking_a_role_ends_its_session_at_the_next_request()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var client = kiosk.NewClient();
        await kiosk.SignInAsync(client, iin: NodeStaff.BothIin);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/desk")).Response.StatusCode);

        // The next staff list says: registrar only. The session held both roles: it ends.
        NodeStaff.Seed(kiosk.Database, [.. NodeStaff.Everyone().Where(a => a.Iin.Value != NodeStaff.BothIin),
            NodeStaff.Account(NodeStaff.BothIin, "registrar", NodeStaff.ClinicBin)]);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/desk")).Response.StatusCode);
        await kiosk.SignInAsync(client, iin: NodeStaff.BothIin, landing: "/desk");

        NodeStaff.Seed(kiosk.Database, [.. NodeStaff.Everyone().Where(a => a.Iin.Value != NodeStaff.BothIin),
            NodeStaff.Account(NodeStaff.BothIin, "registrar", NodeStaff.ClinicBin, disabled: true)]);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/desk")).Response.StatusCode);
        var (refused, html) = await StaffKiosk.PostSignInAsync(client, NodeStaff.BothIin);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode); // no hash reaches the node for a disabled account
        Assert.Contains("data-problem=\"wrong\"", html);
    }

    [Fact]
    public async Task Before_the_first_staff_list_nobody_signs_in_and_the_screen_says_why()
    {
        await using var kiosk = await StaffKiosk.StartAsync(seedStaff: false, "--Operators:Accounts:old-operator=AQAAAAIAAYagAAAAEO");
        using var client = kiosk.NewClient();
        var (response, html) = await StaffKiosk.PostSignInAsync(client, StaffKiosk.Operator);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("data-problem=\"no-accounts\"", html);
        // The old configured operators are not read any more, and the log says where they went.
        Assert.Contains(kiosk.Logs.Lines, l => l.StartsWith("Warning") && l.Contains("Operators:Accounts is no longer read"));
    }

    [Theory]
    [InlineData("", "x", "missing")]
    [InlineData("12345", "x", "bad-iin")]
    [InlineData("850315300129", NodeStaff.Password, "bad-iin")] // the check digit is off by one
    public async Task Bad_input_gets_its_own_message(string iin, string password, string problem)
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var client = kiosk.NewClient();
        var (_, html) = await StaffKiosk.PostSignInAsync(client, iin, password);
        Assert.Contains($"data-problem=\"{problem}\"", html);
        Assert.Null(client.Cookie(StaffAuthentication.CookieName));
    }

    [Fact]
    public async Task Failures_from_one_address_across_many_IINs_are_throttled()
    {
        await using var kiosk = await StaffKiosk.StartAsync("--Staff:AddressMaxFailures=3", "--Staff:AddressCooldownMinutes=7");
        using var client = kiosk.NewClient();
        foreach (var iin in new[] { "921211300903", "880205400786", NodeStaff.RegistrarIin })
            await StaffKiosk.PostSignInAsync(client, iin, "guess");
        var (blocked, html) = await StaffKiosk.PostSignInAsync(client, StaffKiosk.Operator);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("Повторите через 7 мин.", html);
        kiosk.Time.Advance(TimeSpan.FromMinutes(7));
        await kiosk.SignInAsync(client);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var client = kiosk.NewClient();
        await client.GetAsync("/staff/sign-in");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/staff/sign-in",
            [new("Iin", StaffKiosk.Operator), new("Password", StaffKiosk.Password)], withToken: false)).Response.StatusCode);
        await kiosk.SignInAsync(client);
        var (retry, _) = await client.PostAsync("/staff?handler=Retry", [new("requestId", Guid.NewGuid().ToString())], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, retry.StatusCode);
    }

    [Fact]
    public async Task The_monitoring_token_reads_the_status_but_does_not_open_the_staff_page()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/staff");
        request.Headers.Authorization = new("Bearer", StaffKiosk.MonitoringToken);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var noRedirect = new HttpClient(handler) { BaseAddress = new Uri(kiosk.BaseUrl) };
        using var page = await noRedirect.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task Outside_Development_the_staff_cookie_is_Secure_by_default()
    {
        await using var kiosk = await StaffKiosk.StartAsync("--Staff:SecureCookies=");
        using var client = kiosk.NewClient();
        var (signedIn, _) = await StaffKiosk.PostSignInAsync(client, StaffKiosk.Operator);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("secure", Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(StaffAuthentication.CookieName + "=")).ToLowerInvariant());
    }
}
