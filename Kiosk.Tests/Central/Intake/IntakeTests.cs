using System.Net;
using System.Text.Json;
using Dapper;
using Kiosk.Core.Eds.Cms;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Central.Intake;

/// <summary>
/// Central's intake over real HTTP (issue 4 item 3, "Done when"): real signatures by the demo CA's citizens, a fake
/// clock for Central, a fresh Central per test (the fake clock only moves forward).
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class IntakeTests(DemoCaFixture ca)
{
    private static long Count(IntakeCentral central, string sql) => central.Database.Open().ExecuteScalar<long>(sql);

    [Fact]
    public async Task A_home_call_of_an_attached_person_is_registered_and_accepted_with_a_visit_window()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var signed = central.Sign(citizen, central.At(10, 0));
        central.Time.SetUtcNow(central.At(10, 5));

        var answer = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed));

        Assert.Equal("registered", answer.Status);
        Assert.Equal(signed.RequestId.ToString("D"), answer.RequestId);
        Assert.Matches($"^HC-{central.Day:yyyyMMdd}-000001$", answer.RegistrationNumber!);
        var decision = Assert.Single((await central.DecisionsAsync()).Decisions);
        Assert.Equal(("accepted", answer.RegistrationNumber, (string?)null), (decision.Status, decision.RegistrationNumber, decision.Reason));
        Assert.Equal(new Visit($"{central.Day:yyyy-MM-dd}", "10:15", "20:00"), decision.Visit);

        // The exact bytes are kept, and the call is in the clinic's journal.
        using (var c = central.Database.Open())
        {
            var stored = c.QuerySingle<byte[]>("SELECT document FROM requests");
            Assert.Equal(signed.DocumentBytes, stored);
        }
        using var journal = await central.OperatorAsync(HttpMethod.Get, $"/api/clinics/{IntakeCentral.OpenClinic}/home-calls?date={central.Day:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, journal.StatusCode);
        var calls = JsonDocument.Parse(await journal.Content.ReadAsStringAsync()).RootElement.GetProperty("calls");
        Assert.Equal(answer.RegistrationNumber, Assert.Single(calls.EnumerateArray()).GetProperty("registrationNumber").GetString());
        using var noToken = await central.OperatorAsync(HttpMethod.Get, $"/api/clinics/{IntakeCentral.OpenClinic}/home-calls", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);

        // Nothing personal in the logs.
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains(citizen.Iin!) || l.Contains("ТЕСТОВ") || l.Contains(IntakeCentral.Credential));
    }

    [Fact]
    public async Task A_replayed_envelope_gets_the_first_answer_and_nothing_new_is_registered()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var envelope = IntakeCentral.EnvelopeOf(central.Sign(citizen, central.At(9, 0)));
        central.Time.SetUtcNow(central.At(9, 1));

        var first = await central.PushOneAsync(envelope);
        central.Time.SetUtcNow(central.At(11, 0));
        var again = await central.PushAsync(envelope, envelope);

        Assert.Equal("registered", first.Status);
        Assert.All(again.Results, r => Assert.Equal(("duplicate", first.RegistrationNumber), (r.Status, r.RegistrationNumber)));
        Assert.Equal(1, Count(central, "SELECT COUNT(*) FROM requests"));
        Assert.Single((await central.DecisionsAsync()).Decisions);
    }

    [Fact]
    public async Task The_same_signed_document_under_a_new_envelope_id_is_refused()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var signed = central.Sign(citizen, central.At(9, 0));
        central.Time.SetUtcNow(central.At(9, 1));
        Assert.Equal("registered", (await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed))).Status);

        var newId = Guid.NewGuid().ToString("D");
        var answer = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed, requestId: newId));
        var replay = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed, requestId: newId));

        Assert.Equal(("rejected", "request-id-mismatch"), (answer.Status, answer.Reason));
        Assert.Equivalent(answer, replay, strict: true);
        Assert.Equal(1, Count(central, "SELECT COUNT(*) FROM requests"));
    }

    [Fact]
    public async Task A_document_changed_by_one_byte_is_refused_and_its_replay_gets_the_same_rejection()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[1];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var signed = central.Sign(citizen, central.At(9, 0));
        var tampered = signed.DocumentBytes.ToArray();
        var at = System.Text.Encoding.UTF8.GetString(tampered).IndexOf("+7701", StringComparison.Ordinal) + 4;
        tampered[at] = (byte)'9'; // another phone number, still a valid document
        Assert.True(RequestDocument.TryParse(tampered, out _, out _));
        central.Time.SetUtcNow(central.At(9, 1));

        var answer = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed, document: tampered));
        var replayWithTheGenuineBytes = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed));

        Assert.Equal("rejected", answer.Status);
        Assert.Contains(answer.Reason, new[] { "content-mismatch", "bad-signature" });
        Assert.Equivalent(answer, replayWithTheGenuineBytes, strict: true); // an envelope id keeps its first answer
        Assert.Equal(0, Count(central, "SELECT COUNT(*) FROM requests"));
    }

    [Fact]
    public async Task A_document_naming_another_kiosk_is_refused()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var signed = central.Sign(citizen, central.At(9, 0), kioskId: "kiosk-elsewhere");
        central.Time.SetUtcNow(central.At(9, 1));

        var answer = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed));
        var envelopeForAnotherKiosk = await central.PushOneAsync(
            IntakeCentral.EnvelopeOf(central.Sign(citizen, central.At(9, 1))) with { KioskId = "kiosk-elsewhere" });

        Assert.Equal(("rejected", "kiosk-mismatch"), (answer.Status, answer.Reason));
        Assert.Equal(("rejected", "kiosk-mismatch"), (envelopeForAnotherKiosk.Status, envelopeForAnotherKiosk.Reason));
    }

    public static TheoryData<RegistryState, int, int, int, int, string> Refusals => new()
    {
        // registry state, signed at (h, m), received at (h, m, +days folded into hour ≥ 24), expected reason
        { RegistryState.Missing, 9, 0, 9, 5, RefusalReasons.NotInRegistry },
        { RegistryState.Deceased, 9, 0, 9, 5, RefusalReasons.Deceased },
        { RegistryState.NotAttached, 9, 0, 9, 5, RefusalReasons.NotAttached },
        { RegistryState.AttachedOpenEveryDay, 18, 0, 18, 1, RefusalReasons.AfterCutOff },
        { RegistryState.AttachedClosedWednesdays, 9, 0, 9, 5, RefusalReasons.ClinicClosedToday },
        // Signed in time at an offline kiosk, delivered the next morning.
        { RegistryState.AttachedOpenEveryDay, 10, 0, 24 + 9, 0, RefusalReasons.DayOver },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Every_home_call_refusal_comes_through_the_intake(RegistryState state, int signedH, int signedM, int receivedH, int receivedM, string reason)
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[2];
        central.SetRegistry(citizen, state);
        var signed = central.Sign(citizen, central.At(signedH, signedM));
        central.Time.SetUtcNow(central.At(receivedH % 24, receivedM, receivedH / 24));

        var answer = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed));

        Assert.Equal("registered", answer.Status);
        var decision = Assert.Single((await central.DecisionsAsync()).Decisions);
        Assert.Equal(("refused", reason, answer.RegistrationNumber), (decision.Status, decision.Reason, decision.RegistrationNumber));
        Assert.Null(decision.Visit);
        Assert.Equal(RefusalReasons.For(reason, "kk"), decision.Messages!.Kk);
        Assert.Equal(RefusalReasons.For(reason, "ru"), decision.Messages.Ru);
        Assert.Equal(RefusalReasons.For(reason, "en"), decision.Messages.En);
    }

    [Fact]
    public async Task The_signing_time_is_relied_on_only_when_it_agrees_with_the_envelope()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        // Both signed at 17:50, before the 18:00 cut-off, and delivered at 18:30.
        var trusted = central.Sign(citizen, central.At(17, 50));
        var untrusted = central.Sign(citizen, central.At(17, 50));
        central.Time.SetUtcNow(central.At(18, 30));

        await central.PushAsync(
            IntakeCentral.EnvelopeOf(trusted),
            IntakeCentral.EnvelopeOf(untrusted, createdAt: central.At(18, 29))); // the kiosk stored it 39 minutes "later": the signing-time is not relied on

        var decisions = (await central.DecisionsAsync()).Decisions.ToDictionary(d => d.RequestId);
        Assert.Equal("accepted", decisions[trusted.RequestId.ToString("D")].Status);
        Assert.Equal(new Visit($"{central.Day:yyyy-MM-dd}", "18:30", "20:00"), decisions[trusted.RequestId.ToString("D")].Visit);
        Assert.Equal(("refused", RefusalReasons.AfterCutOff),
            (decisions[untrusted.RequestId.ToString("D")].Status, decisions[untrusted.RequestId.ToString("D")].Reason));
    }

    [Fact]
    public async Task Decisions_are_pulled_once_with_a_moving_cursor()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var a = central.Sign(citizen, central.At(9, 0));
        var b = central.Sign(citizen, central.At(9, 1));
        central.Time.SetUtcNow(central.At(9, 2));
        await central.PushAsync(IntakeCentral.EnvelopeOf(a), IntakeCentral.EnvelopeOf(b));

        var first = await central.DecisionsAsync();
        var none = await central.DecisionsAsync(first.Next);
        var c = central.Sign(citizen, central.At(9, 3));
        central.Time.SetUtcNow(central.At(9, 4));
        await central.PushAsync(IntakeCentral.EnvelopeOf(c));
        var third = await central.DecisionsAsync(first.Next);
        var end = await central.DecisionsAsync(third.Next);

        Assert.Equal([a.RequestId.ToString("D"), b.RequestId.ToString("D")], first.Decisions.Select(d => d.RequestId));
        Assert.False(first.More);
        Assert.Empty(none.Decisions);
        Assert.Equal(first.Next, none.Next);
        Assert.Equal(c.RequestId.ToString("D"), Assert.Single(third.Decisions).RequestId);
        Assert.NotEqual(first.Next, third.Next);
        Assert.Empty(end.Decisions);
    }

    [Fact]
    public async Task Concurrent_pushes_of_the_same_envelope_register_it_once()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[3];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var envelope = IntakeCentral.EnvelopeOf(central.Sign(citizen, central.At(9, 0)));
        central.Time.SetUtcNow(central.At(9, 1));

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => central.PushOneAsync(envelope))));

        Assert.Single(answers, a => a.Status == "registered");
        Assert.Equal(7, answers.Count(a => a.Status == "duplicate"));
        Assert.Single(answers.Select(a => a.RegistrationNumber).Distinct());
        Assert.Equal(1, Count(central, "SELECT COUNT(*) FROM requests"));
        Assert.Single((await central.DecisionsAsync()).Decisions);
    }

    [Fact]
    public async Task An_appointment_is_registered_and_decided_at_once()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var signed = central.Sign(citizen, central.At(9, 0), details: new AppointmentDetails(1, 2, 3, central.At(15, 0)));
        central.Time.SetUtcNow(central.At(9, 1));

        var answer = await central.PushOneAsync(IntakeCentral.EnvelopeOf(signed));

        Assert.Equal("registered", answer.Status);
        Assert.Matches($"^AP-{central.Day:yyyyMMdd}-000001$", answer.RegistrationNumber!);
        // Issue 5: decided in the registration's transaction (this registry has no such slot; Central/Booking tests the rest).
        var decision = Assert.Single((await central.DecisionsAsync()).Decisions);
        Assert.Equal(("refused", RefusalReasons.SlotNotFound), (decision.Status, decision.Reason));
    }

    [Fact]
    public async Task Bad_envelopes_and_bodies_are_refused()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var good = IntakeCentral.EnvelopeOf(central.Sign(citizen, central.At(9, 0)));
        central.Time.SetUtcNow(central.At(9, 1));

        var answers = (await central.PushAsync(
            good with { RequestId = "not-a-uuid" },
            good with { RequestId = Guid.NewGuid().ToString("D"), Document = "%%%" },
            good with { RequestId = Guid.NewGuid().ToString("D"), Signature = Convert.ToBase64String([0x30, 0x03, 0x02, 0x01, 0x01]) },
            good with { RequestId = Guid.NewGuid().ToString("D").ToUpperInvariant() },
            good with { CreatedAt = null })).Results;

        Assert.Equal(["invalid-envelope", "invalid-envelope", "malformed", "invalid-envelope", "invalid-envelope"], answers.Select(a => a.Reason));
        Assert.All(answers, a => Assert.Equal("rejected", a.Status));
        using var tooMany = await central.PushRawAsync(Enumerable.Repeat(good, 101));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        using var request = central.KioskRequest(HttpMethod.Post, "/api/sync/push");
        request.Content = new StringContent("{\"envelopes\":", System.Text.Encoding.UTF8, "application/json");
        using var broken = await central.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }

    [Fact]
    public async Task Without_a_trust_anchor_an_envelope_is_deferred_not_rejected()
    {
        var empty = ca.NewTempDirectory("no-anchors");
        await using var central = await IntakeCentral.StartAsync(ca, true, $"--Pki:TrustDirectory={empty}");
        var citizen = central.Citizens[0];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        var envelope = IntakeCentral.EnvelopeOf(central.Sign(citizen, central.At(9, 0)));
        central.Time.SetUtcNow(central.At(9, 1));

        var first = await central.PushOneAsync(envelope);
        var second = await central.PushOneAsync(envelope);

        Assert.Equal(("deferred", "trust-unavailable"), (first.Status, first.Reason));
        Assert.Equal(("deferred", "trust-unavailable"), (second.Status, second.Reason)); // not recorded: asked again, judged again
        Assert.Equal(0, Count(central, "SELECT COUNT(*) FROM rejected_envelopes"));
    }

    [Fact]
    public async Task A_request_signed_by_someone_else_than_the_applicant_is_refused()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var (applicant, signer) = (central.Citizens[0], central.Citizens[1]);
        central.SetRegistry(applicant, RegistryState.AttachedOpenEveryDay);
        // RequestSigner refuses to sign another person's request, so sign the applicant's document with the CMS signer
        // directly, using the other citizen's genuine, valid signing key.
        var document = new RequestDocument(Guid.NewGuid(), Iin.Parse(applicant.Iin!), "ТЕСТОВ ТЕСТ", central.At(8, 59), IntakeCentral.KioskId, "kk",
            new HomeCallDetails("Астана", "+77011234567", HomeCallReasons.Other));
        var bytes = document.ToUtf8Json();
        using var key = ca.Open(signer);
        var signature = DetachedCmsSigner.Sign(bytes, key.Certificate, central.At(9, 0), key.ExtraCertificates.FirstOrDefault());
        central.Time.SetUtcNow(central.At(9, 1));

        var answer = await central.PushOneAsync(new Envelope(document.RequestId.ToString("D"), IntakeCentral.KioskId,
            Convert.ToBase64String(bytes), Convert.ToBase64String(signature), central.At(9, 0)));

        Assert.Equal(("rejected", "iin-mismatch"), (answer.Status, answer.Reason));
        Assert.Equal(0, Count(central, "SELECT COUNT(*) FROM requests"));
    }

    [Fact]
    public async Task The_new_operations_are_in_the_OpenAPI_document()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var paths = JsonDocument.Parse(await central.Http.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/sync/enroll", "/api/sync/push", "/api/sync/decisions", "/api/kiosks", "/api/kiosks/{id}/revoke",
                     "/api/kiosks/{id}/enrollment-code", "/api/clinics/{id}/home-calls" })
            Assert.True(paths.TryGetProperty(path, out _), path);
    }
}
