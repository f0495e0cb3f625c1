using System.Collections.Concurrent;
using Dapper;
using Kiosk.Node;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Kiosk.Tests.Sync;
using Kiosk.Tests.Web.Status;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// Issue 12 "Done when": the hostile notice runs nothing. Hostile HTML (script, event handlers, javascript: URLs in
/// several disguises, style, iframes and srcdoc, SVG and MathML tricks, mutation XSS through noscript, forms, base,
/// meta refresh, objects) is saved at a real Central through the operators' API; the real Kiosk.Sync worker process
/// pulls it into the SQLite file of a real kiosk node process (<c>--Kiosk:ClinicIds=1</c>); and Chromium shows the
/// start screen in Kazakh, Russian and English, portrait and landscape. Every payload would, if it ran, set a window
/// property, change the document's title, open a dialog, or fetch or navigate to a marker path on the kiosk's own
/// origin (which the kiosk's CSP would let through, so only the sanitiser stops it): the test fails on any dialog,
/// any console message or page error, any Content-Security-Policy violation (which would mean an inline handler or
/// script reached the DOM and only the CSP saved the day), any request to the marker path or to another origin, and
/// any element or attribute in the notices outside the allow-list. The harmless remainder is there, links as text.
/// Axe and 48 px targets on the start screen with notices in each language.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NoticesBrowserTests(BrowserFixture browser, DemoCaFixture ca, ITestOutputHelper output) : IClassFixture<DemoCaFixture>
{
    internal const string Marker = "__notice_pwned";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>The hostile body, with <paramref name="words"/> as its harmless text in the language it is for.</summary>
    internal static string Hostile(string words) =>
        $"<p onmouseover=\"window.__pwned='p'\">{words} <b>08:00–18:00</b></p>" +
        $"<script>window.__pwned='script';document.title='PWNED';alert('PWNED');fetch('/{Marker}?script')</script>" +
        $"<img src=\"/{Marker}.png?img\" onerror=\"window.__pwned='img';alert('PWNED')\">" +
        $"<svg onload=\"window.__pwned='svg'\"><script>window.__pwned='svg-script'</script><image href=\"/{Marker}.svg?svg\"/>" +
        $"<a xlink:href=\"javascript:alert('PWNED')\"><text>svg-link</text></a><animate attributeName=\"href\" to=\"javascript:alert('PWNED')\"/></svg>" +
        "<ul><li><a href=\"javascript:window.__pwned='js';alert('PWNED')\">один</a></li>" +
        "<li><a href=\"JaVa&#x09;ScRiPt:document.title='PWNED'\">два</a></li>" +
        "<li><a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('PWNED')\">три</a></li></ul>" +
        $"<iframe src=\"/{Marker}?iframe\"></iframe><iframe srcdoc=\"&lt;script&gt;parent.__pwned='srcdoc'&lt;/script&gt;\"></iframe>" +
        $"<style>@import url('/{Marker}.css?import'); body {{ display: none }}</style>" +
        $"<p style=\"background:url('/{Marker}.png?style')\">стиль</p>" +
        $"<math><mtext><table><mglyph><style><img src=\"/{Marker}.png?math\" onerror=\"alert('PWNED')\"></style></mglyph></table></mtext></math>" +
        $"<noscript><p title=\"</noscript><img src='/{Marker}.png?noscript' onerror=alert('PWNED')>\"></noscript>" +
        $"<object data=\"/{Marker}?object\"></object><embed src=\"/{Marker}?embed\">" +
        $"<form action=\"/{Marker}?form\"><input autofocus onfocus=\"window.__pwned='focus'\"><button formaction=\"javascript:alert('PWNED')\">go</button></form>" +
        $"<base href=\"https://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=/{Marker}?meta\">" +
        $"<link rel=\"stylesheet\" href=\"/{Marker}.css?link\">" +
        "<details open ontoggle=\"window.__pwned='details'\"><summary>s</summary></details>" +
        $"<video><source onerror=\"window.__pwned='video'\"></video><audio src=\"/{Marker}.mp3?audio\" onerror=\"alert('PWNED')\"></audio>" +
        $"<a href=\"https://evil.example/{Marker}\">чужой сайт</a> <a href=\"//evil.example/{Marker}\">ещё</a> " +
        "<a href=\"https://emhana-1.astana.kz/flu\" target=\"_blank\" onclick=\"window.__pwned='click'\">Подробнее</a>";

    [Fact]
    public async Task Hostile_HTML_saved_at_Central_runs_nothing_on_the_kiosks_start_screen()
    {
        await using var central = new SyncCentral(ca, $"--Operators:Token={IntakeCentral.OperatorToken}");
        using (var c = central.Database.Open())
        {
            c.Execute("INSERT INTO reference_versions (version, created_at, note) VALUES (2, '2026-01-01T00:00:00.0000000Z', 'websites')");
            c.Execute("UPDATE clinics SET website = 'https://emhana-' || id || '.astana.kz/', version = 2");
        }
        await central.StartAsync();
        using var http = new HttpClient { BaseAddress = central.BaseUrl };

        var hostile = ReferencePullNoticeTests.Notice(central, "Прививки от гриппа", Hostile("Прививки бесплатно"), 1);
        var hostileNotice = await ReferencePullNoticeTests.SendAsync(http, HttpMethod.Post, "/api/notices", With(hostile,
            title: new { kk = "Тұмауға қарсы екпе", ru = "Прививки от гриппа", en = "Flu jabs" },
            body: new { kk = Hostile("Тегін екпе"), ru = Hostile("Прививки бесплатно"), en = Hostile("Free jabs") }));
        // Only in Russian: Kazakh and English screens fall back to it.
        var russianOnly = await ReferencePullNoticeTests.SendAsync(http, HttpMethod.Post, "/api/notices",
            ReferencePullNoticeTests.Notice(central, "16 декабря поликлиника не работает", "<p>День Независимости.</p>", 1));
        // For another clinic: never on this kiosk.
        var elsewhere = await ReferencePullNoticeTests.SendAsync(http, HttpMethod.Post, "/api/notices",
            ReferencePullNoticeTests.Notice(central, "Для другой поликлиники", "<p>Не здесь</p>", 2));
        Assert.DoesNotContain("script", hostileNotice.Body.Ru, StringComparison.OrdinalIgnoreCase); // sanitised on save already

        await using var node = await KioskNode.StartAsync($"--Sync:KioskId={SyncCentral.KioskId}", "--Kiosk:ClinicIds=1");
        using var worker = KioskFile.StartWorkerOn(node.DatabasePath, central.BaseUrl);
        var notices = new KioskNotices(StatusRows.Database(node.DatabasePath));
        try
        {
            await Eventually.That(() => notices.ValidAt(DateTimeOffset.UtcNow, [], 10).Count == 3, Patience, () => worker.Output);

            var origin = new Uri(node.BaseUrl).GetLeftPart(UriPartial.Authority);
            foreach (var lang in KioskBrowser.Languages)
            foreach (var orientation in KioskBrowser.Viewports.Keys)
                await CheckStartScreenAsync(node.BaseUrl, origin, lang, orientation, hostileNotice.Id, russianOnly.Id, elsewhere.Id);
        }
        finally
        {
            output.WriteLine("worker:\n" + worker.Output);
        }
    }

    private async Task CheckStartScreenAsync(string baseUrl, string origin, string lang, string orientation, long hostileId, long russianOnlyId, long elsewhereId)
    {
        var what = $"start with notices ({lang}, {orientation})";
        var (context, page) = await KioskBrowser.OpenAsync(browser, orientation);
        await using var _ = context;
        var requests = new ConcurrentQueue<string>();
        var dialogs = new ConcurrentQueue<string>();
        var console = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        context.Request += (_, request) => requests.Enqueue(request.Url);
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Enqueue(dialog.Type + ": " + dialog.Message);
            await dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            // The one message the kiosk's own page gives: Chromium does not know every feature of the kiosk's
            // Permissions-Policy header (KioskHeaders). Anything else counts.
            if (!message.Text.StartsWith("Error with Permissions-Policy header: Unrecognized feature", StringComparison.Ordinal))
                console.Enqueue(message.Type + ": " + message.Text);
        };
        page.PageError += (_, error) => errors.Enqueue(error);
        // Before any of the page's own code: every CSP violation is written down. There must be none: a violation
        // would mean an inline script or handler reached the DOM and only the policy kept it from running.
        await context.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));
            """);

        await KioskBrowser.StartWithLanguageAsync(page, baseUrl, lang);
        var title = await page.TitleAsync();
        // Time for anything delayed (a meta refresh, an image's error, a toggle event, autofocus) to have happened.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForTimeoutAsync(1500);

        var items = page.Locator("#notices .notices__list > li");
        await Assertions.Expect(items).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#notices-title")).ToHaveTextAsync(lang switch { "kk" => "Хабарландырулар", "en" => "Announcements", _ => "Объявления" });
        await Assertions.Expect(page.Locator($"#notice-{elsewhereId}")).ToHaveCountAsync(0);
        var hostile = page.Locator($"#notice-{hostileId}");
        await Assertions.Expect(hostile.Locator("h3")).ToHaveTextAsync(lang switch { "kk" => "Тұмауға қарсы екпе", "en" => "Flu jabs", _ => "Прививки от гриппа" });
        // The harmless remainder: the words, the bold hours, the list items, the link's words and its address as text.
        await Assertions.Expect(hostile.Locator("p").First).ToHaveTextAsync(
            (lang switch { "kk" => "Тегін екпе", "en" => "Free jabs", _ => "Прививки бесплатно" }) + " 08:00–18:00");
        await Assertions.Expect(hostile.Locator("b")).ToHaveTextAsync("08:00–18:00");
        await Assertions.Expect(hostile.Locator("li")).ToHaveTextAsync(["один", "два", "три"]);
        await Assertions.Expect(hostile.Locator(".notice-link")).ToHaveTextAsync("Подробнее emhana-1.astana.kz/flu");
        await Assertions.Expect(hostile).ToContainTextAsync("чужой сайт");
        await Assertions.Expect(page.Locator("#notices-addresses")).ToBeVisibleAsync();
        var fallback = page.Locator($"#notice-{russianOnlyId}");
        await Assertions.Expect(fallback.Locator("h3")).ToHaveTextAsync("16 декабря поликлиника не работает");
        if (lang != "ru") await Assertions.Expect(fallback).ToHaveAttributeAsync("lang", "ru");

        // Nothing in the notices but the allow-list: elements, attributes, no link to tap.
        var bad = await page.EvaluateAsync<string[]>("""
            () => {
              const allowed = ['li', 'h3', 'div', 'p', 'ul', 'ol', 'b', 'strong', 'br', 'span'];
              const bad = [];
              for (const el of document.querySelectorAll('#notices .notices__list *')) {
                if (!allowed.includes(el.localName) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') bad.push('<' + el.localName + '>');
                for (const a of el.attributes) {
                  const ok = (a.name === 'class') || (el.localName === 'li' && ['id', 'data-notice-id', 'data-lang', 'lang', 'class'].includes(a.name));
                  if (!ok || /javascript:|PWNED|__notice_pwned/i.test(a.value)) bad.push(el.localName + ' ' + a.name + '="' + a.value + '"');
                }
              }
              for (const el of document.querySelectorAll('base, meta[http-equiv], iframe, object, embed, form[action*="pwned"], link[href*="pwned"], script:not([src])'))
                bad.push('document: <' + el.localName + '>');
              return bad;
            }
            """);
        Assert.True(bad.Length == 0, $"{what}: {string.Join(", ", bad)}");

        // And nothing ran.
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        Assert.DoesNotContain("PWNED", title);
        Assert.DoesNotContain("PWNED", await page.TitleAsync());
        Assert.EndsWith("/", page.Url);
        Assert.Equal(origin, new Uri(page.Url).GetLeftPart(UriPartial.Authority));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__violations"));
        Assert.True(dialogs.IsEmpty, $"{what}: dialogs {string.Join(" | ", dialogs)}");
        Assert.True(console.IsEmpty, $"{what}: console {string.Join(" | ", console)}");
        Assert.True(errors.IsEmpty, $"{what}: page errors {string.Join(" | ", errors)}");
        var urls = requests.ToList();
        Assert.NotEmpty(urls);
        var wrong = urls.Where(u => u.Contains(Marker, StringComparison.Ordinal) || new Uri(u).GetLeftPart(UriPartial.Authority) != origin).ToList();
        Assert.True(wrong.Count == 0, $"{what}: requests {string.Join(", ", wrong)}");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserFixture.ScreenshotPath($"start-notices-{lang}-{orientation}"), FullPage = true });
        await AccessibilityChecks.AssertNoAxeViolationsAsync(page, what);
        await AccessibilityChecks.AssertTargetsAtLeast48Async(page, what);
    }

    /// <summary>The operator's request with other titles and bodies.</summary>
    private static object With(object request, object title, object body)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(request, IntakeCentral.Json)!.AsObject();
        json["title"] = System.Text.Json.JsonSerializer.SerializeToNode(title, IntakeCentral.Json);
        json["body"] = System.Text.Json.JsonSerializer.SerializeToNode(body, IntakeCentral.Json);
        return json;
    }
}
