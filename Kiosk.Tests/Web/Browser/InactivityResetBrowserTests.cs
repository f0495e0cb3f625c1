using System.Net;
using Kiosk.Tests.Support;
using Kiosk.Web.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// The inactivity reset in real time on a node with a short idle time: the warning counts down, "I'm still here"
/// keeps the session, and a citizen who walks away leaves nothing behind: the server forgot the session, the cookies
/// and the browser storage are gone, the start screen is back in the default language.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InactivityResetBrowserTests(BrowserFixture browser)
{
    private const int IdleSeconds = 3;
    private const int WarningSeconds = 8;

    [Fact]
    public async Task Warning_counts_down_stay_keeps_the_session_and_walking_away_wipes_it()
    {
        await using var node = await KioskNode.StartAsync(
            $"--Kiosk:IdleSeconds={IdleSeconds}", $"--Kiosk:IdleWarningSeconds={WarningSeconds}");
        var (context, page) = await KioskBrowser.OpenAsync(browser, "portrait");
        await using var _ = context;
        var body = page.Locator("body");
        var dialog = page.Locator("#idle-dialog");

        // A citizen switches to English and chooses a service; the page keeps something in browser storage.
        await KioskBrowser.StartInAsync(page, node.BaseUrl, "en");
        await KioskBrowser.ChooseServiceAsync(page, "appointment");
        await Expect(body).ToHaveAttributeAsync("data-idle-armed", "true");
        await page.EvaluateAsync("() => { localStorage.setItem('left-behind', '1'); sessionStorage.setItem('left-behind', '1'); }");
        var session = await SessionCookieAsync(context);
        Assert.NotNull(session);
        Assert.Equal("appointment", await ChosenServiceOnServerAsync(node.BaseUrl, session));

        // Hands off: the warning comes up and counts down.
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(body).ToHaveAttributeAsync("data-idle-state", "warning");
        var first = int.Parse(await page.Locator("#idle-countdown").InnerTextAsync());
        Assert.InRange(first, 1, WarningSeconds);
        await page.WaitForFunctionAsync("n => Number(document.getElementById('idle-countdown').textContent) < n", first,
            new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = KioskBrowser.Patience });

        // "I'm still here" keeps everything.
        await page.Locator("#idle-stay").TapAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(body).ToHaveAttributeAsync("data-idle-state", "idle");
        Assert.Equal(node.BaseUrl + "/sign-in", page.Url);
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal(session, await SessionCookieAsync(context));
        Assert.Equal("appointment", await ChosenServiceOnServerAsync(node.BaseUrl, session));

        // Walking away: the warning again, then the reset, without a touch.
        await Expect(body).ToHaveAttributeAsync("data-idle-state", "warning");
        await page.WaitForURLAsync(node.BaseUrl + "/", new PageWaitForURLOptions { Timeout = KioskBrowser.Patience });
        await Expect(body).ToHaveAttributeAsync("data-page", "start");

        Assert.Equal("ru", await page.GetAttributeAsync("html", "lang")); // the configured default, not English
        await Expect(page.Locator("#lang-ru")).ToHaveAttributeAsync("aria-current", "true");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(body).ToHaveAttributeAsync("data-idle-state", "off"); // an untouched start screen has nothing to wipe
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length + sessionStorage.length"));

        var cookies = (await context.CookiesAsync()).Select(c => c.Name).ToList();
        Assert.DoesNotContain(KioskSession.CookieName, cookies);
        Assert.DoesNotContain(KioskLanguages.CookieName, cookies);
        // The old cookie, presented again, finds an empty session: the chosen service is forgotten on the server.
        Assert.Null(await ChosenServiceOnServerAsync(node.BaseUrl, session));
        Assert.Contains("Kiosk session reset", node.Process.Output);

        // Going back in the browser's history brings back none of it either: the earlier screen is asked for again
        // (no-store) and comes in Russian, with no session behind it.
        await page.GoBackAsync();
        await Expect(body).ToHaveAttributeAsync("data-page", "start");
        Assert.Equal("ru", await page.GetAttributeAsync("html", "lang"));
        Assert.DoesNotContain(KioskSession.CookieName, (await context.CookiesAsync()).Select(c => c.Name));
    }

    private static async Task<string?> SessionCookieAsync(IBrowserContext context) =>
        (await context.CookiesAsync()).SingleOrDefault(c => c.Name == KioskSession.CookieName)?.Value;

    /// <summary>Asks the node, outside the browser (so the page sees no activity), for the sign-in screen with the
    /// given session cookie: the chosen service it shows, or null when it sends the visitor back to the start.</summary>
    private static async Task<string?> ChosenServiceOnServerAsync(string baseUrl, string session)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/sign-in");
        request.Headers.Add("Cookie", $"{KioskSession.CookieName}={session}");
        using var response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.Equal("/", response.Headers.Location?.OriginalString);
            return null;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var match = System.Text.RegularExpressions.Regex.Match(html, "id=\"chosen-service\" data-service=\"([a-z-]+)\"");
        Assert.True(match.Success, "the sign-in screen shows no chosen service");
        return match.Groups[1].Value;
    }
}
