using Kiosk.Core.Eds.Demo;
using Microsoft.Playwright;

namespace Kiosk.Tests.Web.Browser;

/// <summary>The registrar's moves at the desk in Chromium, shared by the desk's and the journals' browser tests.</summary>
public static class DeskBrowser
{
    /// <summary>From the desk's start: chooses <paramref name="service"/> and looks <paramref name="iin"/> up in the registry.</summary>
    public static async Task LookUpAsync(IPage page, string service, string iin)
    {
        await page.GotoAsync(page.Url[..page.Url.IndexOf("/desk", StringComparison.Ordinal)] + "/desk");
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#desk-service-{service}");
        await page.Locator("#citizen-iin").FillAsync(iin);
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#desk-citizen-find");
    }

    /// <summary>On the review: signs with <paramref name="key"/> of the demo CA and waits for the result page.</summary>
    public static async Task SignAsync(IPage page, DemoCaResult ca, DemoCaEntry key)
    {
        await page.Locator("#sign-key-file").SetInputFilesAsync(ca.PathOf(key));
        await page.Locator("#sign-password").FillAsync(ca.Password);
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#sign-submit");
        await page.WaitForURLAsync("**/desk/result");
    }

    /// <summary>Axe and the 48 px targets on the screen shown.</summary>
    public static async Task CheckAsync(IPage page, string screen)
    {
        await AccessibilityChecks.AssertNoAxeViolationsAsync(page, screen);
        await AccessibilityChecks.AssertTargetsAtLeast48Async(page, screen);
    }

    /// <summary>Switches the screen to <paramref name="lang"/> and checks it.</summary>
    public static async Task CheckInAsync(IPage page, string lang, string screen)
    {
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#lang-{lang}");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await CheckAsync(page, $"{screen} ({lang})");
    }
}
