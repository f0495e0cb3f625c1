using System.Net;
using System.Net.Http.Json;
using Kiosk.Core.Services;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Central.Intake;

/// <summary>Heartbeats and the fleet over real HTTP (issue 4 items 4 and 6, Central's side).</summary>
[Collection(DemoCaCollection.Name)]
public sealed class FleetTests(DemoCaFixture ca)
{
    private const string MonitoringToken = "monitoring-token-for-tests-9876543210";

    private sealed record BeatAnswer(DateTimeOffset ServerTime, double? ClockSkewSeconds);
    private sealed record FleetKiosk(string KioskId, string Name, bool Enrolled, bool Revoked, DateTimeOffset? LastHeartbeatAt, int? OutboxDepth,
        long? OldestPendingSeconds, int? DeadLetters, string? Version, long? FreeDiskBytes, double? ClockSkewSeconds);
    private sealed record FleetAnswer(List<FleetKiosk> Kiosks, DateTimeOffset ServerTime);

    private static async Task<HttpResponseMessage> BeatAsync(IntakeCentral central, object body, string? credential = null)
    {
        var request = central.KioskRequest(HttpMethod.Post, "/api/sync/heartbeat", credential);
        request.Content = JsonContent.Create(body, options: IntakeCentral.Json);
        return await central.Http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> FleetAsync(IntakeCentral central, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/fleet");
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        return await central.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_heartbeat_is_recorded_with_the_measured_clock_skew_and_shown_on_the_fleet()
    {
        await using var central = await IntakeCentral.StartAsync(ca, true, $"--Monitoring:Token={MonitoringToken}");
        var now = central.Time.GetUtcNow();

        using var beat = await BeatAsync(central, new
        {
            outboxDepth = 7, oldestPendingSeconds = 420, deadLetters = 1, version = "1.2.3", freeDiskBytes = 5_000_000_000L,
            kioskTime = now.AddSeconds(-90),
        });
        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        var answer = (await beat.Content.ReadFromJsonAsync<BeatAnswer>(IntakeCentral.Json))!;
        Assert.Equal((now, -90.0), (answer.ServerTime, answer.ClockSkewSeconds));

        foreach (var token in new[] { IntakeCentral.OperatorToken, MonitoringToken })
        {
            using var fleet = await FleetAsync(central, token);
            Assert.Equal(HttpStatusCode.OK, fleet.StatusCode);
            var kiosk = Assert.Single((await fleet.Content.ReadFromJsonAsync<FleetAnswer>(IntakeCentral.Json))!.Kiosks);
            Assert.Equal(new FleetKiosk(IntakeCentral.KioskId, kiosk.Name, true, false, now, 7, 420, 1, "1.2.3", 5_000_000_000L, -90.0), kiosk);
        }
    }

    [Fact]
    public async Task The_fleet_needs_a_token_and_a_heartbeat_needs_the_kiosk_credential_and_sane_figures()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        using (var none = await FleetAsync(central, null)) Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        using (var wrong = await FleetAsync(central, MonitoringToken)) Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using (var stranger = await BeatAsync(central, new { outboxDepth = 0 }, credential: "cred_" + new string('B', 38)))
            Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        using (var negative = await BeatAsync(central, new { outboxDepth = -1 }))
            Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        using (var garbage = await central.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/sync/heartbeat")))
            Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);

        await using var closed = await IntakeCentral.StartAsync(ca, operators: false);
        using var off = await FleetAsync(closed, IntakeCentral.OperatorToken);
        Assert.Equal(HttpStatusCode.Forbidden, off.StatusCode);
    }

    [Fact]
    public async Task A_kiosk_clock_that_runs_late_cannot_slip_a_home_call_under_the_cut_off()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[1];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        // Really 18:06 in Astana, after the 18:00 cut-off; the kiosk's clock is ten minutes slow and says 17:56.
        central.Time.SetUtcNow(central.At(18, 6));
        var kioskNow = central.At(17, 56);
        using (var beat = await BeatAsync(central, new { outboxDepth = 1, kioskTime = kioskNow }))
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);

        var signed = central.Sign(citizen, kioskNow);
        var item = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed, createdAt: kioskNow.AddSeconds(2)));

        Assert.Equal("registered", item.Status);
        var decision = Assert.Single((await central.DecisionsAsync()).Decisions);
        Assert.Equal(("refused", RefusalReasons.AfterCutOff), (decision.Status, decision.Reason));
    }
}
