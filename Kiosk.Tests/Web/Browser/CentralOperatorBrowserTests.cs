using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Kiosk.Tests.Central.Staff.CentralStaffKit;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// Central's operator pages in Chromium (issue 12 items 4–6): an operator signs in, writes a notice with the hostile
/// HTML of <see cref="NoticesBrowserTests"/> in the editor, previews it and saves it — no dialog, no page error, no CSP
/// violation, no request to the marker path or another origin, the window flag the payloads would set stays unset,
/// and the preview shows the allowed remainder (bold, the list, the clinic's own link as text); then the survey and
/// step-time pages show their SVG charts of what a kiosk pushed. Axe on every page; screenshots for docs/images.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CentralOperatorBrowserTests(BrowserFixture browser, DemoCaFixture ca, ITestOutputHelper output) : IClassFixture<DemoCaFixture>
{
    [Fact]
    public async Task An_operator_writes_a_hostile_notice_that_runs_nothing_and_reads_the_survey_and_step_time_charts()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        using (var c = central.Database.Open()) c.Execute("UPDATE clinics SET website = 'https://emhana-' || id || '.astana.kz/'");
        Add(central, OperatorIin, "operator", ProviderBin, name: "Оператор Первый");
        await PushFeedbackAsync(central);
        var baseUrl = central.Http.BaseAddress!.ToString().TrimEnd('/');
        var origin = new Uri(baseUrl).GetLeftPart(UriPartial.Authority);

        var (context, page) = await KioskBrowser.OpenAsync(browser, "landscape");
        await using var _ = context;
        var requests = new ConcurrentQueue<string>();
        var dialogs = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        context.Request += (_, request) => requests.Enqueue(request.Url);
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Enqueue(dialog.Type + ": " + dialog.Message);
            await dialog.DismissAsync();
        };
        page.PageError += (_, error) => errors.Enqueue(error);
        await context.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));
            """);
        try
        {
            await page.GotoAsync(baseUrl + "/notices");
            await page.WaitForURLAsync("**/staff/sign-in**");
            await page.Locator("#iin").FillAsync(OperatorIin);
            await page.Locator("#password").FillAsync(Password);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#sign-in");
            await page.WaitForURLAsync("**/notices");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "central notices (empty)");

            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#notice-new");
            await page.Locator("#TitleRu").FillAsync("Прививки от гриппа");
            await page.Locator("#BodyRu").FillAsync(NoticesBrowserTests.Hostile("Прививки бесплатно"));
            await page.Locator("#TitleEn").FillAsync("Flu jabs");
            await page.Locator("#BodyEn").FillAsync(NoticesBrowserTests.Hostile("Free jabs"));
            await page.Locator("#clinic-1").CheckAsync();
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#notice-preview-button");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.WaitForTimeoutAsync(1000); // anything delayed (an image's error, a toggle, autofocus) has happened

            var ru = page.Locator("#notice-preview [data-language=ru]");
            await Assertions.Expect(ru.Locator("h3")).ToHaveTextAsync("Прививки от гриппа");
            await Assertions.Expect(ru.Locator("b")).ToHaveTextAsync("08:00–18:00");
            await Assertions.Expect(ru.Locator("li")).ToHaveTextAsync(["один", "два", "три"]);
            await Assertions.Expect(ru.Locator(".notice-link")).ToHaveTextAsync("Подробнее emhana-1.astana.kz/flu");
            await Assertions.Expect(page.Locator("#notice-preview [data-language=en] b")).ToHaveTextAsync("08:00–18:00");
            await Assertions.Expect(page.Locator("#notice-removed")).ToContainTextAsync("script");
            // What was typed is back in the textarea as text, for the operator to correct.
            Assert.Contains("<script>", await page.Locator("#BodyRu").InputValueAsync());
            Assert.Empty(await page.Locator("#notice-preview a, #notice-preview script, #notice-preview iframe, #notice-preview img, #notice-preview svg, #notice-preview style").AllAsync());
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("central-notice-editor"), FullPage = true });
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "central notice preview");

            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#notice-save");
            await page.WaitForURLAsync("**/notices?saved=*");
            await Assertions.Expect(page.Locator("#notice-saved")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#notices tbody tr")).ToHaveCountAsync(1);
            // A new notice starts at the next full hour by default.
            await Assertions.Expect(page.Locator("#notices tbody tr")).ToHaveAttributeAsync("data-state", "scheduled");
            var id = central.Database.Open().QuerySingle<long>("SELECT id FROM notices");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#notice-edit-{id}"); // the saved copy in the editor
            await Assertions.Expect(page.Locator("#TitleRu")).ToHaveValueAsync("Прививки от гриппа");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "central notice editor");

            // Nothing ran.
            Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
            Assert.DoesNotContain("PWNED", await page.TitleAsync());
            Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__violations"));
            Assert.True(dialogs.IsEmpty, "dialogs: " + string.Join(" | ", dialogs));
            Assert.True(errors.IsEmpty, "page errors: " + string.Join(" | ", errors));
            var wrong = requests.Where(u => u.Contains(NoticesBrowserTests.Marker, StringComparison.Ordinal)
                                            || new Uri(u).GetLeftPart(UriPartial.Authority) != origin).ToList();
            Assert.True(wrong.Count == 0, "requests: " + string.Join(", ", wrong));

            // The survey and the step times a kiosk pushed, as charts.
            var day = central.Day.ToString("yyyy-MM-dd");
            await page.GotoAsync($"{baseUrl}/survey?from={day}&to={day}");
            await Assertions.Expect(page.Locator("#survey-chart svg")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#survey-table tbody tr")).ToHaveCountAsync(2);
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("central-survey"), FullPage = true });
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "central survey");
            await page.GotoAsync($"{baseUrl}/step-times?from={day}&to={day}");
            await Assertions.Expect(page.Locator("#steps-chart svg")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#steps-table-1 [data-step=sign-in]")).ToHaveAttributeAsync("data-count", "3");
            await Assertions.Expect(page.Locator("#steps-table-2 [data-step=desk-signing]")).ToHaveAttributeAsync("data-count", "1");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("central-step-times"), FullPage = true });
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "central step times");
        }
        catch
        {
            output.WriteLine(string.Join("\n", central.Logs.Lines.TakeLast(40)));
            throw;
        }
    }

    private static async Task PushFeedbackAsync(IntakeCentral central)
    {
        var day = central.Day.ToString("yyyy-MM-dd");
        object Item(string kind, string payload) => new { id = Guid.NewGuid().ToString("D"), kind, payload = JsonDocument.Parse(payload).RootElement };
        var request = central.KioskRequest(HttpMethod.Post, "/api/sync/feedback");
        request.Content = JsonContent.Create(new
        {
            items = new[]
            {
                Item("survey", $$"""{"service":"home-call","clinicId":1,"day":"{{day}}","q1":"fully","q2":"partly"}"""),
                Item("survey", $$"""{"service":"home-call","clinicId":1,"day":"{{day}}","q1":"not"}"""),
                Item("step-time", $$"""{"step":"sign-in","service":"home-call","durationMs":41000,"day":"{{day}}"}"""),
                Item("step-time", $$"""{"step":"sign-in","service":"home-call","durationMs":52000,"day":"{{day}}"}"""),
                Item("step-time", $$"""{"step":"sign-in","service":"home-call","durationMs":75000,"day":"{{day}}"}"""),
                Item("step-time", $$"""{"step":"form","service":"home-call","durationMs":60000,"day":"{{day}}"}"""),
                Item("step-time", $$"""{"step":"staff-sign-in","durationMs":12000,"day":"{{day}}"}"""),
                Item("step-time", $$"""{"step":"desk-signing","service":"appointment","durationMs":21000,"day":"{{day}}"}"""),
            },
        }, options: IntakeCentral.Json);
        using var pushed = await central.Http.SendAsync(request);
        Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
    }
}
