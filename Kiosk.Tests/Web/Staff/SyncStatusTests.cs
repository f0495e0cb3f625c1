using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Kiosk.Node;

namespace Kiosk.Tests.Web.Staff;

/// <summary>
/// <c>GET /api/sync/status</c>, <c>/metrics</c> and the staff page over real HTTP against a seeded outbox with known
/// times (the kiosk's clock is a fake one): the figures, who may read them, and the dead-letter retry.
/// </summary>
public sealed class SyncStatusTests
{
    private sealed record Status(
        bool Online, long OutboxDepth, long? OldestPendingSeconds, DateTimeOffset? LastPushAt, DateTimeOffset? LastPullAt, long DeadLetters,
        long Delivered, DateTimeOffset? LastContactAt, string? LastError, DateTimeOffset? LastErrorAt, double? ClockSkewSeconds,
        double ClockSkewLimitSeconds, bool ClockWarning);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Two queued rows (10 min and 1 min old), one sent, one dead; a push 30 s ago, a pull 45 s ago, a skew of 200 s over a 120 s threshold.</summary>
    private static (Guid Oldest, Guid Dead) Seed(StaffKiosk kiosk)
    {
        var now = kiosk.Time.GetUtcNow();
        var oldest = OutboxSeed.Row(kiosk.Database, OutboxStore.Queued, now.AddMinutes(-10), lastError: "unreachable", nextAttemptAt: now.AddSeconds(20));
        OutboxSeed.Row(kiosk.Database, OutboxStore.Queued, now.AddMinutes(-1));
        OutboxSeed.Row(kiosk.Database, OutboxStore.Sent, now.AddHours(-1), sentAt: now.AddMinutes(-59));
        var dead = OutboxSeed.Row(kiosk.Database, OutboxStore.Dead, now.AddHours(-2), lastError: "signature-invalid", deadAt: now.AddMinutes(-100));
        OutboxSeed.Settings(kiosk.Database, now,
            (KioskSettings.LastPushAt, OutboxSeed.At(now.AddSeconds(-30))),
            (KioskSettings.LastPullAt, OutboxSeed.At(now.AddSeconds(-45))),
            (KioskSettings.LastContactAt, OutboxSeed.At(now.AddSeconds(-5))),
            (KioskSettings.ClockSkewSeconds, "200.5"),
            (KioskSettings.ClockSkewLimitSeconds, "120"));
        return (oldest, dead);
    }

    private static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task The_status_json_gives_the_seeded_outbox_figures_times_and_clock_warning()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        Seed(kiosk);
        var now = kiosk.Time.GetUtcNow();
        using var http = new HttpClient { BaseAddress = new Uri(kiosk.BaseUrl) };

        using var response = await http.SendAsync(Get("/api/sync/status", StaffKiosk.MonitoringToken));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using (var doc = JsonDocument.Parse(body))
            foreach (var name in new[] { "online", "outboxDepth", "oldestPendingSeconds", "lastPushAt", "lastPullAt", "deadLetters" })
                Assert.True(doc.RootElement.TryGetProperty(name, out _), $"no {name} in {body}");
        var status = JsonSerializer.Deserialize<Status>(body, Json)!;
        Assert.Equal(new Status(true, 2, 600, now.AddSeconds(-30), now.AddSeconds(-45), 1, 1, now.AddSeconds(-5), null, null, 200.5, 120, true),
            status);

        // The worker's last round failed after its last contact: offline, with the error.
        OutboxSeed.Settings(kiosk.Database, now, (KioskSettings.LastError, "unreachable"), (KioskSettings.LastErrorAt, OutboxSeed.At(now.AddSeconds(-1))));
        status = (await (await http.SendAsync(Get("/api/sync/status", StaffKiosk.MonitoringToken))).Content.ReadFromJsonAsyncSafe<Status>())!;
        Assert.Equal((false, "unreachable", now.AddSeconds(-1)), (status.Online, status.LastError, status.LastErrorAt));

        // Contact again, but then nothing for longer than Operators:OnlineWindow (3 min): offline; the oldest has aged.
        OutboxSeed.Settings(kiosk.Database, now, (KioskSettings.LastContactAt, OutboxSeed.At(now)));
        kiosk.Time.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));
        status = (await (await http.SendAsync(Get("/api/sync/status", StaffKiosk.MonitoringToken))).Content.ReadFromJsonAsyncSafe<Status>())!;
        Assert.Equal((false, 781L), (status.Online, status.OldestPendingSeconds!.Value));
    }

    [Fact]
    public async Task Status_and_metrics_answer_401_without_a_token_or_session_and_200_with_the_monitoring_token_or_an_operator_session()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(kiosk.BaseUrl) };
        foreach (var path in new[] { "/api/sync/status", "/metrics" })
        {
            foreach (var token in new[] { null, "wrong-token", StaffKiosk.MonitoringToken + "x" })
            {
                using var refused = await http.SendAsync(Get(path, token));
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                Assert.Contains("Bearer", refused.Headers.WwwAuthenticate.ToString());
            }
            using var ok = await http.SendAsync(Get(path, StaffKiosk.MonitoringToken));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var client = kiosk.NewClient();
        await kiosk.SignInAsync(client);
        var (status, json) = await client.GetAsync("/api/sync/status");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Contains("\"outboxDepth\":0", json);
        var (metrics, _) = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);

        // Without a Monitoring:Token configured, no bearer token is accepted at all.
        await using var closed = await StaffKiosk.StartAsync("--Monitoring:Token=");
        using var closedHttp = new HttpClient { BaseAddress = new Uri(closed.BaseUrl) };
        using var none = await closedHttp.SendAsync(Get("/api/sync/status", ""));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_the_seeded_outbox_read_at_scrape_time()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        Seed(kiosk);
        using var http = new HttpClient { BaseAddress = new Uri(kiosk.BaseUrl) };

        using var response = await http.SendAsync(Get("/metrics", StaffKiosk.MonitoringToken));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.0.4", response.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "version").Value);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var gauge in new[] { "kiosk_outbox_requests", "kiosk_outbox_oldest_pending_seconds", "kiosk_outbox_dead_letters", "kiosk_sync_online",
                     "kiosk_clock_skew_seconds", "kiosk_sync_last_push_age_seconds", "kiosk_sync_last_pull_age_seconds" })
            PrometheusText.AssertDescribed(text, gauge, "gauge");
        var m = PrometheusText.Parse(text);
        Assert.Equal(2, m["kiosk_outbox_requests{state=\"queued\"}"]);
        Assert.Equal(1, m["kiosk_outbox_requests{state=\"sent\"}"]);
        Assert.Equal(1, m["kiosk_outbox_requests{state=\"dead\"}"]);
        Assert.Equal(600, m["kiosk_outbox_oldest_pending_seconds"]);
        Assert.Equal(1, m["kiosk_outbox_dead_letters"]);
        Assert.Equal(1, m["kiosk_sync_online"]);
        Assert.Equal(200.5, m["kiosk_clock_skew_seconds"]);
        Assert.Equal(120, m["kiosk_clock_skew_limit_seconds"]);
        Assert.Equal(30, m["kiosk_sync_last_push_age_seconds"]);
        Assert.Equal(45, m["kiosk_sync_last_pull_age_seconds"]);

        // Read again at the next scrape: a new row and a later clock show at once.
        OutboxSeed.Row(kiosk.Database, OutboxStore.Queued, kiosk.Time.GetUtcNow());
        kiosk.Time.Advance(TimeSpan.FromSeconds(10));
        m = PrometheusText.Parse(await (await http.SendAsync(Get("/metrics", StaffKiosk.MonitoringToken))).Content.ReadAsStringAsync());
        Assert.Equal(3, m["kiosk_outbox_requests{state=\"queued\"}"]);
        Assert.Equal(610, m["kiosk_outbox_oldest_pending_seconds"]);
        Assert.Equal(40, m["kiosk_sync_last_push_age_seconds"]);
    }

    [Fact]
    public async Task The_staff_page_shows_the_figures_and_a_dead_letter_whose_retry_queues_it_again_now()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        var (_, dead) = Seed(kiosk);
        using var client = kiosk.NewClient();
        await kiosk.SignInAsync(client);

        var (_, html) = await client.GetAsync("/staff");
        Assert.Contains("data-online=\"true\"", html);
        Assert.Contains("id=\"staff-outbox-depth\">2<", html);
        Assert.Contains("id=\"staff-oldest\">00:10:00<", html);
        Assert.Contains("id=\"staff-clock-warning\"", html);
        Assert.Contains("Разница 200 с (порог 120 с)", html);
        Assert.Contains("data-error=\"unreachable\"", html); // the last error a queued row carries
        Assert.Contains($"data-request-id=\"{dead:D}\"", html);
        Assert.Contains("signature-invalid", html);
        Assert.DoesNotContain("000000000000", html); // nothing of the applicant

        kiosk.Time.Advance(TimeSpan.FromSeconds(7));
        var (retried, _) = await client.PostAsync("/staff?handler=Retry", [new("requestId", dead.ToString("D"))]);
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        var row = new OutboxStore(kiosk.Database).Get(dead)!;
        Assert.Equal((OutboxStore.Queued, kiosk.Time.GetUtcNow()), (row.State, row.NextAttemptAt));
        using (var c = kiosk.Database.Open())
            Assert.Null(c.ExecuteScalar<string?>("SELECT dead_at FROM outbox WHERE request_id = @id", new { id = dead.ToString("D") }));
        Assert.Contains(kiosk.Logs.Lines, l => l.Contains($"put dead letter {dead:D} back in the queue"));

        var (_, after) = await client.GetAsync(retried.Headers.Location!.OriginalString);
        Assert.Contains("id=\"staff-retried\"", after);
        Assert.Contains("id=\"staff-no-dead\"", after);
        Assert.Contains("id=\"staff-outbox-depth\">3<", after);

        // A second retry of the same id (a double tap) changes nothing.
        Assert.False(new OutboxStore(kiosk.Database).RetryDead(dead, kiosk.Time.GetUtcNow()));
    }
}

internal static class HttpContentJson
{
    public static async Task<T?> ReadFromJsonAsyncSafe<T>(this HttpContent content) =>
        JsonSerializer.Deserialize<T>(await content.ReadAsStringAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
