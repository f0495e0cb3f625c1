using System.Collections.Concurrent;
using Kiosk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>The kiosk loads nothing from the internet: every request the browser makes goes to the node, and the
/// node's Content-Security-Policy would stop anything else, as Chromium shows when a page tries.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LocalOnlyBrowserTests(BrowserFixture browser, KioskNodeFixture node) : IClassFixture<KioskNodeFixture>
{
    private string Origin => new Uri(node.Node.BaseUrl).GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task Every_request_of_the_start_flow_goes_to_the_node_itself()
    {
        var (context, page) = await KioskBrowser.OpenAsync(browser, "landscape");
        await using var _ = context;
        var requests = new ConcurrentQueue<string>();
        context.Request += (_, request) => requests.Enqueue(request.Url);
        var idle = new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle };

        await page.GotoAsync(node.Node.BaseUrl + "/", idle);
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#lang-kk");
        await KioskBrowser.ChooseServiceAsync(page);
        await page.Locator("#key-password").TapAsync();
        await Expect(page.Locator("#osk")).ToBeVisibleAsync();
        await page.GotoAsync(node.Node.BaseUrl + "/help", idle);
        await page.GotoAsync(node.Node.BaseUrl + "/no-such-screen", idle);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var urls = requests.ToList();
        var elsewhere = urls.Where(u => new Uri(u).GetLeftPart(UriPartial.Authority) != Origin).ToList();
        Assert.True(elsewhere.Count == 0, $"requests to other origins than {Origin}:\n{string.Join("\n", elsewhere)}");
        // It did record the page loads and their assets: the check above had something to look at.
        foreach (var asset in new[] { "/assets/css/kiosk.css", "/assets/js/idle.js", "/assets/js/osk.js", "/assets/js/signin.js", "/sign-in", "/help" })
            Assert.Contains(urls, u => new Uri(u).AbsolutePath == asset);
    }

    [Fact]
    public async Task The_policy_allows_only_the_node_and_chromium_blocks_anything_else()
    {
        var (context, page) = await KioskBrowser.OpenAsync(browser, "portrait");
        await using var _ = context;
        var response = await page.GotoAsync(node.Node.BaseUrl + "/");

        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.NotNull(csp);
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..]);
        Assert.Equal(["'self'"], directives["default-src"]);
        foreach (var fetchDirective in new[] { "script-src", "style-src", "connect-src", "font-src", "img-src" })
            Assert.True(!directives.ContainsKey(fetchDirective) || directives[fetchDirective].Contains("'self'"), fetchDirective);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        // No other host, no scheme, no wildcard, no unsafe-*: only the node itself, and data: for images alone.
        var others = directives
            .SelectMany(d => d.Value.Where(source => source is not ("'self'" or "'none'") && !(d.Key == "img-src" && source == "data:"))
                .Select(source => $"{d.Key} {source}"))
            .ToList();
        Assert.True(others.Count == 0, "the policy allows more than the node: " + string.Join(", ", others));

        // And Chromium enforces it: a script, an image, a style sheet and a fetch from elsewhere, and an inline
        // script, are all refused before any request leaves.
        var blocked = await page.EvaluateAsync<string[]>(
            """
            async () => {
              const seen = [];
              document.addEventListener('securitypolicyviolation', e => seen.push(e.effectiveDirective));
              const s = document.createElement('script'); s.src = 'http://example.invalid/a.js'; document.head.append(s);
              const i = document.createElement('img'); i.src = 'http://example.invalid/a.png'; document.body.append(i);
              const l = document.createElement('link'); l.rel = 'stylesheet'; l.href = 'http://example.invalid/a.css'; document.head.append(l);
              const inline = document.createElement('script'); inline.textContent = 'window.__inline = 1'; document.head.append(inline);
              try { await fetch('http://example.invalid/a.json'); } catch (e) { }
              await new Promise(r => setTimeout(r, 500));
              return [...new Set(seen)].sort();
            }
            """);
        Assert.Equal(["connect-src", "img-src", "script-src-elem", "style-src-elem"], blocked);
        Assert.False(await page.EvaluateAsync<bool>("() => window.__inline === 1"), "an inline script ran");
    }
}
