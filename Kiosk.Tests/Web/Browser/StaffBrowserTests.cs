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
        await using var node = await KioskNode.StartAsync(
            $"--Operators:Accounts:{StaffKiosk.Operator}={OperatorAccounts.Hash(StaffKiosk.Password)}",
            "--Kiosk:IdleSeconds=1", "--Kiosk:IdleWarningSeconds=1");
        var db = new SqliteDatabase(new StorageOptions { DatabasePath = node.DatabasePath });
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

        await page.Locator("#staff-name").FillAsync(StaffKiosk.Operator);
        await page.Locator("#staff-password").FillAsync("wrong password!");
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#staff-signin-submit");
        await Expect(page.Locator("#staff-signin-error")).ToHaveTextAsync("Неверное имя оператора или пароль.");
        await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "staff sign-in, wrong password");
        await AccessibilityChecks.AssertTargetsAtLeast48Async(page, "staff sign-in");

        await page.Locator("#staff-name").FillAsync(StaffKiosk.Operator);
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

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
