using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Tests.Support;
using Kiosk.Tests.Web.Staff;
using Kiosk.Web.Staff;
using Microsoft.Playwright;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// The staff page in Chromium against the real kiosk node process (issue 4 item 6): an operator signs in (a wrong
/// password first), sees the outbox, the clock warning and a dead letter in each language with axe finding nothing,
/// retries the dead letter, and signs out. The citizens' inactivity reset does not run on staff pages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_operator_signs_in_sees_the_status_in_three_languages_retries_a_dead_letter_and_signs_out()
    {
        await using var node = await KioskNode.StartAsync("--Staff:SecureCookies=false", "--Kiosk:IdleSeconds=1", "--Kiosk:IdleWarningSeconds=1");
        var db = new SqliteDatabase(new StorageOptions { DatabasePath = node.DatabasePath });
        NodeStaff.Seed(db);
        var now = DateTimeOffset.UtcNow;
        OutboxSeed.Row(db, OutboxStore.Queued, now.AddMinutes(-30), lastError: "timeout");
        var dead = OutboxSeed.Row(db, OutboxStore.Dead, now.AddHours(-3), lastError: "cert-revoked", deadAt: now.AddHours(-2));
        OutboxSeed.Settings(db, now,
            (KioskSettings.LastContactAt, OutboxSeed.At(now.AddMinutes(-20))),
            (KioskSettings.LastError, "unreachable"), (KioskSettings.LastErrorAt, OutboxSeed.At(now.AddMinutes(-1))),
            (KioskSettings.ClockSkewSeconds, "-400"), (KioskSettings.ClockSkewLimitSeconds, "120"));

        var (context, page) = await KioskBrowser.OpenAsync(browser, "portrait");
        await using var _ = context;
        await page.GotoAsync(node.BaseUrl + "/staff");
        await page.WaitForURLAsync("**/staff/sign-in?ReturnUrl=%2Fstaff");

        await page.Locator("#staff-iin").FillAsync(StaffKiosk.Operator);
        await page.Locator("#staff-password").FillAsync("wrong password!");
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#staff-signin-submit");
        await Expect(page.Locator("#staff-signin-error")).ToHaveTextAsync("Неверный ИИН или пароль.");
        await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "staff sign-in, wrong password");
        await AccessibilityChecks.AssertTargetsAtLeast48Async(page, "staff sign-in");

        await page.Locator("#staff-iin").FillAsync(StaffKiosk.Operator);
        await page.Locator("#staff-password").FillAsync(StaffKiosk.Password);
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#staff-signin-submit");
        await page.WaitForURLAsync("**/staff");

        var expected = new Dictionary<string, (string Offline, string Warning)>
        {
            ["kk"] = ("Байланыс жоқ", "Киоск сағаты орталық сервермен сәйкес келмейді"),
            ["ru"] = ("Нет связи", "Часы киоска расходятся с центральным сервером"),
            ["en"] = ("Offline", "The kiosk's clock differs from Central's"),
        };
        foreach (var lang in KioskBrowser.Languages)
        {
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#lang-{lang}");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
            Assert.EndsWith("/staff", page.Url);
            await Expect(page.Locator("#staff-online")).ToHaveTextAsync(expected[lang].Offline);
            await Expect(page.Locator("#staff-clock-warning h2")).ToHaveTextAsync(expected[lang].Warning);
            await Expect(page.Locator("#staff-outbox-depth")).ToHaveTextAsync("1");
            await Expect(page.Locator("#staff-worker-error")).ToContainTextAsync("unreachable");
            await Expect(page.Locator($"#staff-dead tr[data-request-id=\"{dead:D}\"]")).ToContainTextAsync("cert-revoked");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, $"staff page ({lang})");
            await AccessibilityChecks.AssertTargetsAtLeast48Async(page, $"staff page ({lang})");
        }
        // No idle timer here: with a one-second idle setting a citizen screen would already be resetting.
        Assert.Null(await page.EvaluateAsync<string?>("() => document.body.dataset.idleState ?? null"));

        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#retry-{dead:D}");
        await Expect(page.Locator("#staff-retried")).ToContainTextAsync(dead.ToString("D"));
        await Expect(page.Locator("#staff-no-dead")).ToBeVisibleAsync();
        await Expect(page.Locator("#staff-outbox-depth")).ToHaveTextAsync("2");
        Assert.Equal(OutboxStore.Queued, new OutboxStore(db).Get(dead)!.State);
        await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "staff page after a retry");

        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#staff-sign-out");
        await page.WaitForURLAsync("**/staff/sign-in");
        await page.GotoAsync(node.BaseUrl + "/staff");
        await page.WaitForURLAsync("**/staff/sign-in?ReturnUrl=%2Fstaff");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_a_registrar_out_and_the_screen_says_for_how_long_in_each_language()
    {
        await using var node = await KioskNode.StartAsync("--Staff:SecureCookies=false");
        NodeStaff.Seed(node.DatabasePath);
        var (context, page) = await KioskBrowser.OpenAsync(browser, "landscape");
        await using var _ = context;
        await page.GotoAsync(node.BaseUrl + "/staff/sign-in");
        // The IIN is typed on the on-screen 12-key pad, the password on the keyboard (the desk's screen may have no keys).
        await page.Locator("#staff-iin").TapAsync();
        await Expect(page.Locator("#osk")).ToHaveAttributeAsync("data-layout", "numeric");
        foreach (var digit in NodeStaff.RegistrarIin) await page.Locator($"#osk [data-key=\"{digit}\"]").TapAsync();
        await Expect(page.Locator("#staff-iin")).ToHaveValueAsync(NodeStaff.RegistrarIin);
        for (var i = 1; i <= 5; i++)
        {
            await page.Locator("#staff-iin").FillAsync(NodeStaff.RegistrarIin);
            await page.Locator("#staff-password").FillAsync("not it " + i);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#staff-signin-submit");
            await Expect(page.Locator("#staff-signin-error")).ToHaveAttributeAsync("data-problem", i < 5 ? "wrong" : "locked");
        }
        var expected = new Dictionary<string, string>
        {
            ["kk"] = "тағы 15 мин жабық",
            ["ru"] = "закрыт ещё на 15 мин",
            ["en"] = "cannot sign in for 15 more min",
        };
        foreach (var lang in KioskBrowser.Languages)
        {
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#lang-{lang}");
            // The right password is refused too while the lock lasts.
            await page.Locator("#staff-iin").FillAsync(NodeStaff.RegistrarIin);
            await page.Locator("#staff-password").FillAsync(NodeStaff.Password);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#staff-signin-submit");
            await Expect(page.Locator("#staff-signin-error")).ToContainTextAsync(expected[lang]);
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, $"staff sign-in, locked ({lang})");
            await AccessibilityChecks.AssertTargetsAtLeast48Async(page, $"staff sign-in, locked ({lang})");
        }
        Assert.Contains(node.Process.Output.Split('\n'), l => l.Contains("the account is locked"));
        Assert.DoesNotContain(NodeStaff.RegistrarIin, node.Process.Output);
    }

    [Fact]
    public async Task A_desk_left_alone_for_ten_minutes_signs_itself_out()
    {
        await using var node = await KioskNode.StartAsync("--Staff:SecureCookies=false");
        NodeStaff.Seed(node.DatabasePath);
        var (context, page) = await KioskBrowser.OpenAsync(browser, "landscape");
        await using var _ = context;
        await page.Clock.InstallAsync();
        await page.GotoAsync(node.BaseUrl + "/staff/sign-in");
        await page.Locator("#staff-iin").FillAsync(NodeStaff.RegistrarIin);
        await page.Locator("#staff-password").FillAsync(NodeStaff.Password);
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#staff-signin-submit");
        await page.WaitForURLAsync("**/desk");
        await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "desk");
        await AccessibilityChecks.AssertTargetsAtLeast48Async(page, "desk");

        await page.Clock.FastForwardAsync("09:59");
        Assert.EndsWith("/desk", page.Url);
        await page.Clock.FastForwardAsync("00:02");
        await page.WaitForURLAsync("**/staff/sign-in?idle=true");
        await Expect(page.Locator("#staff-idle-ended")).ToContainTextAsync("10");
        await page.GotoAsync(node.BaseUrl + "/desk");
        await page.WaitForURLAsync("**/staff/sign-in?ReturnUrl=%2Fdesk");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
