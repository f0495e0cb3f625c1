using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Web;
using static Kiosk.Tests.Central.Staff.CentralStaffKit;

namespace Kiosk.Tests.Central.Operators;

/// <summary>
/// Central's operator pages for notices, the survey and step times over real HTTP (issue 12 items 4–6): operators only
/// (anonymous → sign-in, a registrar → refused), antiforgery on every form; a notice written on the page reaches the
/// API and the kiosks' reference data with the operator as its author, its preview shows only what a kiosk would show,
/// its field errors are named; survey answers and step times pushed by a kiosk appear in the pages' tables, charts
/// and CSV downloads.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class OperatorReportPagesTests(DemoCaFixture ca)
{
    private static string Base(IntakeCentral central) => central.Http.BaseAddress!.ToString().TrimEnd('/');

    private static async Task<KioskClient> OperatorAsync(IntakeCentral central)
    {
        Add(central, OperatorIin, "operator", ProviderBin, name: "Оператор Первый");
        var browser = new KioskClient(Base(central));
        await SignInOperatorAsync(browser);
        return browser;
    }

    private const string Hostile = """<p>Грипп: <b>прививки</b></p><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a><a href="https://evil.example/">злой</a><iframe src="https://evil.example/"></iframe><svg onload="alert(4)"></svg><p style="color:red">стиль</p>""";

    [Fact]
    public async Task Only_operators_open_the_pages_and_every_form_needs_its_token()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        Add(central, RegistrarIin, "registrar", ClinicBin);
        using var anonymous = new KioskClient(Base(central));
        foreach (var path in new[] { "/notices", "/notices/edit", "/survey", "/step-times", "/survey?handler=Csv" })
        {
            var (response, _) = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/staff/sign-in", Where(response));
        }
        using var registrar = new KioskClient(Base(central));
        var (refused, _) = await SignInAsync(registrar, RegistrarIin);
        Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode); // not an operator: no session at Central
        Assert.Equal(HttpStatusCode.Redirect, (await registrar.GetAsync("/notices")).Response.StatusCode);

        using var op = await OperatorAsync(central);
        var (page, html) = await op.GetAsync("/notices/edit");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"nav-notices\"", html);
        // Every form of the page carries its own token (the sign-out form's is not enough for a browser).
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(html, "name=\"__RequestVerificationToken\""));
        var (noToken, _) = await op.PostAsync("/notices/edit?handler=Save", [new("TitleRu", "Без токена")], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Empty(central.Database.Open().Query<long>("SELECT id FROM notices"));
    }

    [Fact]
    public async Task A_notice_written_on_the_page_is_previewed_as_a_kiosk_shows_it_saved_with_its_author_and_withdrawn()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        using (var c = central.Database.Open()) c.Execute("UPDATE clinics SET website = 'https://clinic1.example.kz' WHERE id = 1");
        using var op = await OperatorAsync(central);
        await op.GetAsync("/notices/edit");
        var from = central.Time.GetUtcNow().AddHours(-1);
        string Astana(DateTimeOffset t) => Kiosk.Central.Notices.NoticeTimes.Astana(t);
        List<KeyValuePair<string, string>> Form(string title, string body, DateTimeOffset to, params long[] clinics) =>
        [
            new("TitleRu", title), new("BodyRu", body), new("TitleKk", ""), new("BodyKk", ""), new("TitleEn", ""), new("BodyEn", ""),
            new("ValidFrom", Astana(from)), new("ValidTo", Astana(to)),
            .. clinics.Select(id => new KeyValuePair<string, string>("ClinicIds", id.ToString())),
        ];

        // Preview: the allowed parts only, the link to the clinic's own site as text, nothing saved.
        var (preview, previewHtml) = await op.PostAsync("/notices/edit?handler=Preview",
            Form("Прививки", Hostile + """<p><a href="https://clinic1.example.kz/flu">Запись</a></p>""", from.AddDays(3), 1));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var section = previewHtml[previewHtml.IndexOf("id=\"notice-preview\"", StringComparison.Ordinal)..previewHtml.IndexOf("id=\"notice-form\"", StringComparison.Ordinal)];
        Assert.Contains("<b>прививки</b>", section);
        Assert.Contains("clinic1.example.kz/flu", section);
        foreach (var bad in new[] { "<script", "onerror", "javascript:", "evil.example", "<iframe", "<svg", "style=", "href=" })
            Assert.DoesNotContain(bad, section, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("id=\"notice-removed\"", previewHtml);
        Assert.Empty(central.Database.Open().Query<long>("SELECT id FROM notices"));
        // The textarea gives back what was typed, encoded: never as markup.
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", previewHtml);

        // Field errors are named next to their inputs, and nothing is saved.
        var (invalid, invalidHtml) = await op.PostAsync("/notices/edit?handler=Save", Form("", "", from.AddHours(-2)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("data-field=\"clinicIds\" data-code=\"required\"", invalidHtml);
        Assert.Contains("data-field=\"title\" data-code=\"required\"", invalidHtml);
        Assert.Contains("data-field=\"validTo\" data-code=\"order\"", invalidHtml);
        var (unknown, unknownHtml) = await op.PostAsync("/notices/edit?handler=Save", Form("Прививки", "", from.AddDays(1), 4040));
        Assert.Contains("data-code=\"unknown-clinic\"", unknownHtml);
        Assert.Empty(central.Database.Open().Query<long>("SELECT id FROM notices"));

        // Saved: sanitised, the operator as its author, in the API and in the kiosks' reference data.
        var (saved, _) = await op.PostAsync("/notices/edit?handler=Save", Form("Прививки", Hostile, from.AddDays(3), 1));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = central.Database.Open().QuerySingle<long>("SELECT id FROM notices");
        Assert.Equal($"/notices?saved={id}", Where(saved));
        var (author, body) = central.Database.Open().QuerySingle<(string, string)>("SELECT created_by, body_ru FROM notices WHERE id = @id", new { id });
        Assert.Equal("staff:" + OperatorIin, author);
        Assert.DoesNotContain("script", body);
        var (list, listHtml) = await op.GetAsync($"/notices?saved={id}");
        Assert.Contains($"data-notice=\"{id}\" data-state=\"current\"", listHtml);
        Assert.Contains("id=\"notice-saved\"", listHtml);

        using (var pull = await central.Http.SendAsync(central.KioskRequest(HttpMethod.Get, "/api/sync/reference?since=0")))
            Assert.Contains("Прививки", await pull.Content.ReadAsStringAsync());

        // Edited, then withdrawn (final: the editor sends the operator back to the list).
        await op.GetAsync($"/notices/edit/{id}");
        var (edited, _) = await op.PostAsync($"/notices/edit/{id}?handler=Save", Form("Прививки, исправлено", "<p>ok</p>", from.AddDays(2), 1));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal("Прививки, исправлено", central.Database.Open().QuerySingle<string>("SELECT title_ru FROM notices WHERE id = @id", new { id }));
        var (withdrawn, _) = await op.PostAsync($"/notices/edit/{id}?handler=Withdraw", []);
        Assert.Equal($"/notices?withdrawn={id}", Where(withdrawn));
        Assert.Equal(("staff:" + OperatorIin, 1L),
            central.Database.Open().QuerySingle<(string, long)>("SELECT withdrawn_by, withdrawn FROM notices WHERE id = @id", new { id }));
        Assert.Equal(HttpStatusCode.Redirect, (await op.GetAsync($"/notices/edit/{id}")).Response.StatusCode);
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains("Прививки") || l.Contains(OperatorIin));
    }

    [Fact]
    public async Task Survey_answers_and_step_times_a_kiosk_pushed_appear_in_the_pages_charts_and_CSV()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, Options);
        var day = central.Day.ToString("yyyy-MM-dd");
        object Item(string kind, string payload) => new { id = Guid.NewGuid().ToString("D"), kind, payload = JsonDocument.Parse(payload).RootElement };
        var request = central.KioskRequest(HttpMethod.Post, "/api/sync/feedback");
        request.Content = JsonContent.Create(new
        {
            items = new[]
            {
                Item("survey", $$"""{"service":"home-call","clinicId":1,"day":"{{day}}","q1":"fully"}"""),
                Item("survey", $$"""{"service":"home-call","clinicId":1,"day":"{{day}}","q1":"not"}"""),
                Item("survey", $$"""{"service":"appointment","clinicId":1,"day":"{{day}}","q2":"partly"}"""),
                Item("step-time", $$"""{"step":"sign-in","service":"home-call","durationMs":41000,"day":"{{day}}"}"""),
                Item("step-time", $$"""{"step":"sign-in","service":"home-call","durationMs":75000,"day":"{{day}}"}"""),
                Item("step-time", $$"""{"step":"registry-lookup","service":"home-call","durationMs":1200,"day":"{{day}}"}"""),
            },
        }, options: IntakeCentral.Json);
        using (var pushed = await central.Http.SendAsync(request)) Assert.True(pushed.IsSuccessStatusCode);
        using var op = await OperatorAsync(central);

        var (survey, surveyHtml) = await op.GetAsync($"/survey?from={day}&to={day}&service=home-call");
        Assert.Equal(HttpStatusCode.OK, survey.StatusCode);
        Assert.Contains("<svg", surveyHtml);
        var row = Row(surveyHtml, "data-service=\"home-call\" data-clinic=\"1\" data-question=\"q1\"");
        Assert.Contains("<td data-rating=\"fully\">1</td>", row);
        Assert.Contains("<td data-rating=\"not\">1</td>", row);
        Assert.DoesNotContain("data-service=\"appointment\"", surveyHtml); // the service filter
        var (csv, csvText) = await op.GetAsync($"/survey?handler=Csv&from={day}&to={day}&service=");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("home-call", csvText);
        Assert.Contains("appointment", csvText);
        var (bad, badHtml) = await op.GetAsync("/survey?from=2026-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"survey-problem\"", badHtml);

        var (steps, stepsHtml) = await op.GetAsync($"/step-times?from={day}&to={day}");
        Assert.Equal(HttpStatusCode.OK, steps.StatusCode);
        Assert.Contains("<svg", stepsHtml);
        var signIn = Row(stepsHtml, "data-step=\"sign-in\" data-count=\"2\"");
        Assert.Contains("30 s – 1 min", signIn); // the norm beside the figures
        Assert.Contains("<td data-field=\"over\">50 % (1)</td>", signIn); // 75 s is over the 60 s norm
        Assert.Contains("data-step=\"registry-lookup\" data-count=\"1\"", stepsHtml);
        Assert.Contains("id=\"steps-table-2\"", stepsHtml); // the desk's table 2
        var (oneKiosk, oneHtml) = await op.GetAsync($"/step-times?from={day}&to={day}&kiosk={IntakeCentral.KioskId}");
        Assert.Contains("data-step=\"sign-in\" data-count=\"2\"", oneHtml);
        var (unknownKiosk, _) = await op.GetAsync("/step-times?kiosk=nobody");
        Assert.Equal(HttpStatusCode.BadRequest, unknownKiosk.StatusCode);
        var (stepsCsv, stepsCsvText) = await op.GetAsync($"/step-times?handler=Csv&from={day}&to={day}");
        Assert.Equal("text/csv", stepsCsv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("registry-lookup", stepsCsvText);
    }

    private static string Row(string html, string marker)
    {
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row {marker}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }
}
