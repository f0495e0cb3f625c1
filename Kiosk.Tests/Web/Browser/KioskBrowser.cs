using Kiosk.Tests.Support;
using Kiosk.Web.Infrastructure;
using Microsoft.AspNetCore.Localization;
using Microsoft.Playwright;

namespace Kiosk.Tests.Web.Browser;

/// <summary>One real kiosk node (Kiosk.Web on Kestrel, its own SQLite file) shared by the tests of a class.</summary>
public sealed class KioskNodeFixture : IAsyncLifetime
{
    public KioskNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await KioskNode.StartAsync();

    public async Task DisposeAsync()
    {
        if (Node is not null) await Node.DisposeAsync();
    }
}

/// <summary>What the kiosk tests do in a page: the steps a citizen takes, written once.</summary>
public static class KioskBrowser
{
    /// <summary>How long any one step may take on a busy two-core machine before it counts as broken.</summary>
    public const float Patience = 60_000;

    // Web-first assertions (Expect) wait as long as the actions do, not Playwright's default 5 s.
    static KioskBrowser() => Assertions.SetDefaultExpectTimeout(Patience);

    /// <summary>The kiosk's own list (kk, ru, en), so a language added there is tested too.</summary>
    public static readonly string[] Languages = KioskLanguages.All.Select(l => l.Code).ToArray();

    public static readonly IReadOnlyDictionary<string, (int Width, int Height)> Viewports =
        new Dictionary<string, (int Width, int Height)>
        {
            ["portrait"] = BrowserFixture.Portrait,
            ["landscape"] = BrowserFixture.Landscape,
        };

    /// <summary>A fresh context (no cookies, no storage) and a page in it.</summary>
    public static async Task<(IBrowserContext Context, IPage Page)> OpenAsync(BrowserFixture browser, string orientation)
    {
        var context = await browser.NewKioskContextAsync(Viewports[orientation]);
        context.SetDefaultTimeout(Patience);
        context.SetDefaultNavigationTimeout(Patience);
        return (context, await context.NewPageAsync());
    }

    /// <summary>Taps a control that leads to another document (a form post, a link) and waits until that document
    /// has loaded. Safe for a post that returns to the same URL, where waiting for the URL alone would not wait.</summary>
    public static async Task TapAndWaitForNewDocumentAsync(IPage page, string selector)
    {
        await page.EvaluateAsync("() => { window.__kioskOldDocument = true; }");
        await page.Locator(selector).TapAsync();
        await page.WaitForFunctionAsync("() => window.__kioskOldDocument !== true && document.readyState === 'complete'",
            null, new PageWaitForFunctionOptions { PollingInterval = 50, Timeout = Patience });
    }

    /// <summary>Start screen, then the language button: the way a citizen switches.</summary>
    public static async Task StartInAsync(IPage page, string baseUrl, string lang)
    {
        await page.GotoAsync(baseUrl + "/");
        await TapAndWaitForNewDocumentAsync(page, $"#lang-{lang}");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Assertions.Expect(page.Locator($"#lang-{lang}")).ToHaveAttributeAsync("aria-current", "true");
    }

    /// <summary>The start screen with the language already chosen, as the language button leaves it (its cookie),
    /// one round trip shorter than <see cref="StartInAsync"/>; for tests about screens rather than the switch.</summary>
    public static async Task StartWithLanguageAsync(IPage page, string baseUrl, string lang)
    {
        var culture = KioskLanguages.Find(lang)?.Culture ?? throw new ArgumentOutOfRangeException(nameof(lang), lang, null);
        await page.Context.AddCookiesAsync(
        [
            new Cookie
            {
                Name = KioskLanguages.CookieName,
                Value = CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                Url = baseUrl,
                HttpOnly = true,
                SameSite = SameSiteAttribute.Strict,
            },
        ]);
        await page.GotoAsync(baseUrl + "/");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Assertions.Expect(page.Locator($"#lang-{lang}")).ToHaveAttributeAsync("aria-current", "true");
    }

    /// <summary>
    /// A citizen's whole home call in Chromium, from the start screen at <paramref name="baseUrl"/>: sign in with the
    /// AUTH key file, fill in the form, sign with the SIGN key file; returns the accepted request's id.
    /// </summary>
    public static async Task<Guid> FileHomeCallAsync(IPage page, string baseUrl, Kiosk.Core.Eds.Demo.DemoCaResult ca,
        Kiosk.Core.Eds.Demo.DemoCaEntry auth, Kiosk.Core.Eds.Demo.DemoCaEntry sign)
    {
        await page.GotoAsync(baseUrl + "/");
        await ChooseServiceAsync(page, "home-call");
        await page.Locator("#auth-key-file").SetInputFilesAsync(ca.PathOf(auth));
        await page.Locator("#key-password").FillAsync(ca.Password);
        await page.Locator("#signin-submit").TapAsync();
        await page.WaitForURLAsync("**/services/home-call");
        await page.Locator("#address").FillAsync("Астана, Бейбітшілік 12, 3-пәтер");
        await page.Locator("#phone").FillAsync("+7 701 123 45 67");
        await page.Locator("label[for=\"reason-fever\"]").TapAsync();
        await page.Locator("#homecall-next").TapAsync();
        await page.WaitForURLAsync("**/services/home-call/review");
        await page.Locator("#sign-key-file").SetInputFilesAsync(ca.PathOf(sign));
        await page.Locator("#sign-password").FillAsync(ca.Password);
        await page.Locator("#sign-submit").TapAsync();
        await page.WaitForURLAsync("**/services/home-call/accepted");
        return Guid.Parse((await page.Locator("#receipt").GetAttributeAsync("data-request-id"))!);
    }

    /// <summary>From the start screen: choose a service and land on the sign-in screen with its form.</summary>
    public static async Task ChooseServiceAsync(IPage page, string service = "home-call")
    {
        await TapAndWaitForNewDocumentAsync(page, $"#service-{service}");
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-page", "sign-in");
        await Assertions.Expect(page.Locator("#signin-form")).ToBeVisibleAsync();
    }
}
