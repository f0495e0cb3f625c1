using System.Net;
using System.Text.Json;
using Dapper;
using Kiosk.Central.Notices;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Central.Notices;

/// <summary>
/// The operators' notice API (<c>/api/notices</c>) of a real Central on loopback Kestrel with a real SQLite file and a
/// fake clock (07:00 on the intake tests' Wednesday): the bearer token, field errors, sanitising on save, a reference
/// version per change, and what the reference pull then gives kiosks.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class NoticeApiTests(DemoCaFixture ca)
{
    private static readonly JsonSerializerOptions Json = IntakeCentral.Json;

    private static async Task<IntakeCentral> StartAsync(DemoCaFixture ca, bool operators = true)
    {
        var central = await IntakeCentral.StartAsync(ca, operators);
        using var c = central.Database.Open();
        c.Execute("UPDATE clinics SET website = 'https://emhana-' || id || '.astana.kz/'");
        return central;
    }

    private static object Request(IntakeCentral central, string titleRu = "Прививки от гриппа", string bodyRu = "<p>Каждый день</p>",
        long[]? clinics = null, DateTimeOffset? from = null, DateTimeOffset? to = null, string titleKk = "", string bodyKk = "") => new
    {
        title = new { kk = titleKk, ru = titleRu, en = "" },
        body = new { kk = bodyKk, ru = bodyRu, en = "" },
        validFrom = from ?? central.At(6, 0),
        validTo = to ?? central.At(20, 0, days: 7),
        clinicIds = clinics ?? [IntakeCentral.OpenClinic],
    };

    private static async Task<NoticeAnswer> SavedAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<NoticeAnswer>(body, Json)!;
    }

    private static long Version(IntakeCentral central)
    {
        using var c = central.Database.Open();
        return c.ExecuteScalar<long>("SELECT MAX(version) FROM reference_versions");
    }

    [Fact]
    public async Task Every_route_wants_the_operator_token_and_answers_403_when_none_is_configured()
    {
        (HttpMethod Method, string Path)[] routes =
        [
            (HttpMethod.Get, "/api/notices"), (HttpMethod.Get, "/api/notices/1"), (HttpMethod.Post, "/api/notices"),
            (HttpMethod.Put, "/api/notices/1"), (HttpMethod.Post, "/api/notices/1/withdraw"),
        ];
        await using (var central = await StartAsync(ca))
        {
            foreach (var (method, path) in routes)
            {
                using var none = await central.OperatorAsync(method, path, Request(central), token: null);
                Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
                Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString());
                using var wrong = await central.OperatorAsync(method, path, Request(central), token: "not-the-token");
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }
            // Nothing was written by any of them.
            using var c = central.Database.Open();
            Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM notices"));
        }
        await using var closed = await StartAsync(ca, operators: false);
        foreach (var (method, path) in routes)
        {
            using var response = await closed.OperatorAsync(method, path, Request(closed), token: "anything");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_bad_notice_is_refused_with_field_errors_and_nothing_is_saved()
    {
        await using var central = await StartAsync(ca);
        var before = Version(central);
        using var response = await central.OperatorAsync(HttpMethod.Post, "/api/notices",
            Request(central, titleRu: "<b>Грипп</b>", clinics: [99], from: central.At(9, 0), to: central.At(8, 0), bodyKk: "<p>мәтін</p>"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "title.ru", "title.kk", "validTo", "clinicIds" })
            Assert.True(errors.TryGetProperty(field, out var messages) && messages.GetArrayLength() > 0, field);
        var codes = problem.GetProperty("fieldErrors").EnumerateArray()
            .Select(e => (e.GetProperty("field").GetString(), e.GetProperty("code").GetString())).ToList();
        Assert.Equal([("clinicIds", "unknown-clinic"), ("title.kk", "body-without-title"), ("title.ru", "html"), ("validTo", "order")],
            codes.Order().ToList());
        Assert.Equal(before, Version(central));
        using var c = central.Database.Open();
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM notices"));

        using var notJson = await central.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/notices")
        {
            Headers = { Authorization = new("Bearer", IntakeCentral.OperatorToken) },
            Content = new StringContent("{\"title\": 5", System.Text.Encoding.UTF8, "application/json"),
        });
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    [Fact]
    public async Task A_hostile_body_is_sanitised_on_save_and_the_save_takes_a_new_reference_version()
    {
        await using var central = await StartAsync(ca);
        var before = Version(central);
        const string hostile = "<p onclick=\"alert(1)\" style=\"color:red\">Прививки <b>бесплатно</b></p><script>alert(2)</script>" +
                               "<img src=x onerror=alert(3)><svg onload=alert(4)></svg><iframe src=\"https://evil.example/\"></iframe>" +
                               "<a href=\"javascript:alert(5)\">js</a> <a href=\"https://emhana-2.astana.kz/\">не наша</a> " +
                               "<a href=\"https://emhana-1.astana.kz/flu\" target=\"_blank\">Подробнее</a>";
        using var response = await central.OperatorAsync(HttpMethod.Post, "/api/notices", Request(central, bodyRu: hostile));
        var saved = await SavedAsync(response, HttpStatusCode.Created);

        const string clean = "<p>Прививки <b>бесплатно</b></p>js не наша " +
                             "<a href=\"https://emhana-1.astana.kz/flu\" rel=\"noopener noreferrer\">Подробнее</a>";
        Assert.Equal(clean, saved.Body.Ru);
        Assert.Equal(new[] { "<script>", "<img>", "<svg>", "<iframe>", "onclick=", "style=", "link javascript:alert(5)", "link https://emhana-2.astana.kz/", "target=" }
            .Order(StringComparer.Ordinal), saved.Removed!["ru"].Order(StringComparer.Ordinal));
        Assert.Equal(("current", NoticeService.TokenAuthor, false), (saved.State, saved.CreatedBy, saved.Withdrawn));
        Assert.Equal(before + 1, saved.Version);
        Assert.Equal(saved.Version, Version(central));
        Assert.Equal(central.At(6, 0), saved.ValidFrom);
        Assert.Equal(central.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T06:00", saved.ValidFromAstana);
        Assert.Equal([IntakeCentral.OpenClinic], saved.ClinicIds);
        using (var c = central.Database.Open())
            Assert.Equal(clean, c.ExecuteScalar<string>("SELECT body_ru FROM notices WHERE id = @id", new { id = saved.Id }));
        using (var get = await central.OperatorAsync(HttpMethod.Get, $"/api/notices/{saved.Id}"))
        {
            var got = await SavedAsync(get, HttpStatusCode.OK);
            Assert.Equal((clean, saved.Version), (got.Body.Ru, got.Version));
            Assert.Null(got.Removed);
        }
        // The log says what happened, never what the notice says.
        Assert.Contains(central.Logs.Lines, l => l.Contains($"Notice {saved.Id} created", StringComparison.Ordinal));
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains("Прививки", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kiosks_get_the_live_set_when_a_notice_changed_and_hear_of_updates_and_withdrawals()
    {
        await using var central = await StartAsync(ca);
        var start = Version(central);
        var first = await SavedAsync(await central.OperatorAsync(HttpMethod.Post, "/api/notices", Request(central, titleRu: "Первое")), HttpStatusCode.Created);
        var second = await SavedAsync(await central.OperatorAsync(HttpMethod.Post, "/api/notices",
            Request(central, titleRu: "Второе", clinics: [1, 2])), HttpStatusCode.Created);

        // A full pull has both, with their clinics; the clinics carry their web sites.
        var full = await ReferenceSyncTests.PullPageAsync(central, "/api/sync/reference?since=0");
        Assert.Equal([first.Id, second.Id], full.Notices!.Select(n => n.Id));
        Assert.Equal([1L, 2], full.Notices![1].ClinicIds!);
        Assert.Equal(("Второе", ""), (full.Notices![1].Title!.Ru, full.Notices![1].Title!.Kk));
        Assert.Equal("https://emhana-1.astana.kz/", full.Clinics!.Single(k => k.Id == 1).Website);
        // Since before the notices: the set; since now: no set (the kiosk keeps what it has).
        Assert.Equal(2, (await ReferenceSyncTests.PullPageAsync(central, $"/api/sync/reference?since={start}")).Notices!.Count);
        Assert.Null((await ReferenceSyncTests.PullPageAsync(central, $"/api/sync/reference?since={second.Version}")).Notices);

        // An update: a new version, the whole notice replaced.
        var updated = await SavedAsync(await central.OperatorAsync(HttpMethod.Put, $"/api/notices/{first.Id}",
            Request(central, titleRu: "Первое, исправлено", clinics: [2])), HttpStatusCode.OK);
        Assert.Equal(second.Version + 1, updated.Version);
        var afterUpdate = await ReferenceSyncTests.PullPageAsync(central, $"/api/sync/reference?since={second.Version}");
        Assert.Equal(updated.Version, afterUpdate.Version);
        var sent = afterUpdate.Notices!.Single(n => n.Id == first.Id);
        Assert.Equal(("Первое, исправлено", 2L), (sent.Title!.Ru, Assert.Single(sent.ClinicIds!)));

        // A bad update changes nothing.
        using (var bad = await central.OperatorAsync(HttpMethod.Put, $"/api/notices/{first.Id}", Request(central, titleRu: "")))
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(updated.Version, Version(central));

        // Withdrawn: a new version, and the set the kiosks get no longer holds it.
        var withdrawn = await SavedAsync(await central.OperatorAsync(HttpMethod.Post, $"/api/notices/{second.Id}/withdraw"), HttpStatusCode.OK);
        Assert.Equal(("withdrawn", true, updated.Version + 1), (withdrawn.State, withdrawn.Withdrawn, withdrawn.Version));
        Assert.NotNull(withdrawn.WithdrawnAt);
        var afterWithdrawal = await ReferenceSyncTests.PullPageAsync(central, $"/api/sync/reference?since={updated.Version}");
        Assert.Equal([first.Id], afterWithdrawal.Notices!.Select(n => n.Id));
        // Withdrawing again changes nothing; changing a withdrawn notice is refused.
        await SavedAsync(await central.OperatorAsync(HttpMethod.Post, $"/api/notices/{second.Id}/withdraw"), HttpStatusCode.OK);
        Assert.Equal(withdrawn.Version, Version(central));
        using (var conflict = await central.OperatorAsync(HttpMethod.Put, $"/api/notices/{second.Id}", Request(central)))
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        // Unknown ids.
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/notices/999"), (HttpMethod.Put, "/api/notices/999"), (HttpMethod.Post, "/api/notices/999/withdraw") })
        {
            using var missing = await central.OperatorAsync(method, path, Request(central));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // The list, newest first; live only; by clinic.
        async Task<List<long>> ListAsync(string query)
        {
            using var response = await central.OperatorAsync(HttpMethod.Get, "/api/notices" + query);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            return JsonSerializer.Deserialize<NoticeList>(body, Json)!.Notices.Select(n => n.Id).ToList();
        }
        Assert.Equal([second.Id, first.Id], await ListAsync(""));
        Assert.Equal([first.Id], await ListAsync("?live=true"));
        Assert.Equal([second.Id], await ListAsync("?clinicId=1"));
        Assert.Equal([second.Id], await ListAsync("?limit=1"));
        using (var badLimit = await central.OperatorAsync(HttpMethod.Get, "/api/notices?limit=0"))
            Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task A_notice_that_is_over_is_no_longer_sent_and_one_not_begun_is()
    {
        await using var central = await StartAsync(ca);
        var soon = await SavedAsync(await central.OperatorAsync(HttpMethod.Post, "/api/notices",
            Request(central, titleRu: "Кончится", from: central.At(6, 0), to: central.At(8, 0))), HttpStatusCode.Created);
        var later = await SavedAsync(await central.OperatorAsync(HttpMethod.Post, "/api/notices",
            Request(central, titleRu: "Завтра", from: central.At(8, 0, days: 1), to: central.At(18, 0, days: 1))), HttpStatusCode.Created);
        Assert.Equal(("current", "scheduled"), (soon.State, later.State));
        Assert.Equal([soon.Id, later.Id], (await ReferenceSyncTests.PullPageAsync(central, "/api/sync/reference?since=0")).Notices!.Select(n => n.Id));

        central.Time.Advance(TimeSpan.FromHours(1.5)); // 08:30: the first is over
        Assert.Equal([later.Id], (await ReferenceSyncTests.PullPageAsync(central, "/api/sync/reference?since=0")).Notices!.Select(n => n.Id));
        using var response = await central.OperatorAsync(HttpMethod.Get, $"/api/notices/{soon.Id}");
        Assert.Equal("over", (await SavedAsync(response, HttpStatusCode.OK)).State);
    }

    [Fact]
    public void Astana_clock_times_round_trip_for_a_page_form()
    {
        var instant = new DateTimeOffset(2026, 12, 10, 3, 0, 0, TimeSpan.Zero);
        Assert.Equal("2026-12-10T08:00", NoticeTimes.Astana(instant));
        Assert.Equal(instant, NoticeTimes.FromAstana("2026-12-10T08:00"));
        Assert.Null(NoticeTimes.FromAstana("10.12.2026 08:00"));
        Assert.Null(NoticeTimes.FromAstana(null));
    }

    [Fact]
    public async Task The_notice_operations_are_in_the_OpenAPI_document()
    {
        await using var central = await StartAsync(ca);
        var paths = JsonDocument.Parse(await central.Http.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/notices").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/notices").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/notices/{id}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/notices/{id}").TryGetProperty("put", out _));
        Assert.True(paths.GetProperty("/api/notices/{id}/withdraw").TryGetProperty("post", out _));
    }
}
