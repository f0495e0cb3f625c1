using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Dapper;
using Kiosk.Central.Feedback;
using Kiosk.Core.Charts;
using Kiosk.Core.Feedback;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Sync;

namespace Kiosk.Tests.Central.Feedback;

/// <summary>
/// Central's feedback over real HTTP (issue 12 items 5–6): the kiosk-authenticated intake (strict, per item, idempotent
/// by item id, survey answers stored without the kiosk) and the operators' JSON, CSV and SVG reports behind the
/// operator token.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class FeedbackApiTests(DemoCaFixture ca)
{
    private sealed record ItemAnswer(string? Id, string Status, string? Reason);
    private sealed record PushAnswer(List<ItemAnswer> Results, DateTimeOffset ServerTime);

    private static readonly XNamespace Svg = SvgWriter.Namespace;

    private static object Item(string kind, string payload, Guid? id = null) =>
        new { id = (id ?? Guid.NewGuid()).ToString("D"), kind, payload = JsonDocument.Parse(payload).RootElement };

    private static string Day(IntakeCentral central, int days = 0) => central.Day.AddDays(days).ToString("yyyy-MM-dd");

    private static async Task<HttpResponseMessage> PushRawAsync(IntakeCentral central, object body, string? credential = null)
    {
        var request = central.KioskRequest(HttpMethod.Post, "/api/sync/feedback", credential);
        request.Content = JsonContent.Create(body, options: IntakeCentral.Json);
        return await central.Http.SendAsync(request);
    }

    private static async Task<List<ItemAnswer>> PushAsync(IntakeCentral central, params object[] items)
    {
        using var response = await PushRawAsync(central, new { items });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<PushAnswer>(body, IntakeCentral.Json)!.Results;
    }

    [Fact]
    public async Task Items_are_answered_one_by_one_stored_once_however_often_pushed_and_survey_answers_carry_no_kiosk()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var survey = Guid.NewGuid();
        var step = Guid.NewGuid();
        object[] batch =
        [
            Item("survey", $$"""{"service":"home-call","clinicId":1,"day":"{{Day(central)}}","q1":"fully"}""", survey),
            Item("step-time", $$"""{"step":"sign-in","service":"home-call","durationMs":41000,"day":"{{Day(central)}}"}""", step),
        ];
        var first = await PushAsync(central, batch);
        Assert.Equal([(survey.ToString("D"), "stored"), (step.ToString("D"), "stored")], first.Select(a => (a.Id, a.Status)));

        // The kiosk lost the answer and pushes again: told "duplicate", nothing stored twice.
        var again = await PushAsync(central, batch);
        Assert.All(again, a => Assert.Equal("duplicate", a.Status));
        Assert.Equal(1, CentralFile.Count(central.Database, "SELECT count(*) FROM survey_answers"));
        Assert.Equal(1, CentralFile.Count(central.Database, "SELECT count(*) FROM step_times"));

        // Stored: the survey answer's service, clinic, day and answers only — no kiosk, no time of receipt; the step time with its kiosk.
        using var c = central.Database.Open();
        var columns = c.Query<string>("SELECT name FROM pragma_table_info('survey_answers')").ToList();
        Assert.Equal(["id", "service", "clinic_id", "day", "q1", "q2"], columns);
        var row = c.QuerySingle<(string Service, long Clinic, string Day, string Q1, string? Q2)>("SELECT service, clinic_id, day, q1, q2 FROM survey_answers");
        Assert.Equal(("home-call", 1L, Day(central), "fully", (string?)null), row);
        var time = c.QuerySingle<(string Kiosk, string Channel, string Step, long Ms)>("SELECT kiosk_id, channel, step, duration_ms FROM step_times");
        Assert.Equal((IntakeCentral.KioskId, "kiosk", "sign-in", 41000L), time);
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains(survey.ToString("D")));
    }

    [Fact]
    public async Task Each_bad_item_is_rejected_with_its_reason_while_the_good_ones_of_the_batch_are_stored()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var today = Day(central);
        var good = Guid.NewGuid();
        var answers = await PushAsync(central,
            Item("survey", $$"""{"service":"home-call","day":"{{today}}","q2":"partly"}""", good),
            Item("survey", $$"""{"service":"home-call","day":"{{today}}","q1":"fully","iin":"880101300123"}"""),
            Item("survey", $$"""{"service":"home-call","clinicId":999,"day":"{{today}}","q1":"fully"}"""),
            Item("survey", $$"""{"service":"home-call","day":"{{Day(central, 2)}}","q1":"fully"}"""),
            Item("survey", $$"""{"service":"home-call","day":"{{Day(central, -401)}}","q1":"fully"}"""),
            Item("step-time", $$"""{"step":"coffee","durationMs":1000,"day":"{{today}}"}"""),
            Item("rumour", """{"text":"x"}"""),
            new { id = "NOT-A-UUID", kind = "survey", payload = new { service = "home-call", day = today, q1 = "fully" } },
            new { id = Guid.NewGuid().ToString("D").ToUpperInvariant(), kind = "survey", payload = new { service = "home-call", day = today, q1 = "fully" } },
            new { id = Guid.NewGuid().ToString("D"), kind = "survey", payload = new { service = "home-call", day = today, q1 = "fully" }, requestId = Guid.NewGuid() },
            new { id = Guid.NewGuid().ToString("D"), kind = "survey" });
        Assert.Equal(
        [
            ("stored", null), ("rejected", "invalid-payload"), ("rejected", "unknown-clinic"), ("rejected", "day-out-of-range"),
            ("rejected", "day-out-of-range"), ("rejected", "invalid-payload"), ("rejected", "unknown-kind"), ("rejected", "invalid-item"),
            ("rejected", "invalid-item"), ("rejected", "invalid-item"), ("rejected", "invalid-item"),
        ], answers.Select(a => (a.Status, a.Reason)));
        Assert.Equal(good.ToString("D"), answers[0].Id);
        Assert.Equal(1, CentralFile.Count(central.Database, "SELECT count(*) FROM survey_answers"));
        Assert.Equal(0, CentralFile.Count(central.Database, "SELECT count(*) FROM step_times"));

        // The batch itself: the kiosk's credential, a JSON object with items, not too many.
        using (var anonymous = await central.Http.PostAsJsonAsync("/api/sync/feedback", new { items = Array.Empty<object>() }))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var wrong = await PushRawAsync(central, new { items = Array.Empty<object>() }, "wrong_" + new string('x', 40)))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using (var shapeless = await PushRawAsync(central, new { things = 1 }))
            Assert.Equal(HttpStatusCode.BadRequest, shapeless.StatusCode);
        using (var many = await PushRawAsync(central, new { items = Enumerable.Range(0, 201).Select(_ => new { }).ToArray() }))
            Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        var text = new HttpRequestMessage(HttpMethod.Post, "/api/sync/feedback") { Content = new StringContent("items", Encoding.UTF8, "text/plain") };
        text.Headers.Authorization = central.KioskRequest(HttpMethod.Post, "/").Headers.Authorization;
        using (var plain = await central.Http.SendAsync(text)) Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
    }

    [Fact]
    public async Task The_survey_report_counts_each_question_per_service_clinic_and_month_as_JSON_CSV_and_chart()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        // A clinic name that is hostile to CSV and to markup.
        using (var c = central.Database.Open())
            c.Execute("UPDATE clinics SET name_ru = '=HYPERLINK(\"x\"), «Поликлиника №1»', name_en = '<script>alert(1)</script>' WHERE id = 1");
        var today = Day(central);
        var month = today[..7];
        await PushAsync(central,
            Item("survey", $$"""{"service":"home-call","clinicId":1,"day":"{{today}}","q1":"fully"}"""),
            Item("survey", $$"""{"service":"home-call","clinicId":1,"day":"{{today}}","q1":"fully"}"""),
            Item("survey", $$"""{"service":"home-call","clinicId":1,"day":"{{today}}","q1":"not"}"""),
            Item("survey", $$"""{"service":"home-call","clinicId":1,"day":"{{today}}","q2":"partly"}"""),
            Item("survey", $$"""{"service":"attachment","day":"{{today}}","q1":"partly","q2":"fully"}"""));
        var period = $"from={today}&to={today}";

        using var json = await central.OperatorAsync(HttpMethod.Get, "/api/reports/survey?" + period);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var report = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement;
        var groups = report.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(2, groups.Count);
        var homeCall = groups.Single(g => g.GetProperty("service").GetString() == "home-call");
        Assert.Equal((1L, month), (homeCall.GetProperty("clinicId").GetInt64(), homeCall.GetProperty("month").GetString()));
        Assert.Equal("""{"not":1,"partly":0,"fully":2,"total":3}""", homeCall.GetProperty("q1").GetRawText());
        Assert.Equal("""{"not":0,"partly":1,"fully":0,"total":1}""", homeCall.GetProperty("q2").GetRawText());
        Assert.Equal(JsonValueKind.Null, groups.Single(g => g.GetProperty("service").GetString() == "attachment").GetProperty("clinicId").ValueKind);

        // CSV: UTF-8 with a BOM, RFC 4180 quoting, CRLF, the formula defused, three answers per question.
        using var csv = await central.OperatorAsync(HttpMethod.Get, "/api/reports/survey.csv?" + period);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("attachment", csv.Content.Headers.ContentDisposition!.ToString());
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("", lines[^1]);
        Assert.DoesNotContain(lines, l => l.Contains('\n'));
        Assert.Equal("month,service,clinic_id,clinic_name,question,answer,count,question_total,share_percent", lines[0]);
        Assert.Equal(1 + 2 * 2 * 3, lines.Length - 1);
        Assert.Contains($"{month},home-call,1,\"'=HYPERLINK(\"\"x\"\"), «Поликлиника №1»\",q1,fully,2,3,66.7", lines);
        Assert.Contains($"{month},home-call,1,\"'=HYPERLINK(\"\"x\"\"), «Поликлиника №1»\",q2,not,0,1,0.0", lines);
        Assert.Contains($"{month},attachment,,,q2,fully,1,1,100.0", lines);

        // The chart: SVG with a strict CSP, the counts in it, the hostile name as text.
        using var chart = await central.OperatorAsync(HttpMethod.Get, "/api/reports/survey.svg?" + period);
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType!.MediaType);
        Assert.Equal(FeedbackEndpoints.ChartCsp, chart.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", chart.Headers.GetValues("X-Content-Type-Options").Single());
        var svg = await chart.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", svg);
        var doc = XDocument.Parse(svg);
        var group = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("data-service") == "home-call");
        var q1 = group.Elements(Svg + "g").Single(g => (string?)g.Attribute("data-question") == "q1");
        Assert.Equal(new[] { "1", "0", "2" }, q1.Elements(Svg + "rect").Where(r => r.Attribute("data-answer") is not null).Select(r => (string)r.Attribute("data-count")!));
        Assert.Contains(group.Elements(Svg + "text"), t => t.Value == $"Home doctor call · clinic 1 <script>alert(1)</script> · {month}");

        // Filters and bad queries.
        using var filtered = await central.OperatorAsync(HttpMethod.Get, $"/api/reports/survey?{period}&service=attachment");
        Assert.Single(JsonDocument.Parse(await filtered.Content.ReadAsStringAsync()).RootElement.GetProperty("groups").EnumerateArray());
        foreach (var bad in new[] { "from=2026-13-01", "from=2026-03-02&to=2026-03-01", "service=pizza", "clinic=0", "from=2020-01-01&to=2026-01-01" })
        {
            using var refused = await central.OperatorAsync(HttpMethod.Get, "/api/reports/survey?" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
    }

    [Fact]
    public async Task Step_times_report_median_p90_and_the_share_over_the_norm_per_kiosk_and_for_the_fleet()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var today = Day(central);
        // This kiosk: sign-in 20, 40, 50, 70 s (norm 1 min: one over); another kiosk's rows straight into the table.
        await PushAsync(central, [.. new[] { 20_000, 40_000, 50_000, 70_000 }.Select(ms =>
            Item("step-time", $$"""{"step":"sign-in","service":"home-call","durationMs":{{ms}},"day":"{{today}}"}"""))]);
        using (var c = central.Database.Open())
            foreach (var ms in new[] { 100_000, 30_000 })
                c.Execute("INSERT INTO step_times (id, kiosk_id, channel, service, step, duration_ms, day) VALUES (@id, 'kiosk-other', 'kiosk', 'status', 'sign-in', @ms, @today)",
                    new { id = Guid.NewGuid().ToString("D"), ms, today });
        var period = $"from={today}&to={today}";

        using var json = await central.OperatorAsync(HttpMethod.Get, "/api/reports/step-times?" + period);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var steps = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(StepCatalogue.All.Select(s => s.Code), steps.Select(s => s.GetProperty("step").GetString()));
        var signIn = steps[0];
        Assert.Equal((1, 1, 30_000L, 60_000L, "30 s – 1 min"), (signIn.GetProperty("table").GetInt32(), signIn.GetProperty("action").GetInt32(),
            signIn.GetProperty("normMinMs").GetInt64(), signIn.GetProperty("normMaxMs").GetInt64(), signIn.GetProperty("norm").GetString()));
        // Fleet: 20 30 40 50 70 100 → median rank 3 = 40 s, p90 rank 6 = 100 s, 2 of 6 over.
        Assert.Equal("""{"count":6,"medianMs":40000,"p90Ms":100000,"overNorm":2,"shareOverNorm":0.3333333333333333}""", signIn.GetProperty("fleet").GetRawText());
        var kiosks = signIn.GetProperty("kiosks").EnumerateArray().ToDictionary(k => k.GetProperty("kioskId").GetString()!, k => k.GetProperty("figures").GetRawText());
        Assert.Equal("""{"count":4,"medianMs":40000,"p90Ms":70000,"overNorm":1,"shareOverNorm":0.25}""", kiosks[IntakeCentral.KioskId]);
        Assert.Equal("""{"count":2,"medianMs":30000,"p90Ms":100000,"overNorm":1,"shareOverNorm":0.5}""", kiosks["kiosk-other"]);
        Assert.Equal("""{"count":0,"medianMs":null,"p90Ms":null,"overNorm":0,"shareOverNorm":null}""", steps[1].GetProperty("fleet").GetRawText());

        using var one = await central.OperatorAsync(HttpMethod.Get, $"/api/reports/step-times?{period}&kiosk=kiosk-other");
        Assert.Equal(2, JsonDocument.Parse(await one.Content.ReadAsStringAsync()).RootElement.GetProperty("steps")[0].GetProperty("fleet").GetProperty("count").GetInt32());

        using var csv = await central.OperatorAsync(HttpMethod.Get, "/api/reports/step-times.csv?" + period);
        var lines = Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n");
        Assert.Equal(string.Join(',', ReportCsv.StepHeader), lines[0]);
        Assert.Contains($"{today},{today},sign-in,kiosk,1,1,30000,60000,fleet,,6,40000,100000,2,33.3", lines);
        Assert.Contains($"{today},{today},registry-lookup,desk,2,3,,90000,fleet,,0,,,0,", lines);

        using var chart = await central.OperatorAsync(HttpMethod.Get, "/api/reports/step-times.svg?" + period);
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType!.MediaType);
        var doc = XDocument.Parse(await chart.Content.ReadAsStringAsync());
        var step = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("data-step") == "sign-in");
        Assert.Equal("60000", (string?)step.Attribute("data-norm-max-ms"));
        // The fleet first, then each kiosk by id.
        Assert.Equal(["fleet", "kiosk-other", IntakeCentral.KioskId], step.Elements(Svg + "g").Select(g => (string)g.Attribute("data-scope")!).ToList());
        Assert.Equal("2", (string?)step.Elements(Svg + "g").Single(g => (string?)g.Attribute("data-scope") == "fleet").Attribute("data-over-norm"));
        // Steps nobody measured are left out of the chart (the JSON and CSV list them).
        Assert.DoesNotContain(doc.Descendants(Svg + "g"), g => (string?)g.Attribute("data-step") == "registry-lookup");
    }

    [Fact]
    public async Task The_reports_need_the_operator_token()
    {
        await using (var central = await IntakeCentral.StartAsync(ca))
        {
            foreach (var path in new[] { "/api/reports/survey", "/api/reports/survey.csv", "/api/reports/survey.svg", "/api/reports/step-times",
                         "/api/reports/step-times.csv", "/api/reports/step-times.svg" })
            {
                using var none = await central.OperatorAsync(HttpMethod.Get, path, token: null);
                Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
                using var wrong = await central.OperatorAsync(HttpMethod.Get, path, token: "not-the-token");
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                // A kiosk's credential is not an operator's.
                using var kiosk = await central.Http.SendAsync(central.KioskRequest(HttpMethod.Get, path));
                Assert.Equal(HttpStatusCode.Unauthorized, kiosk.StatusCode);
                using var ok = await central.OperatorAsync(HttpMethod.Get, path);
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }
        }
        await using var closed = await IntakeCentral.StartAsync(ca, operators: false);
        using var disabled = await closed.OperatorAsync(HttpMethod.Get, "/api/reports/survey.svg");
        Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
    }
}
