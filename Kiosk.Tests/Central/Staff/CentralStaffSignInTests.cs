using System.Net;
using System.Net.Http.Json;
using Kiosk.Central.Staff;
using Kiosk.Core.Identity;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Web;
using static Kiosk.Tests.Central.Staff.CentralStaffKit;

namespace Kiosk.Tests.Central.Staff;

/// <summary>
/// Central's staff sign-in over real HTTP (issue 12 item 1): IIN and password of an operator account, lockout after 5
/// wrong passwords for 15 minutes (kept in the database, so a restart does not forgive it), idle sign-out after 10
/// minutes, antiforgery, strict cookies, and a disabled account losing its session at once.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class CentralStaffSignInTests(DemoCaFixture ca)
{
    private static string Base(IntakeCentral central) => central.Http.BaseAddress!.ToString().TrimEnd('/');

    [Fact]
    public async Task An_operator_signs_in_with_IIN_and_password_sees_the_fleet_and_signs_out()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        Add(central, OperatorIin, "operator", ProviderBin, name: "Оператор <b>Первый</b>");
        using var browser = new KioskClient(Base(central));

        var (anonymous, _) = await browser.GetAsync("/fleet");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/staff/sign-in?returnUrl=%2Ffleet", Where(anonymous));

        var (form, _) = await browser.GetAsync("/staff/sign-in");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var csp = form.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'", csp);
        Assert.DoesNotContain("script-src", csp); // no script of any kind on operator pages
        Assert.Equal("DENY", form.Headers.GetValues("X-Frame-Options").Single());

        var (noToken, _) = await browser.PostAsync("/staff/sign-in", [new("Iin", OperatorIin), new("Password", Password)], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        var (signedIn, _) = await browser.PostAsync("/staff/sign-in?returnUrl=%2Ffleet", [new("Iin", OperatorIin), new("Password", Password)]);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/fleet", signedIn.Headers.Location!.OriginalString);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".central.staff=")).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("path=/", cookie);
        Assert.DoesNotContain(OperatorIin, cookie);

        var (fleet, html) = await browser.GetAsync("/fleet");
        Assert.Equal(HttpStatusCode.OK, fleet.StatusCode);
        Assert.Contains($"<tr data-kiosk=\"{IntakeCentral.KioskId}\">", html);
        Assert.Contains("Оператор &lt;b&gt;Первый&lt;/b&gt;", html); // the name, encoded
        Assert.True(fleet.Headers.CacheControl!.NoStore);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/staff/sign-out", [])).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/fleet")).Response.StatusCode);
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains(OperatorIin) || l.Contains(Password));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes_across_a_restart()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        Add(central, OperatorIin, "operator", ProviderBin);
        using (var browser = new KioskClient(Base(central)))
        {
            for (var i = 1; i <= 4; i++)
            {
                var (wrong, wrongHtml) = await SignInAsync(browser, OperatorIin, "guess-pw-" + i);
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                Assert.Contains("data-problem=\"wrong\"", wrongHtml);
            }
            var (fifth, fifthHtml) = await SignInAsync(browser, OperatorIin, "guess-pw-5");
            Assert.Equal(HttpStatusCode.Locked, fifth.StatusCode);
            Assert.Contains("data-problem=\"locked\"", fifthHtml);
            Assert.Contains("locked for 15 min", fifthHtml);
            Assert.Contains(central.Logs.Lines, l => l.Contains("the account is locked (just locked now: True"));
        }

        await central.RestartAsync();
        central.Time.Advance(TimeSpan.FromMinutes(14));
        using (var browser = new KioskClient(Base(central)))
        {
            var (locked, html) = await SignInAsync(browser, OperatorIin);
            Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
            Assert.Contains("locked for 1 min", html);
            central.Time.Advance(TimeSpan.FromMinutes(1));
            await SignInOperatorAsync(browser);
        }
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains("guess-pw"));
    }

    [Fact]
    public async Task A_reset_password_ends_the_lockout()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        Add(central, OperatorIin, "operator", ProviderBin);
        using var browser = new KioskClient(Base(central));
        for (var i = 0; i < 5; i++) await SignInAsync(browser, OperatorIin, "wrong");
        Assert.Equal(HttpStatusCode.Locked, (await SignInAsync(browser, OperatorIin)).Response.StatusCode);
        Assert.Equal(StaffChange.Done, Register(central).ResetPassword(Iin.Parse(OperatorIin), Kiosk.Core.Staff.StaffPasswords.Hash("a brand new password 99")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, OperatorIin)).Response.StatusCode); // the old password is gone
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, OperatorIin, "a brand new password 99")).Response.StatusCode);
    }

    [Fact]
    public async Task Ten_idle_minutes_end_the_session_but_use_keeps_it_until_the_longest_session_is_over()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        Add(central, OperatorIin, "operator", ProviderBin);
        using var browser = new KioskClient(Base(central));
        await SignInOperatorAsync(browser);

        // Used every 9 minutes: still signed in after 27 minutes (each request renews the cookie for 10 more).
        for (var i = 0; i < 3; i++)
        {
            central.Time.Advance(TimeSpan.FromMinutes(9));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/fleet")).Response.StatusCode);
        }
        central.Time.Advance(TimeSpan.FromMinutes(10).Add(TimeSpan.FromSeconds(1)));
        var (idle, _) = await browser.GetAsync("/fleet");
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.StartsWith("/staff/sign-in", Where(idle));

        await SignInOperatorAsync(browser);
        var minutes = 0;
        while (minutes < 13 * 60 && (await browser.GetAsync("/fleet")).Response.StatusCode == HttpStatusCode.OK)
        {
            central.Time.Advance(TimeSpan.FromMinutes(9));
            minutes += 9;
        }
        Assert.InRange(minutes, 12 * 60, 12 * 60 + 9); // busy all along, and still out after 12 h
    }

    [Fact]
    public async Task A_disabled_account_loses_its_session_at_the_next_request_and_cannot_sign_in()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        Add(central, OperatorIin, "operator", ProviderBin);
        using var browser = new KioskClient(Base(central));
        await SignInOperatorAsync(browser);
        Assert.Equal(StaffChange.Done, Register(central).SetDisabled(Iin.Parse(OperatorIin), true));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/fleet")).Response.StatusCode);

        var (disabled, html) = await SignInAsync(browser, OperatorIin);
        Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
        Assert.Contains("data-problem=\"disabled\"", html);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, OperatorIin, "a wrong one")).Response.StatusCode);

        Register(central).SetDisabled(Iin.Parse(OperatorIin), false);
        await SignInOperatorAsync(browser);
    }

    [Fact]
    public async Task A_registrar_without_the_operator_role_is_sent_to_the_kiosk_node()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        Add(central, RegistrarIin, "registrar", ClinicBin);
        using var browser = new KioskClient(Base(central));
        var (refused, html) = await SignInAsync(browser, RegistrarIin);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("data-problem=\"no-role\"", html);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/fleet")).Response.StatusCode);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("12345", "x")]
    [InlineData("850315300129", Password)] // a check digit off
    public async Task Bad_input_gets_a_message_and_no_session(string iin, string password)
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        Add(central, OperatorIin, "operator", ProviderBin);
        using var browser = new KioskClient(Base(central));
        var (response, html) = await SignInAsync(browser, iin, password);
        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("id=\"sign-in-error\"", html);
    }

    [Fact]
    public async Task The_cookie_is_Secure_outside_Development_by_default()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, $"--Staff:ProviderBin={ProviderBin}");
        Add(central, OperatorIin, "operator", ProviderBin);
        using var browser = new KioskClient(Base(central));
        var (signedIn, _) = await SignInAsync(browser, OperatorIin);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("secure", Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".central.staff=")).ToLowerInvariant());
    }

    [Fact]
    public async Task Operators_link_a_kiosk_to_its_clinic_and_the_fleet_page_shows_it()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        Add(central, OperatorIin, "operator", ProviderBin);
        using (var created = await central.OperatorAsync(HttpMethod.Post, "/api/kiosks", new { kioskId = "lobby-2", name = "Lobby 2", clinicId = 2 }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var set = await central.OperatorAsync(HttpMethod.Post, $"/api/kiosks/{IntakeCentral.KioskId}/clinic", new { clinicId = 1 }))
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        using (var missing = await central.OperatorAsync(HttpMethod.Post, $"/api/kiosks/{IntakeCentral.KioskId}/clinic", new { clinicId = 99 }))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var browser = new KioskClient(Base(central));
        await SignInOperatorAsync(browser);
        var (_, html) = await browser.GetAsync("/fleet");
        Assert.Matches("<tr data-kiosk=\"lobby-2\">\\s*<td>lobby-2</td>\\s*<td>Lobby 2</td>\\s*<td data-field=\"clinic\">2</td>", html);
        Assert.Matches($"<tr data-kiosk=\"{IntakeCentral.KioskId}\">\\s*<td>{IntakeCentral.KioskId}</td>\\s*<td>[^<]*</td>\\s*<td data-field=\"clinic\">1</td>", html);
    }
}
