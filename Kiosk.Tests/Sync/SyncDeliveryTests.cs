using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Sync;

/// <summary>
/// The sync worker end to end (issue 4 item 4): the real Kiosk.Sync process on a real kiosk SQLite file, a real Central
/// on loopback Kestrel, requests signed by the demo CA's citizens and queued by the kiosk's own stores.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class SyncDeliveryTests(DemoCaFixture ca)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Requests_queued_while_Central_is_down_stay_queued_then_are_delivered_and_decided_once_it_starts()
    {
        var requests = SyncRequests.Take(ca, 5);
        await using var central = new SyncCentral(ca, "--Intake:DecisionsPageSize=2"); // three pages of decisions
        using var kiosk = new KioskFile();
        kiosk.Queue(requests);
        using var worker = kiosk.StartWorker(central.BaseUrl);

        // Central is not running: each push fails, every row stays queued with its attempts counted.
        await Eventually.That(() => kiosk.Rows().All(r => r.Attempts >= 2), Patience, () => worker.Output);
        Assert.All(kiosk.Rows(), r =>
        {
            Assert.Equal(OutboxStore.Queued, r.State);
            Assert.Equal("unreachable", r.LastError);
            Assert.Null(r.SentAt);
            Assert.Null(r.RegistrationNumber);
        });
        await worker.WaitForLineAsync("does not answer: offline", Patience);

        await central.StartAsync();

        await Eventually.That(() => kiosk.Rows().All(r => r.State == OutboxStore.Sent), Patience, () => worker.Output);
        var registered = central.Registered();
        Assert.Equal(requests.Count, registered.Count);
        var rows = kiosk.Rows();
        Assert.All(rows, r =>
        {
            Assert.Matches($"^HC-{central.Day:yyyyMMdd}-\\d{{6}}$", r.RegistrationNumber!);
            Assert.Equal(registered[r.RequestId.ToString("D")], r.RegistrationNumber);
            Assert.NotNull(r.SentAt);
            Assert.Null(r.LastError);
            Assert.Contains("\"registered\"", r.Answer!);
        });

        await Eventually.That(() => kiosk.Decisions.All().Count == requests.Count, Patience, () => worker.Output);
        var numbers = rows.ToDictionary(r => r.RequestId, r => r.RegistrationNumber);
        Assert.All(kiosk.Decisions.All(), d =>
        {
            Assert.Equal(("home-call", "accepted", (string?)null), (d.Kind, d.Status, d.Reason));
            Assert.Equal(numbers[d.RequestId], d.RegistrationNumber);
            Assert.Equal($"{central.Day:yyyy-MM-dd}", d.VisitDate);
            Assert.Equal("20:00", d.VisitTo);
        });
        Assert.Equal(central.Count("SELECT MAX(decision_seq) FROM requests").ToString(System.Globalization.CultureInfo.InvariantCulture),
            kiosk.Setting(KioskSettings.DecisionsCursor));
        Assert.NotNull(kiosk.Setting(KioskSettings.LastPushAt));

        // Central's (fake) clock is hours ahead of the kiosk's: the worker says so.
        await worker.WaitForLineAsync("The kiosk's clock differs from Central's", Patience);
        await worker.WaitForLineAsync("answers: online", Patience);
        Assert.NotNull(kiosk.Setting(KioskSettings.ClockSkewSeconds));

        // The heartbeat reached Central: an empty outbox, and the skew Central measured agrees with the kiosk's (both
        // kiosk minus Central, hours apart here, so seconds of transit do not matter).
        await Eventually.That(() => central.Count("SELECT count(*) FROM kiosks WHERE last_heartbeat_at IS NOT NULL AND outbox_depth = 0 AND dead_letters = 0") == 1,
            Patience, () => worker.Output);
        var centralSkew = central.Count("SELECT CAST(clock_skew_seconds AS INTEGER) FROM kiosks");
        var kioskSkew = double.Parse(kiosk.Setting(KioskSettings.ClockSkewSeconds)!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(centralSkew - kioskSkew) < 60, $"Central measured {centralSkew} s, the kiosk {kioskSkew} s");
        Assert.True(Math.Abs(kioskSkew) > 3600, $"the test's clocks are hours apart, yet the skew is {kioskSkew} s");
        // Neither the credential nor a citizen's IIN in the worker's log.
        Assert.DoesNotContain(worker.Lines, l => l.Contains(SyncCentral.Credential, StringComparison.Ordinal)
            || SyncRequests.Citizens(ca).Any(c => l.Contains(c.Iin!, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_rejected_envelope_goes_to_the_dead_letters_with_its_reason_and_the_others_are_delivered()
    {
        var requests = SyncRequests.Take(ca, 4);
        var genuine = requests[3];
        var bytes = genuine.DocumentBytes.ToArray();
        var at = Encoding.UTF8.GetString(bytes).IndexOf("+7701", StringComparison.Ordinal) + 4;
        bytes[at] = (byte)'9'; // another phone number: still a valid document, no longer the one signed
        var tampered = new SignedRequest(bytes, genuine.Signature, genuine.SignerThumbprint, genuine.SignedAt);
        await using var central = new SyncCentral(ca);
        await central.StartAsync();
        using var kiosk = new KioskFile();
        kiosk.Queue([requests[0], tampered, requests[1], requests[2]]);

        using var worker = kiosk.StartWorker(central.BaseUrl);

        await Eventually.That(() => kiosk.Rows().All(r => r.State != OutboxStore.Queued), Patience, () => worker.Output);
        var rows = kiosk.Rows().ToDictionary(r => r.RequestId);
        var dead = rows[tampered.RequestId];
        Assert.Equal(OutboxStore.Dead, dead.State);
        Assert.Contains(dead.LastError, new[] { "content-mismatch", "bad-signature" });
        Assert.Contains("\"rejected\"", dead.Answer!);
        Assert.Null(dead.SentAt);
        Assert.Null(dead.RegistrationNumber);
        Assert.All(requests.Take(3), r => Assert.Equal(OutboxStore.Sent, rows[r.RequestId].State));
        Assert.Equal(3, central.Count("SELECT COUNT(*) FROM requests"));
        Assert.Equal(1, central.Count("SELECT COUNT(*) FROM rejected_envelopes"));
        Assert.Contains(worker.Lines, l => l.Contains($"Request {tampered.RequestId} rejected by Central", StringComparison.Ordinal));
        Assert.Equal(new OutboxCounts(0, 3, 1, null), new OutboxStore(kiosk.Database).Counts());
    }

    [Fact]
    public async Task A_kiosk_enrolls_once_with_its_one_time_code_keeps_the_credential_and_delivers_with_it()
    {
        var requests = SyncRequests.Take(ca, 3);
        await using var central = new SyncCentral(ca, $"--Operators:Token={IntakeCentral.OperatorToken}");
        await central.StartAsync();
        // The operator gives the kiosk a one-time code (re-enrollment: the provisioned credential is replaced when it is used).
        using var http = new HttpClient { BaseAddress = central.BaseUrl };
        using var codeRequest = new HttpRequestMessage(HttpMethod.Post, $"api/kiosks/{SyncCentral.KioskId}/enrollment-code");
        codeRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IntakeCentral.OperatorToken);
        using var codeResponse = await http.SendAsync(codeRequest);
        var codeBody = await codeResponse.Content.ReadAsStringAsync();
        Assert.True(codeResponse.IsSuccessStatusCode, codeBody);
        var code = JsonDocument.Parse(codeBody).RootElement.GetProperty("enrollmentCode").GetString()!;
        using var kiosk = new KioskFile();
        kiosk.Queue(requests.Take(2));

        string credential;
        using (var worker = kiosk.StartEnrollingWorker(central.BaseUrl, code))
        {
            await Eventually.That(() => kiosk.SentCount() == 2, Patience, () => worker.Output);
            await worker.WaitForLineAsync($"Enrolled at Central as kiosk {SyncCentral.KioskId}", Patience);
            credential = kiosk.Setting(KioskSettings.CredentialPrefix + SyncCentral.KioskId)!;
            Assert.Matches("^[A-Za-z0-9_-]{43}$", credential);
            Assert.NotEqual(SyncCentral.Credential, credential);
            Assert.DoesNotContain(worker.Lines, l => l.Contains(credential, StringComparison.Ordinal));
        }

        // Restarted, the worker uses the stored credential: the spent code is not tried again.
        kiosk.Queue(requests.Skip(2));
        using var restarted = kiosk.StartEnrollingWorker(central.BaseUrl, code);
        await Eventually.That(() => kiosk.SentCount() == 3, Patience, () => restarted.Output);
        Assert.DoesNotContain(restarted.Lines, l => l.Contains("enroll", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(3, central.Count("SELECT COUNT(*) FROM requests"));
    }
    [Fact]
    public async Task With_a_credential_Central_refuses_nothing_is_marked_sent_and_the_worker_says_why()
    {
        var requests = SyncRequests.Take(ca, 2);
        await using var central = new SyncCentral(ca);
        await central.StartAsync();
        using var kiosk = new KioskFile();
        kiosk.Queue(requests);

        using var worker = kiosk.StartWorkerWithCredential(central.BaseUrl, "wrong_" + new string('C', 37));

        await Eventually.That(() => kiosk.Rows().All(r => r.Attempts >= 2), Patience, () => worker.Output);
        Assert.All(kiosk.Rows(), r =>
        {
            Assert.Equal(OutboxStore.Queued, r.State);
            Assert.Equal("http-401", r.LastError);
            Assert.Null(r.SentAt);
        });
        await worker.WaitForLineAsync("does not accept this kiosk's credential (401)", Patience);
        Assert.Equal(0, central.Count("SELECT COUNT(*) FROM requests"));
    }
}
