using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Feedback;
using Kiosk.Core.Slips;
using Kiosk.Core.Time;
using Kiosk.Node.Feedback;
using Kiosk.Node.Slips;
using Kiosk.Tests.Web.SignIn;

namespace Kiosk.Tests.Web.Status;

/// <summary>A kiosk for the survey's HTTP tests: the demo CA's trust folder, the default random send delay.</summary>
public sealed class SurveyAppFixture : IAsyncLifetime
{
    public KioskAppHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await KioskAppHost.StartAsync($"--Pki:TrustDirectory={SignInDemoCa.TrustDirectory}", "--Sync:KioskId=kiosk-survey-1");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// The quality survey on "check my request" over real HTTP (issue 12 item 5): offered only once a request is decided,
/// one tap one stored answer (antiforgery), skippable, not asked twice, and anonymous — the stored item holds the
/// service, the clinic, the day and the answer, never the IIN or the request id.
/// </summary>
public sealed partial class SurveyHttpTests(SurveyAppFixture fixture) : IClassFixture<SurveyAppFixture>
{
    private const string StatusPath = StatusHttpTests.StatusPath;

    private string Db => fixture.Host.DatabasePath;

    private List<FeedbackEntry> Items() => new FeedbackOutbox(StatusRows.Database(Db)).All().Where(e => e.Kind == FeedbackKinds.Survey).ToList();

    /// <summary>A request of <paramref name="citizen"/>, delivered and decided (accepted), with the provider's result slip naming clinic 7.</summary>
    private Guid Decided(DemoCaEntry citizen, DateTimeOffset at, bool withSlip = true)
    {
        var id = StatusRows.Queue(Db, citizen.Iin!, at);
        StatusRows.Deliver(Db, id, "HC-20260304-" + Random.Shared.Next(100_000, 999_999), at);
        StatusRows.Decide(Db, at, StatusRows.Accepted(id, "HC-20260304-000001", AstanaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd"), "10:15", "20:00", at));
        if (withSlip)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var token = new SlipSigner(key, SlipIssuers.Provider).Sign(new SlipClaims
            {
                Issuer = SlipIssuers.Provider, IssuedAt = at.ToUnixTimeSeconds(), Kind = SlipKinds.Result, RequestId = id.ToString("D"),
                Service = "home-call", ClinicId = 7, Decision = "accepted", MaskedIin = "******" + citizen.Iin![6..],
            });
            new SlipStore(StatusRows.Database(Db)).Keep(id, SlipKinds.Result, token, at);
        }
        return id;
    }

    private static async Task<string> StatusAsync(KioskClient client)
    {
        var (response, html) = await client.GetAsync(StatusPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return html;
    }

    private static Task<(HttpResponseMessage Response, string Html)> TapAsync(KioskClient client, Guid requestId, string question, string rating,
        bool withToken = true) =>
        client.PostAsync(StatusPath + "?handler=Survey", [new("requestId", requestId.ToString("D")), new("question", question), new("rating", rating)], withToken);

    [Fact]
    public async Task No_survey_before_a_decision_then_one_tap_stores_one_anonymous_answer_and_the_survey_is_not_asked_twice()
    {
        var citizen = SignInDemoCa.One("valid", "AUTH", 0);
        var now = DateTimeOffset.UtcNow;
        var queued = StatusRows.Queue(Db, citizen.Iin!, now.AddMinutes(-5));
        var registered = StatusRows.Queue(Db, citizen.Iin!, now.AddMinutes(-4));
        StatusRows.Deliver(Db, registered, "HC-20260304-000777", now);
        var before = Items().Count;

        using var client = fixture.Host.NewClient();
        await StatusHttpTests.SignInForStatusAsync(client, citizen);
        var html = await StatusAsync(client);
        Assert.Contains("id=\"status-list\"", html);
        Assert.DoesNotContain("id=\"survey\"", html);

        // Now a decision comes for the older request: the survey is offered in its card.
        var decided = Decided(citizen, now.AddMinutes(-6));
        html = await StatusAsync(client);
        var card = StatusHttpTests.Items(html).Single(i => i.Id == decided).Html;
        Assert.Contains("id=\"survey\"", card);
        Assert.DoesNotContain("id=\"survey\"", StatusHttpTests.Items(html).Single(i => i.Id == queued).Html);
        var text = WebUtility.HtmlDecode(card);
        Assert.Contains("Удовлетворены ли Вы качеством процесса и результатом оказания электронной государственной услуги?", text);
        Assert.Contains("Удовлетворены ли Вы качеством информации о порядке оказания электронной государственной услуги?", text);
        Assert.Equal(["survey-q1-not", "survey-q1-partly", "survey-q1-fully", "survey-q2-not", "survey-q2-partly", "survey-q2-fully"],
            AnswerButton().Matches(card).Select(m => m.Groups[1].Value));
        Assert.Contains("id=\"survey-skip\"", card);
        Assert.Contains("без вашего ИИН и номера запроса", text);

        // Without the form's antiforgery token a tap is refused and stores nothing.
        var (forged, _) = await TapAsync(client, decided, "q1", "fully", withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(before, Items().Count);

        // One tap: stored at once, back to the survey.
        await StatusAsync(client);
        var (tap, _) = await TapAsync(client, decided, "q1", "fully");
        Assert.Equal(HttpStatusCode.Redirect, tap.StatusCode);
        Assert.Equal(StatusPath + "#survey", tap.Headers.Location?.OriginalString);
        var items = Items();
        Assert.Equal(before + 1, items.Count);
        var item = items.Single(i => i.Payload.Contains("\"q1\""));
        var today = AstanaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd");
        Assert.Equal($$"""{"service":"home-call","clinicId":7,"day":"{{today}}","q1":"fully"}""", item.Payload);
        Assert.DoesNotContain(citizen.Iin!, item.Payload);
        Assert.DoesNotContain(decided.ToString("D"), item.Payload);
        Assert.NotEqual(decided, item.ItemId);
        // A random send delay of at most 30 minutes, so the moment it reaches Central says nothing.
        Assert.InRange(item.NextAttemptAt, now.AddSeconds(-5), DateTimeOffset.UtcNow.AddMinutes(30).AddSeconds(1));
        // The kiosk remembers only that q1 was answered about the request — not the answer.
        using (var c = StatusRows.Database(Db).Open())
        {
            var flag = c.QuerySingle<(long Q1, long Q2, long Skipped)>("SELECT q1_answered, q2_answered, skipped FROM surveyed_requests WHERE request_id = @id",
                new { id = decided.ToString("D") });
            Assert.Equal((1L, 0L, 0L), flag);
            Assert.Equal(["request_id", "q1_answered", "q2_answered", "skipped"], c.Query<string>("SELECT name FROM pragma_table_info('surveyed_requests')"));
        }

        // The page shows q1 answered, q2 still to answer.
        html = await StatusAsync(client);
        Assert.Matches("data-question=\"q1\" data-answered=\"true\"", html);
        Assert.Matches("data-question=\"q2\" data-answered=\"false\"", html);
        Assert.DoesNotContain("id=\"survey-q1-fully\"", html);

        // The same tap again (a double tap, the back button): no second answer.
        await TapAsync(client, decided, "q1", "not");
        Assert.Equal(before + 1, Items().Count);

        // The second question, then thanks.
        await StatusAsync(client);
        await TapAsync(client, decided, "q2", "partly");
        Assert.Equal(before + 2, Items().Count);
        Assert.Equal($$"""{"service":"home-call","clinicId":7,"day":"{{today}}","q2":"partly"}""", Items().Single(i => i.Payload.Contains("\"q2\"")).Payload);
        html = await StatusAsync(client);
        Assert.Contains("data-state=\"thanks\"", html);
        Assert.Contains("Спасибо за ответы!", WebUtility.HtmlDecode(html));

        // Another visit: not asked again about that request.
        using var later = fixture.Host.NewClient();
        await StatusHttpTests.SignInForStatusAsync(later, citizen);
        Assert.DoesNotContain("id=\"survey\"", await StatusAsync(later));
        Assert.Equal(before + 2, Items().Count);
    }

    [Fact]
    public async Task Skip_closes_the_survey_for_good_and_stores_nothing()
    {
        var citizen = SignInDemoCa.One("valid", "AUTH", 1);
        var decided = Decided(citizen, DateTimeOffset.UtcNow.AddMinutes(-3), withSlip: false);
        var before = Items().Count;
        using var client = fixture.Host.NewClient();
        await StatusHttpTests.SignInForStatusAsync(client, citizen);
        Assert.Contains("id=\"survey-skip\"", await StatusAsync(client));

        var (skipped, _) = await client.PostAsync(StatusPath + "?handler=SurveySkip", [new("requestId", decided.ToString("D"))]);
        Assert.Equal(HttpStatusCode.Redirect, skipped.StatusCode);
        Assert.DoesNotContain("id=\"survey\"", await StatusAsync(client));
        Assert.Equal(before, Items().Count);
        // A tap after skipping stores nothing either.
        await TapAsync(client, decided, "q1", "fully");
        Assert.Equal(before, Items().Count);

        using var later = fixture.Host.NewClient();
        await StatusHttpTests.SignInForStatusAsync(later, citizen);
        Assert.DoesNotContain("id=\"survey\"", await StatusAsync(later));
    }

    [Fact]
    public async Task A_tampered_answer_or_another_citizens_request_is_refused_with_a_translated_message_and_nothing_stored()
    {
        var citizen = SignInDemoCa.One("valid", "AUTH", 2);
        var stranger = SignInDemoCa.One("valid", "AUTH", 3);
        var mine = Decided(citizen, DateTimeOffset.UtcNow.AddMinutes(-2), withSlip: false);
        var theirs = Decided(stranger, DateTimeOffset.UtcNow.AddMinutes(-2), withSlip: false);
        var before = Items().Count;
        using var client = fixture.Host.NewClient();
        await StatusHttpTests.SignInForStatusAsync(client, citizen);
        await client.PostAsync("/language", [new("lang", "en"), new("returnUrl", StatusPath)]);
        await StatusAsync(client);

        var (bad, html) = await TapAsync(client, mine, "q1", "ecstatic");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("id=\"survey-problem\"", html);
        Assert.Contains("The answer was not recorded. Please tap one of the three answers again.", WebUtility.HtmlDecode(html));
        await StatusAsync(client);
        await TapAsync(client, mine, "q9", "fully");
        await StatusAsync(client);
        await TapAsync(client, theirs, "q1", "fully");
        Assert.Equal(before, Items().Count);

        // An answer with no clinic known (no slip, a document the kiosk cannot read) goes without one.
        var seen = Items().Select(i => i.ItemId).ToHashSet();
        await StatusAsync(client);
        await TapAsync(client, mine, "q2", "not");
        var payload = JsonDocument.Parse(Items().Single(i => !seen.Contains(i.ItemId)).Payload).RootElement;
        Assert.Equal(["service", "day", "q2"], payload.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Every_survey_text_exists_in_the_three_languages()
    {
        var keys = new[] { "Survey.Title", "Survey.Lead", "Survey.Answered", "Survey.Skip", "Survey.Thanks", "Survey.Error" }
            .Concat(SurveyQuestions.All.Select(q => "Survey.Question." + q))
            .Concat(SurveyRatings.All.Select(r => "Survey.Rating." + r));
        var resources = new System.Resources.ResourceManager("Kiosk.Web.Resources.SharedResource", typeof(Kiosk.Web.SharedResource).Assembly);
        foreach (var culture in new[] { "ru", "kk", "en" })
        foreach (var key in keys)
            Assert.False(string.IsNullOrWhiteSpace(resources.GetString(key, new System.Globalization.CultureInfo(culture))), $"{culture}: {key}");
        Assert.Equal("Қанағаттанбаймын", resources.GetString("Survey.Rating.not", new System.Globalization.CultureInfo("kk")));
    }

    [GeneratedRegex("<button type=\"submit\" name=\"rating\" value=\"[a-z]+\" id=\"(survey-q[12]-[a-z]+)\"")]
    private static partial Regex AnswerButton();
}
