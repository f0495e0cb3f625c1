using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Kiosk.Core.Charts;
using Kiosk.Core.Feedback;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Node.Feedback;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Kiosk.Tests.Sync;
using Kiosk.Tests.Web.Status;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// Issue 12 "Done when": "a survey answer from a kiosk appears in Central's chart; step times from an end-to-end run
/// appear with the norms". Everything real on loopback: the kiosk node (its own process), the real Kiosk.Sync worker
/// process on its file, and a real Central (in this process, its clock at 10:05 on the test Wednesday, an operator
/// token). In Chromium a citizen signs in, files a home call and signs it; Central accepts it; on "check my request" the
/// survey of appendix 3 appears (axe and 48 px targets in Russian, Kazakh and English); the citizen answers both
/// questions with one tap each. The worker pushes the answers and the step times to Central, and Central's survey
/// chart and CSV count them, its step-time chart shows sign-in, form and sign and send beside their norms.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SurveyBrowserTests(BrowserFixture browser, DemoCaFixture ca, ITestOutputHelper output) : IClassFixture<DemoCaFixture>
{
    private const string OperatorToken = "operator-token-for-survey-tests-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly XNamespace Svg = SvgWriter.Namespace;

    private static readonly Dictionary<string, (string Title, string Q1, string Fully)> Words = new()
    {
        ["ru"] = ("Оцените, пожалуйста, услугу", "Удовлетворены ли Вы качеством процесса и результатом оказания электронной государственной услуги?", "Удовлетворен"),
        ["kk"] = ("Қызметті бағалаңызшы", "Электрондық мемлекеттік қызмет көрсету процесінің сапасына және нәтижесіне қанағаттанасыз ба?", "Қанағаттанамын"),
        ["en"] = ("Please rate the service", "Are you satisfied with the quality of the process and the result of the electronic public service?", "Satisfied"),
    };

    [Fact]
    public async Task A_citizen_answers_the_survey_at_the_kiosk_and_Central_charts_the_answers_and_the_step_times_beside_the_norms()
    {
        var sign = SyncRequests.Citizens(ca)[1];
        var auth = ca.Manifest.Files.Single(f => f.Case == "valid" && f.KeyType == "AUTH" && f.Iin == sign.Iin);
        await using var central = new SyncCentral(ca, $"--Operators:Token={OperatorToken}");
        central.RememberKioskClock(SyncCentral.KioskId, DateTimeOffset.UtcNow);
        await central.StartAsync();
        await using var node = await KioskNode.StartAsync($"--Pki:TrustDirectory={ca.Ca.TrustDirectory}", $"--Sync:KioskId={SyncCentral.KioskId}",
            $"--Sync:Credential={SyncCentral.Credential}", $"--Central:BaseUrl={central.BaseUrl}", "--Central:LookupTimeout=00:00:20",
            "--Feedback:SurveySendDelayMax=00:00:00");
        using var worker = KioskFile.StartWorkerOn(node.DatabasePath, central.BaseUrl);
        var kiosk = StatusRows.Database(node.DatabasePath);
        using var http = new HttpClient { BaseAddress = central.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        try
        {
            var (context, page) = await KioskBrowser.OpenAsync(browser, "portrait");
            await using var _ = context;

            // The whole home call in Chromium: sign-in, form, review, signature (the three steps of table 1).
            var requestId = await KioskBrowser.FileHomeCallAsync(page, node.BaseUrl, ca.Ca, auth, sign);
            await Eventually.That(() => new DecisionStore(kiosk).Get(requestId) is not null, Patience, () => worker.Output);

            // "Check my request": the decision, and under it the survey.
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#receipt-check-status");
            var item = page.Locator($"#status-list > li[data-request-id=\"{requestId:D}\"]");
            await Expect(item).ToHaveAttributeAsync("data-status", "accepted");
            var survey = item.Locator("#survey");
            await Expect(survey).ToHaveAttributeAsync("data-state", "open");

            foreach (var lang in new[] { "ru", "kk", "en" })
            {
                if (lang != "ru") await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#lang-{lang}");
                await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
                await Expect(page.Locator("#survey-title")).ToHaveTextAsync(Words[lang].Title);
                await Expect(page.Locator("[data-question=q1] legend")).ToHaveTextAsync(Words[lang].Q1);
                await Expect(page.Locator("#survey-q1-fully")).ToHaveTextAsync(Words[lang].Fully);
                await page.Locator("#survey").ScrollIntoViewIfNeededAsync();
                await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"survey-{lang}-portrait"), FullPage = true });
                await AccessibilityChecks.AssertNoAxeViolationsAsync(page, $"the survey ({lang})");
                await AccessibilityChecks.AssertTargetsAtLeast48Async(page, $"the survey ({lang})");
            }

            // One tap per question (in English now): each is recorded at once; then thanks.
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#survey-q1-fully");
            await Expect(page.Locator("[data-question=q1]")).ToHaveAttributeAsync("data-answered", "true");
            await Expect(page.Locator("[data-question=q1] [data-field=survey-done]")).ToHaveTextAsync("Thank you, your answer is recorded.");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "the survey with q1 answered");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#survey-q2-partly");
            await Expect(page.Locator("#survey")).ToHaveAttributeAsync("data-state", "thanks");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "the survey's thanks");

            // The worker pushes every feedback item: two answers and the three step times.
            var outbox = new FeedbackOutbox(kiosk);
            await Eventually.That(() => outbox.All() is { Count: 5 } all && all.All(e => e.State == OutboxStore.Sent), Patience,
                () => $"{string.Join('\n', outbox.All().Select(e => $"{e.Kind} {e.State} {e.LastError}"))}\nworker:\n{worker.Output}");

            var today = AstanaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd");
            var month = today[..7];
            var period = $"from={today}&to={today}";

            // Central's survey chart counts the two answers: home call, clinic 1 (from the provider's slip), this month.
            using var chart = await http.GetAsync("/api/reports/survey.svg?" + period);
            Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType?.MediaType);
            var svg = XDocument.Parse(await chart.Content.ReadAsStringAsync());
            var group = svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("data-service") == "home-call");
            Assert.Equal(("1", month), ((string)group.Attribute("data-clinic")!, (string)group.Attribute("data-month")!));
            Dictionary<string, string> Counts(string question) => group.Elements(Svg + "g").Single(g => (string?)g.Attribute("data-question") == question)
                .Elements(Svg + "rect").Where(r => r.Attribute("data-answer") is not null)
                .ToDictionary(r => (string)r.Attribute("data-answer")!, r => (string)r.Attribute("data-count")!);
            Assert.Equal(new Dictionary<string, string> { ["not"] = "0", ["partly"] = "0", ["fully"] = "1" }, Counts("q1"));
            Assert.Equal(new Dictionary<string, string> { ["not"] = "0", ["partly"] = "1", ["fully"] = "0" }, Counts("q2"));
            Assert.Contains(group.Descendants(Svg + "text"), t => t.Value == "not satisfied 0 (0%) · partly satisfied 0 (0%) · satisfied 1 (100%)");

            // And its CSV.
            using var csv = await http.GetAsync("/api/reports/survey.csv?" + period);
            var lines = Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n");
            Assert.Contains($"{month},home-call,1,П,q1,fully,1,1,100.0", lines);
            Assert.Contains($"{month},home-call,1,П,q2,partly,1,1,100.0", lines);

            // The step times of this run, beside the norms of table 1, for the kiosk and the fleet.
            using var steps = await http.GetAsync("/api/reports/step-times.svg?" + period);
            var stepSvg = XDocument.Parse(await steps.Content.ReadAsStringAsync());
            foreach (var (code, normMs) in new[] { (StepCatalogue.SignIn, "60000"), (StepCatalogue.Form, "90000"), (StepCatalogue.SignAndSend, "60000") })
            {
                var step = stepSvg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("data-step") == code);
                Assert.Equal(normMs, (string?)step.Attribute("data-norm-max-ms"));
                var scopes = step.Elements(Svg + "g").ToDictionary(g => (string)g.Attribute("data-scope")!);
                Assert.Equal(["fleet", SyncCentral.KioskId], scopes.Keys);
                Assert.Equal("1", (string?)scopes[SyncCentral.KioskId].Attribute("data-count"));
                Assert.True(long.Parse((string)scopes["fleet"].Attribute("data-median-ms")!) > 0);
                Assert.Contains(scopes["fleet"].Elements(Svg + "text"), t => t.Value.StartsWith("median ", StringComparison.Ordinal));
            }
            using var json = await http.GetAsync("/api/reports/step-times?" + period);
            var report = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement;
            var signIn = report.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == StepCatalogue.SignIn);
            Assert.Equal("30 s – 1 min", signIn.GetProperty("norm").GetString());
            Assert.Equal(1, signIn.GetProperty("fleet").GetProperty("count").GetInt32());

            // Pictures of both charts as a browser draws them (TestResults/screenshots; docs/images has copies).
            var charts = await context.NewPageAsync();
            foreach (var (name, path) in new[] { ("survey-chart", "/api/reports/survey.svg?"), ("step-times-chart", "/api/reports/step-times.svg?") })
            {
                using var picture = await http.GetAsync(path + period);
                await charts.SetContentAsync("<!DOCTYPE html><html><body style=\"margin:0\">" + await picture.Content.ReadAsStringAsync() + "</body></html>");
                await charts.Locator("svg").ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath(name) });
            }

            // Nothing personal anywhere on the way.
            Assert.DoesNotContain(sign.Iin!, node.Process.Output);
            Assert.DoesNotContain(sign.Iin!, worker.Output);
            Assert.DoesNotContain(central.Logs.Lines, l => l.Contains(sign.Iin!) || l.Contains(requestId.ToString("D")) && l.Contains("eedback"));
        }
        finally
        {
            output.WriteLine("worker:\n" + worker.Output);
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
