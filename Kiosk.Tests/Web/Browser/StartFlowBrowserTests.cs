using Kiosk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// Every screen a citizen meets before signing in, in Kazakh, Russian and English, at the kiosk's portrait and
/// landscape sizes, in real Chromium against the real node: no axe WCAG 2.2 A/AA violation (target-size on), every
/// control at least 48×48 px, the page's lang is the chosen language; a screenshot of each lands in
/// TestResults/screenshots.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StartFlowBrowserTests(BrowserFixture browser, KioskNodeFixture node) : IClassFixture<KioskNodeFixture>
{
    public static readonly string[] Screens =
        ["start", "sign-in", "sign-in-errors", "help", "error-404", "idle-warning", "keyboard"];

    public static TheoryData<string, string, string> Combinations()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var screen in Screens)
            foreach (var lang in KioskBrowser.Languages)
                foreach (var orientation in KioskBrowser.Viewports.Keys)
                    data.Add(screen, lang, orientation);
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Screen_is_accessible_with_large_targets_in_its_language(string screen, string lang, string orientation)
    {
        var (context, page) = await KioskBrowser.OpenAsync(browser, orientation);
        await using var _ = context;
        var what = $"{screen} ({lang}, {orientation})";

        await ShowAsync(page, screen, lang);

        Assert.Equal(lang, await page.GetAttributeAsync("html", "lang"));
        // Before the checks, so a failing screen leaves its picture behind.
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath($"{screen}-{lang}-{orientation}") });
        await AccessibilityChecks.AssertNoAxeViolationsAsync(page, what);
        await AccessibilityChecks.AssertTargetsAtLeast48Async(page, what);
    }

    /// <summary>Brings the page to the screen with a citizen's taps (the language cookie set as its button would set
    /// it), and checks it is that screen.</summary>
    private async Task ShowAsync(IPage page, string screen, string lang)
    {
        var baseUrl = node.Node.BaseUrl;
        var body = page.Locator("body");
        if (screen == "idle-warning")
            // The page's clock is Playwright's, so the warning can be called up without waiting a real minute.
            await page.Clock.InstallAsync(new ClockInstallOptions { TimeDate = ClockStart });

        await KioskBrowser.StartWithLanguageAsync(page, baseUrl, lang);
        switch (screen)
        {
            case "start":
                await Expect(body).ToHaveAttributeAsync("data-page", "start");
                await Expect(page.Locator("#service-home-call")).ToBeVisibleAsync();
                break;

            case "sign-in":
                await KioskBrowser.ChooseServiceAsync(page);
                break;

            case "sign-in-errors":
                await KioskBrowser.ChooseServiceAsync(page);
                await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#signin-submit");
                await Expect(page.Locator("#signin-errors")).ToBeVisibleAsync();
                await Expect(page.Locator("#key-password")).ToHaveAttributeAsync("aria-invalid", "true");
                break;

            case "help":
                await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#help-link");
                await Expect(body).ToHaveAttributeAsync("data-page", "help");
                break;

            case "error-404":
                var response = await page.GotoAsync(baseUrl + "/no-such-screen");
                Assert.Equal(404, response!.Status);
                await Expect(body).ToHaveAttributeAsync("data-page", "error");
                await Expect(page.Locator("#error-text")).ToHaveAttributeAsync("data-status", "404");
                break;

            case "idle-warning":
                await KioskBrowser.ChooseServiceAsync(page);
                // Ten minutes later by the page's clock, which then stands still while timers keep running (axe needs
                // them): the warning opens and its countdown never runs out during the checks.
                await page.Clock.SetFixedTimeAsync(ClockStart.AddMinutes(10));
                await Expect(page.Locator("#idle-dialog")).ToBeVisibleAsync();
                await Expect(body).ToHaveAttributeAsync("data-idle-state", "warning");
                await Expect(page.Locator("#idle-stay")).ToBeFocusedAsync();
                break;

            case "keyboard":
                await KioskBrowser.ChooseServiceAsync(page);
                await page.Locator("#key-password").TapAsync();
                await Expect(page.Locator("#osk")).ToBeVisibleAsync();
                // The password field opens on Latin; the screen's own letters are one tap away and checked too.
                await page.Locator($"#osk [data-key='layout-{lang}']").TapAsync();
                await Expect(page.Locator("#osk")).ToHaveAttributeAsync("data-layout", lang);
                await Expect(page.Locator("#osk [data-key='space']")).ToBeVisibleAsync();
                // The field being typed into is not hidden under the keyboard.
                var field = await page.Locator("#key-password").BoundingBoxAsync();
                var keyboard = await page.Locator("#osk").BoundingBoxAsync();
                Assert.True(field!.Y >= 0 && field.Y + field.Height <= keyboard!.Y,
                    $"the password field ({field.Y}..{field.Y + field.Height}) is under the keyboard (from {keyboard!.Y})");
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(screen), screen, null);
        }
    }

    private static readonly DateTime ClockStart = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
}
