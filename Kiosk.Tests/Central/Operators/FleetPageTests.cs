using System.Net;
using System.Net.Http.Json;
using Kiosk.Central.Operators;
using Kiosk.Core.Services;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Web;
using Kiosk.Tests.Web.Staff;
using Kiosk.Tests.Central.Staff;

namespace Kiosk.Tests.Central.Operators;

/// <summary>
/// Central's operator page and metrics over real HTTP (issue 4 item 6): <c>/fleet</c> behind the staff sign-in (issue
/// 12) with its own strict cookie and a throttle per address; <c>/metrics</c> for the operator or monitoring token, read from the
/// database at scrape time.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class FleetPageTests(DemoCaFixture ca)
{
    private const string MonitoringToken = "central-monitoring-token-for-tests-42";

    private static async Task BeatAsync(IntakeCentral central, object body)
    {
        using var request = central.KioskRequest(HttpMethod.Post, "/api/sync/heartbeat");
        request.Content = JsonContent.Create(body, options: IntakeCentral.Json);
        using var response = await central.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Base(IntakeCentral central) => central.Http.BaseAddress!.ToString().TrimEnd('/');

    [Fact]
    public async Task The_fleet_page_needs_an_operator_and_then_shows_a_kiosk_after_its_heartbeat()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, CentralStaffKit.Options);
        CentralStaffKit.Add(central, CentralStaffKit.OperatorIin, "operator", CentralStaffKit.ProviderBin);
        using (var created = await central.OperatorAsync(HttpMethod.Post, "/api/kiosks", new { kioskId = "lobby-2", name = "Lobby <b>2</b> & co" }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var browser = new KioskClient(Base(central));

        var (anonymous, _) = await browser.GetAsync(OperatorPages.FleetPath);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith(OperatorPages.SignInPath, CentralStaffKit.Where(anonymous));

        // The operator token is for machines (the API, /metrics), not a way into the pages.
        using (var withToken = new HttpRequestMessage(HttpMethod.Get, OperatorPages.FleetPath))
        {
            withToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", IntakeCentral.OperatorToken);
            using var refused = await central.Http.SendAsync(withToken); // follows the redirect to the sign-in
            Assert.Equal(OperatorPages.SignInPath, refused.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.DoesNotContain("data-kiosk", await refused.Content.ReadAsStringAsync());
        }

        await CentralStaffKit.SignInOperatorAsync(browser);
        var (before, beforeHtml) = await browser.GetAsync(OperatorPages.FleetPath);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Contains("default-src 'none'", before.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains($"<tr data-kiosk=\"{IntakeCentral.KioskId}\">", beforeHtml);
        Assert.Contains("<td data-field=\"last-heartbeat\">never</td>", beforeHtml);
        Assert.Contains("Lobby &lt;b&gt;2&lt;/b&gt; &amp; co", beforeHtml); // encoded, never markup
        Assert.DoesNotContain("<b>2</b>", beforeHtml);

        await BeatAsync(central, new
        {
            outboxDepth = 12, oldestPendingSeconds = 3725, deadLetters = 2, version = "1.4.0", freeDiskBytes = 7_500_000_000L,
            kioskTime = central.Time.GetUtcNow().AddSeconds(-42),
        });
        central.Time.Advance(TimeSpan.FromSeconds(90));
        var (_, html) = await browser.GetAsync(OperatorPages.FleetPath);
        var row = html[html.IndexOf($"<tr data-kiosk=\"{IntakeCentral.KioskId}\">", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("(00:01:30 ago)", row);
        Assert.Contains("<td data-field=\"outbox-depth\">12</td>", row);
        Assert.Contains("<td data-field=\"oldest-pending\">01:02:05</td>", row);
        Assert.Contains("<td data-field=\"dead-letters\" class=\"bad\">2</td>", row);
        Assert.Contains("<td>1.4.0</td>", row);
        Assert.Contains("<td>7.5 GB</td>", row);
        Assert.Contains("<td data-field=\"clock-skew\">-42 s</td>", row);

        var (signOut, _) = await browser.PostAsync(OperatorPages.SignOutPath, []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(OperatorPages.FleetPath)).Response.StatusCode);
    }

    [Fact]
    public async Task Many_wrong_sign_ins_from_one_address_block_that_address_for_the_cooldown()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, CentralStaffKit.Options);
        CentralStaffKit.Add(central, CentralStaffKit.OperatorIin, "operator", CentralStaffKit.ProviderBin);
        using var browser = new KioskClient(Base(central));
        // Guessing across accounts (unknown IINs count nowhere else) is stopped per address.
        for (var i = 0; i < OperatorSignInThrottle.MaxFailures; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await CentralStaffKit.SignInAsync(browser, CentralStaffKit.RegistrarIin, $"guess-{i}")).Response.StatusCode);
        var (blocked, html) = await CentralStaffKit.SignInAsync(browser, CentralStaffKit.OperatorIin);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("Too many failed sign-ins from this computer", html);

        central.Time.Advance(OperatorSignInThrottle.Cooldown);
        await CentralStaffKit.SignInOperatorAsync(browser);
    }

    [Fact]
    public async Task Metrics_need_a_token_and_count_kiosks_requests_rejections_duplicates_and_heartbeat_ages_from_the_database()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, $"--Monitoring:Token={MonitoringToken}");
        foreach (var token in new[] { null, "wrong" })
            using (var refused = await central.OperatorAsync(HttpMethod.Get, "/metrics", token: token))
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // A second kiosk created (pending) and a third revoked; ours sends a heartbeat.
        (await central.OperatorAsync(HttpMethod.Post, "/api/kiosks", new { kioskId = "pending-1", name = "P" })).Dispose();
        (await central.OperatorAsync(HttpMethod.Post, "/api/kiosks", new { kioskId = "gone-1", name = "G" })).Dispose();
        (await central.OperatorAsync(HttpMethod.Post, "/api/kiosks/gone-1/revoke")).Dispose();

        // Accepted, refused (not attached), a replay (duplicate) and a rejection (one byte changed).
        var attached = central.Citizens[0];
        var unattached = central.Citizens[1];
        central.SetRegistry(attached, RegistryState.AttachedOpenEveryDay);
        central.SetRegistry(unattached, RegistryState.NotAttached);
        var accepted = central.Sign(attached, central.At(10, 0));
        var refused2 = central.Sign(unattached, central.At(10, 0));
        var tamperedSource = central.Sign(attached, central.At(10, 0));
        central.Time.SetUtcNow(central.At(10, 5));
        Assert.Equal("registered", (await central.PushOneAsync(IntakeCentral.EnvelopeOf(accepted))).Status);
        Assert.Equal("duplicate", (await central.PushOneAsync(IntakeCentral.EnvelopeOf(accepted))).Status);
        Assert.Equal("registered", (await central.PushOneAsync(IntakeCentral.EnvelopeOf(refused2))).Status);
        var tampered = tamperedSource.DocumentBytes.ToArray();
        tampered[^2] ^= 1;
        var rejected = await central.PushOneAsync(IntakeCentral.EnvelopeOf(tamperedSource, document: tampered));
        Assert.Equal("rejected", rejected.Status);
        await BeatAsync(central, new { outboxDepth = 4, oldestPendingSeconds = 120, deadLetters = 1, kioskTime = central.Time.GetUtcNow() });
        central.Time.Advance(TimeSpan.FromSeconds(75));

        foreach (var token in new[] { IntakeCentral.OperatorToken, MonitoringToken })
        {
            using var response = await central.OperatorAsync(HttpMethod.Get, "/metrics", token: token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            PrometheusText.AssertDescribed(text, "central_kiosks", "gauge");
            PrometheusText.AssertDescribed(text, "central_intake_duplicates_total", "counter");
            var m = PrometheusText.Parse(text);
            Assert.Equal(1, m["central_kiosks{state=\"enrolled\"}"]);
            Assert.Equal(1, m["central_kiosks{state=\"pending\"}"]);
            Assert.Equal(1, m["central_kiosks{state=\"revoked\"}"]);
            Assert.Equal(1, m["central_requests{kind=\"home-call\",decision=\"accepted\"}"]);
            Assert.Equal(1, m["central_requests{kind=\"home-call\",decision=\"refused\"}"]);
            Assert.Equal(1, m[$"central_requests_refused{{kind=\"home-call\",reason=\"{RefusalReasons.NotAttached}\"}}"]);
            Assert.Equal(1, m[$"central_intake_rejected_envelopes{{reason=\"{rejected.Reason}\"}}"]);
            Assert.Equal(1, m["central_intake_duplicates_total"]);
            Assert.Equal(75, m[$"central_kiosk_heartbeat_age_seconds{{kiosk=\"{IntakeCentral.KioskId}\"}}"]);
            Assert.Equal(4, m[$"central_kiosk_outbox_depth{{kiosk=\"{IntakeCentral.KioskId}\"}}"]);
            Assert.Equal(1, m[$"central_kiosk_dead_letters{{kiosk=\"{IntakeCentral.KioskId}\"}}"]);
            Assert.DoesNotContain(m.Keys, k => k.Contains("pending-1") && k.StartsWith("central_kiosk_heartbeat")); // never beat: no series
        }
    }
}
