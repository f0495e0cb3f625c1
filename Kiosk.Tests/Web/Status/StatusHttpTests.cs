using System.Net;
using System.Text.RegularExpressions;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Tests.Web.HomeCall;
using Kiosk.Tests.Web.SignIn;
using Kiosk.Core.Eds.Demo;

namespace Kiosk.Tests.Web.Status;

/// <summary>A kiosk (the real app on Kestrel) with the demo CA's trust folder, for the status screen's HTTP tests.</summary>
public sealed class StatusAppFixture : IAsyncLifetime
{
    public KioskAppHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await KioskAppHost.StartAsync($"--Pki:TrustDirectory={SignInDemoCa.TrustDirectory}", "--Sync:KioskId=kiosk-status-1");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// "Check my request" over real HTTP: only a signed-in citizen's own requests, newest first, with each status the
/// kiosk's file can hold; sign-in first for anyone else; "refresh status" (antiforgery, post/redirect/get) reads the
/// file again, where the sync worker writes Central's answers.
/// </summary>
public sealed partial class StatusHttpTests(StatusAppFixture fixture) : IClassFixture<StatusAppFixture>
{
    public const string StatusPath = "/services/status";

    private string Db => fixture.Host.DatabasePath;

    [Fact]
    public async Task Without_sign_in_the_status_screen_asks_for_it_and_sign_in_comes_back_to_it()
    {
        var auth = SignInDemoCa.One("valid", "AUTH", 2);
        using var client = fixture.Host.NewClient();

        var (response, _) = await client.GetAsync(StatusPath);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sign-in", response.Headers.Location?.OriginalString);

        // The sign-in form is for "check my request", and a good sign-in lands on the status screen.
        var (form, formHtml) = await client.GetAsync("/sign-in");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("data-service=\"status\"", formHtml);
        var (signedIn, html) = await SignInHttpTests.SignInAsync(client, SignInDemoCa.Bytes(auth), Path.GetFileName(auth.File));
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, string.Join(",", SignInHttpTests.Problems(html)));
        Assert.Equal(StatusPath, signedIn.Headers.Location?.OriginalString);

        var (page, pageHtml) = await client.GetAsync(StatusPath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore == true);
        Assert.Contains("id=\"status-refresh\"", pageHtml);

        // Signed in, "check my request" on the start screen goes straight to it.
        await client.GetAsync("/");
        var (chosen, _) = await client.PostAsync("/?handler=Choose", [new("service", "status")]);
        Assert.Equal(StatusPath, chosen.Headers.Location?.OriginalString);

        // A stranger's "refresh" without the session goes to sign-in too; a signed-in one without the form's token is refused.
        using var stranger = fixture.Host.NewClient();
        await stranger.GetAsync("/");
        var (strangerPost, _) = await stranger.PostAsync(StatusPath + "?handler=Refresh", []);
        Assert.Equal("/sign-in", strangerPost.Headers.Location?.OriginalString);
        var (forged, _) = await client.PostAsync(StatusPath + "?handler=Refresh", [], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task The_signed_in_citizen_sees_their_own_requests_newest_first_and_nobody_elses()
    {
        var a = SignInDemoCa.One("valid", "AUTH", 0);
        var b = SignInDemoCa.One("valid", "AUTH", 1);
        Assert.NotEqual(a.Iin, b.Iin);
        var now = DateTimeOffset.UtcNow;
        var today = AstanaTime.Today(TimeProvider.System);

        // A: one request in each state, an hour apart (the newest is queued).
        var rejected = StatusRows.Queue(Db, a.Iin!, now.AddHours(-5));
        StatusRows.Reject(Db, rejected, "iin-mismatch", now.AddHours(-5));
        var refused = StatusRows.Queue(Db, a.Iin!, now.AddHours(-4));
        StatusRows.Deliver(Db, refused, "HC-20260304-000011", now.AddHours(-4));
        var accepted = StatusRows.Queue(Db, a.Iin!, now.AddHours(-3));
        StatusRows.Deliver(Db, accepted, "HC-20260304-000012", now.AddHours(-3));
        StatusRows.Decide(Db, now.AddMinutes(-10),
            StatusRows.Refused(refused, "HC-20260304-000011", RefusalReasons.AfterCutOff,
                """{"kk":"Кеш қалдыңыз (Central)","ru":"Поздно (Central)","en":"Too late (Central)"}""", now.AddHours(-4)),
            StatusRows.Accepted(accepted, "HC-20260304-000012", today.ToString("yyyy-MM-dd"), "10:15", "20:00", now.AddHours(-3)));
        var registered = StatusRows.Queue(Db, a.Iin!, now.AddHours(-2));
        StatusRows.Deliver(Db, registered, "HC-20260304-000013", now.AddHours(-2));
        var queued = StatusRows.Queue(Db, a.Iin!, now.AddHours(-1));
        // B: one request, which A must never see.
        var others = StatusRows.Queue(Db, b.Iin!, now.AddMinutes(-30));

        using var client = fixture.Host.NewClient();
        await SignInForStatusAsync(client, a);
        var (page, html) = await client.GetAsync(StatusPath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        Assert.Equal(
            [(queued, "queued"), (registered, "registered"), (accepted, "accepted"), (refused, "refused"), (rejected, "rejected")],
            Items(html).Select(i => (i.Id, i.Status)).ToList());
        Assert.DoesNotContain(others.ToString("D"), html);
        Assert.Contains("******" + a.Iin![6..], html);
        Assert.DoesNotContain(a.Iin!, html);
        Assert.DoesNotContain(b.Iin![6..], html);

        var text = WebUtility.HtmlDecode(html);
        var items = Items(text).ToDictionary(i => i.Id, i => i.Html);
        Assert.Contains("В очереди — будет отправлена в поликлинику", items[queued]);
        Assert.Contains(ShortNumber(queued), items[queued]);
        Assert.Contains("Вызов врача на дом", items[queued]);
        Assert.Contains("Зарегистрирована — ждёт решения", items[registered]);
        Assert.Contains("HC-20260304-000013", items[registered]);
        Assert.Contains($"номер на киоске {ShortNumber(registered)}", items[registered]);
        Assert.Contains("Принята", items[accepted]);
        Assert.Contains($"{today:dd.MM.yyyy}, с 10:15 до 20:00", items[accepted]);
        Assert.Contains("Отказано", items[refused]);
        Assert.Contains("Поздно (Central)", items[refused]);
        Assert.Contains("data-reason=\"after-cut-off\"", items[refused]);
        Assert.Contains("не прошла проверку", items[rejected]);
        Assert.Contains("Код: iin-mismatch", items[rejected]);
        // The service deadline: the day of the request, Astana time.
        var signedDay = DateOnly.FromDateTime(AstanaTime.ToLocal(now.AddHours(-1)));
        Assert.Contains($"{signedDay:dd.MM.yyyy} — в день обращения", items[queued]);
        // Central was last reached when the decisions were pulled.
        Assert.Contains($"Последняя связь с поликлиникой: {AstanaTime.ToLocal(now.AddMinutes(-10)):dd.MM.yyyy HH:mm}", text);

        // In English, Central's own English words for the refusal.
        await client.PostAsync("/language", [new("lang", "en"), new("returnUrl", StatusPath)]);
        var (_, english) = await client.GetAsync(StatusPath);
        english = WebUtility.HtmlDecode(english);
        Assert.Contains("<html lang=\"en\"", english);
        Assert.Contains("Too late (Central)", Items(english).Single(i => i.Id == refused).Html);
        Assert.Contains("Registered — awaiting a decision", english);

        // B sees only B's request.
        using var other = fixture.Host.NewClient();
        await SignInForStatusAsync(other, b);
        var (_, bHtml) = await other.GetAsync(StatusPath);
        Assert.Equal([others], Items(bHtml).Select(i => i.Id).ToList());
        foreach (var id in new[] { queued, registered, accepted, refused, rejected })
            Assert.DoesNotContain(id.ToString("D"), bHtml);
    }

    [Fact]
    public async Task A_home_call_filed_at_the_kiosk_shows_queued_and_after_refresh_the_decision_the_worker_stored()
    {
        var auth = SignInDemoCa.One("valid", "AUTH", 3);
        var sign = SignInDemoCa.Manifest.Files.Single(f => f.Case == "valid" && f.KeyType == "SIGN" && f.Iin == auth.Iin);
        using var client = fixture.Host.NewClient();
        await HomeCallHttpTests.SignInForHomeCallAsync(client, auth);
        await HomeCallHttpTests.PostFormAsync(client, "Астана, Сарыарқа 5, 10-пәтер", "+7 701 765 43 21", HomeCallReasons.Fever, "");
        var (signed, signedHtml) = await HomeCallHttpTests.SignAsync(client, SignInDemoCa.Bytes(sign), Path.GetFileName(sign.File));
        Assert.True(signed.StatusCode == HttpStatusCode.Redirect, string.Join(",", SignInHttpTests.Problems(signedHtml)));

        // The accepted page leads to the status screen.
        var (_, acceptedHtml) = await client.GetAsync(HomeCallHttpTests.AcceptedPath);
        var requestId = Guid.Parse(HomeCallHttpTests.RequestIdOf(acceptedHtml));
        Assert.Matches($"<a [^>]*id=\"receipt-check-status\"[^>]*href=\"{StatusPath}\"|<a [^>]*href=\"{StatusPath}\"[^>]*id=\"receipt-check-status\"", acceptedHtml);

        var (_, html) = await client.GetAsync(StatusPath);
        var item = Assert.Single(Items(html));
        Assert.Equal((requestId, "queued"), (item.Id, item.Status));
        Assert.Contains(ShortNumber(requestId), item.Html);

        // The sync worker (another process in production) records Central's answer and pulls the decision.
        var now = DateTimeOffset.UtcNow;
        var today = AstanaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd");
        StatusRows.Deliver(Db, requestId, "HC-20260304-000099", now);
        StatusRows.Decide(Db, now, StatusRows.Accepted(requestId, "HC-20260304-000099", today, "11:30", "20:00", now));

        var (refresh, _) = await client.PostAsync(StatusPath + "?handler=Refresh", []);
        Assert.Equal(HttpStatusCode.Redirect, refresh.StatusCode);
        Assert.Equal(StatusPath, refresh.Headers.Location?.OriginalString);
        var (_, after) = await client.GetAsync(StatusPath);
        item = Assert.Single(Items(after));
        Assert.Equal("accepted", item.Status);
        Assert.Contains("HC-20260304-000099", item.Html);
        Assert.Matches("data-field=\"visit\"[^>]*data-from=\"11:30\" data-to=\"20:00\"", item.Html);
    }

    internal static async Task SignInForStatusAsync(KioskClient client, DemoCaEntry auth)
    {
        await SignInHttpTests.ChooseAsync(client, "status");
        var (response, html) = await SignInHttpTests.SignInAsync(client, SignInDemoCa.Bytes(auth), Path.GetFileName(auth.File));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, string.Join(",", SignInHttpTests.Problems(html)));
        Assert.Equal(StatusPath, response.Headers.Location?.OriginalString);
    }

    internal static string ShortNumber(Guid id)
    {
        var hex = id.ToString("N").ToUpperInvariant();
        return $"{hex[..4]}-{hex[4..8]}";
    }

    /// <summary>The request items of the page, in order: id, status code and the item's own markup.</summary>
    internal static List<(Guid Id, string Status, string Html)> Items(string html)
    {
        var starts = Item().Matches(html).ToList();
        return starts.Select((m, i) =>
        {
            var end = i + 1 < starts.Count ? starts[i + 1].Index : html.IndexOf("</ol>", m.Index, StringComparison.Ordinal);
            return (Guid.Parse(m.Groups[1].Value), m.Groups[2].Value, html[m.Index..end]);
        }).ToList();
    }

    [GeneratedRegex("<li class=\"request [^\"]*\" data-request-id=\"([0-9a-f-]{36})\" data-status=\"([a-z]+)\"")]
    private static partial Regex Item();
}
