using System.Net;
using System.Text.Json;
using Dapper;
using Kiosk.Central.Journals;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Tests.Central.Booking;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Central.Staff;
using Kiosk.Tests.Eds;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Central.Journals;

/// <summary>
/// The kiosk's journal endpoints at Central (issue 12 item 3; docs/journals.md) over real HTTP, on requests really
/// signed by the demo CA's people and decided by the intake: the kiosk's credential is required; a kiosk sees its own
/// clinic's journal and never another clinic's entries; a kiosk serving no clinic gets 409; every status (accepted,
/// refused, cancelled), the channel (kiosk, desk), the masked IIN, and the day and doctor filters. The operators'
/// journal keeps its contract (accepted entries only, the full IIN) on the same query.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class JournalApiTests(DemoCaFixture ca)
{
    private const string HomeCalls = "/api/sync/journals/home-calls";
    private const string Appointments = "/api/sync/journals/appointments";

    private DemoCaEntry Registrar => ca.Manifest.Files.Single(f => f.Case == "registrar" && f.KeyType == "SIGN");

    /// <summary>
    /// Kiosk 1 serves clinic 1 (doctors 10 and 11), kiosk 2 serves clinic 2 (doctor 20) once linked; the demo CA's
    /// registrar is a registrar of clinic 1. The citizens are attached to clinic 1 unless a test moves them.
    /// </summary>
    private async Task<BookingCentral> StartAsync(bool linkSecondKiosk = true)
    {
        var b = await BookingCentral.StartAsync(ca, CentralStaffKit.Options);
        using (var c = b.Database.Open())
        {
            c.Execute("UPDATE clinics SET bin = @bin WHERE id = 1", new { bin = Registrar.Bin });
            c.Execute("UPDATE kiosks SET clinic_id = 1 WHERE kiosk_id = @id", new { id = IntakeCentral.KioskId });
            if (linkSecondKiosk) c.Execute("UPDATE kiosks SET clinic_id = 2 WHERE kiosk_id = @id", new { id = BookingCentral.SecondKioskId });
        }
        CentralStaffKit.Add(b.Central, Registrar.Iin!, "registrar", Registrar.Bin!);
        return b;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(BookingCentral b, string path, string kioskId = IntakeCentral.KioskId,
        string? credential = null)
    {
        using var request = b.Central.KioskRequest(HttpMethod.Get, path, credential ?? BookingCentral.CredentialOf(kioskId), kioskId);
        using var response = await b.Central.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static List<JsonElement> Entries(JsonElement journal) => journal.GetProperty("entries").EnumerateArray().ToList();

    /// <summary>A home call the registrar files for <paramref name="citizen"/> at clinic 1's desk, signed with the registrar's employee key.</summary>
    private SignedRequest FileHomeCallAtDesk(BookingCentral b, DemoCaEntry citizen)
    {
        var at = b.Central.At(7, 0);
        var document = new RequestDocument(Guid.NewGuid(), Iin.Parse(citizen.Iin!), "ДЕСКОВ ДЕСК", at.AddSeconds(-30), IntakeCentral.KioskId, "ru",
            new HomeCallDetails("Астана, Кенесары к-сі, 5", "+77011234567", HomeCallReasons.Fever), new FiledByStaff(Iin.Parse(Registrar.Iin!)));
        var result = new RequestSigner(ca.Checker(), new FakeTimeProvider(at)).Sign(document, File.ReadAllBytes(ca.Ca.PathOf(Registrar)), ca.Ca.Password);
        Assert.True(result.Success, string.Join(", ", result.Codes));
        return result.Request;
    }

    private static string Masked(DemoCaEntry citizen) => "******" + citizen.Iin![6..];

    [Fact]
    public async Task The_home_call_journal_lists_the_kiosks_own_clinics_calls_of_the_day_with_status_channel_and_a_masked_IIN()
    {
        await using var b = await StartAsync();
        var (attached, missing, elsewhere, atDesk) = (b.Citizens[0], b.Citizens[1], b.Citizens[2], b.Citizens[3]);
        b.Central.SetRegistry(missing, RegistryState.Missing);
        b.Central.SetRegistry(elsewhere, RegistryState.AttachedClosedWednesdays); // clinic 2, closed today

        var accepted = await b.DecideAsync(b.Sign(attached, new HomeCallDetails("Астана, Бейбітшілік к-сі, 12", "+77011234567", HomeCallReasons.Fever)));
        b.Central.Time.Advance(TimeSpan.FromMinutes(1));
        var notFound = await b.DecideAsync(b.Sign(missing, new HomeCallDetails("Астана, Абай д-лы, 1", "+77011234567", HomeCallReasons.Other)));
        b.Central.Time.Advance(TimeSpan.FromMinutes(1));
        // Filed at clinic 1's kiosk for someone attached to clinic 2: clinic 2's journal, not clinic 1's.
        var otherClinics = await b.DecideAsync(b.Sign(elsewhere, new HomeCallDetails("Астана, Сарайшық к-сі, 3", "+77011234567", HomeCallReasons.Fever)));
        b.Central.Time.Advance(TimeSpan.FromMinutes(1));
        var desk = await b.DecideAsync(FileHomeCallAtDesk(b, atDesk));
        b.Central.Time.Advance(TimeSpan.FromMinutes(1));
        // A call nobody's clinic holds, filed at clinic 2's kiosk: clinic 2's journal only.
        b.Central.SetRegistry(missing, RegistryState.NotAttached);
        var secondKiosk = await b.DecideAsync(b.Sign(missing, new HomeCallDetails("Астана, Абай д-лы, 1", "+77011234567", HomeCallReasons.Other),
            BookingCentral.SecondKioskId), BookingCentral.SecondKioskId);
        Assert.Equal(("accepted", "refused", "refused", "accepted", "refused"),
            (accepted.Status, notFound.Status, otherClinics.Status, desk.Status, secondKiosk.Status));

        var (status, journal) = await GetAsync(b, $"{HomeCalls}?date={b.DayText()}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1L, b.DayText()), (journal.GetProperty("clinicId").GetInt64(), journal.GetProperty("date").GetString()));
        var entries = Entries(journal);
        Assert.Equal([accepted.RegistrationNumber, notFound.RegistrationNumber, desk.RegistrationNumber],
            entries.Select(e => e.GetProperty("number").GetString()!).ToArray());

        var first = entries[0];
        Assert.Equal(("accepted", "kiosk", Masked(attached), "ТЕСТОВ ТЕСТ", "Астана, Бейбітшілік к-сі, 12", "07:05"),
            (first.GetProperty("status").GetString(), first.GetProperty("channel").GetString(), first.GetProperty("maskedIin").GetString(),
                first.GetProperty("name").GetString(), first.GetProperty("address").GetString(), first.GetProperty("time").GetString()));
        Assert.Equal(b.DayText(), first.GetProperty("visit").GetProperty("date").GetString());
        Assert.False(first.TryGetProperty("reason", out _));
        Assert.Equal(("refused", RefusalReasons.NotInRegistry, "kiosk", "07:06"),
            (entries[1].GetProperty("status").GetString(), entries[1].GetProperty("reason").GetString(), entries[1].GetProperty("channel").GetString(),
                entries[1].GetProperty("time").GetString()));
        Assert.False(entries[1].TryGetProperty("visit", out _));
        Assert.Equal(("accepted", "desk", Masked(atDesk), "ДЕСКОВ ДЕСК"),
            (entries[2].GetProperty("status").GetString(), entries[2].GetProperty("channel").GetString(), entries[2].GetProperty("maskedIin").GetString(),
                entries[2].GetProperty("name").GetString()));
        // Nothing more personal than the masked IIN and the name: no full IIN, no phone, no registrar.
        var text = journal.GetRawText();
        foreach (var person in b.Citizens) Assert.DoesNotContain(person.Iin!, text);
        Assert.DoesNotContain(Registrar.Iin!, text);
        Assert.DoesNotContain("77011234567", text);

        // Clinic 2's kiosk sees clinic 2's calls: the one filed at clinic 1's kiosk for its person, and its own.
        var (_, second) = await GetAsync(b, $"{HomeCalls}?date={b.DayText()}", BookingCentral.SecondKioskId);
        Assert.Equal([otherClinics.RegistrationNumber, secondKiosk.RegistrationNumber],
            Entries(second).Select(e => e.GetProperty("number").GetString()!).ToArray());
        Assert.Equal(RefusalReasons.ClinicClosedToday, Entries(second)[0].GetProperty("reason").GetString());

        // The day filter: nothing tomorrow or yesterday; no date is today (Central's clock).
        Assert.Empty(Entries((await GetAsync(b, $"{HomeCalls}?date={b.DayText(1)}")).Body));
        Assert.Empty(Entries((await GetAsync(b, $"{HomeCalls}?date={b.DayText(-1)}")).Body));
        Assert.Equal(3, Entries((await GetAsync(b, HomeCalls)).Body).Count);

        // The operators' journal on the same query keeps its contract: accepted calls only, the full record.
        var operators = await b.GetJsonAsync($"/api/clinics/1/home-calls?date={b.DayText()}");
        var calls = operators.GetProperty("calls").EnumerateArray().ToList();
        Assert.Equal([accepted.RegistrationNumber, desk.RegistrationNumber], calls.Select(c => c.GetProperty("registrationNumber").GetString()!).ToArray());
        Assert.Equal((attached.Iin, "+77011234567"), (calls[0].GetProperty("applicantIin").GetString(), calls[0].GetProperty("phone").GetString()));

        // Nobody is named in Central's log.
        Assert.Contains(b.Central.Logs.Lines, l => l.Contains($"Kiosk {IntakeCentral.KioskId} read its clinic's home-calls journal: 3 entries"));
        foreach (var person in b.Citizens) Assert.DoesNotContain(b.Central.Logs.Lines, l => l.Contains(person.Iin!));
    }

    [Fact]
    public async Task The_appointment_journal_lists_booked_cancelled_and_refused_bookings_of_the_clinics_doctors_and_filters_by_doctor()
    {
        await using var b = await StartAsync();
        var (first, second, third, fourth) = (b.Citizens[0], b.Citizens[1], b.Citizens[2], b.Citizens[3]);

        var booked = await b.DecideAsync(b.Sign(first, b.Slot(BookingCentral.Doctor, 1)));
        b.Central.Time.Advance(TimeSpan.FromMinutes(1));
        var taken = await b.DecideAsync(b.Sign(second, b.Slot(BookingCentral.Doctor, 1)));
        b.Central.Time.Advance(TimeSpan.FromMinutes(1));
        var toCancel = b.Sign(third, b.Slot(BookingCentral.SecondDoctor, 2));
        var cancelledBooking = await b.DecideAsync(toCancel);
        var cancellation = await b.DecideAsync(b.Sign(third, new AppointmentCancellationDetails(toCancel.RequestId, BookingCentral.ClinicD1,
            BookingCentral.SecondDoctor, BookingCentral.SlotId(BookingCentral.SecondDoctor, 2), b.SlotStart(BookingCentral.SecondDoctor, 2))));
        // A refused cancellation is no entry of its own: the booking it names stays as it was.
        var refusedCancel = await b.DecideAsync(b.Sign(second, new AppointmentCancellationDetails(booked.RequestId is { } id ? Guid.Parse(id) : default,
            BookingCentral.ClinicD1, BookingCentral.Doctor, BookingCentral.SlotId(BookingCentral.Doctor, 1), b.SlotStart(BookingCentral.Doctor, 1))));
        // Clinic 2's doctor, for someone attached to clinic 1: refused, in clinic 2's journal only.
        var otherClinic = await b.DecideAsync(b.Sign(fourth, b.Slot(BookingCentral.OtherClinicDoctor, 1)));
        Assert.Equal(("accepted", "refused", "accepted", "accepted", "refused", "refused"),
            (booked.Status, taken.Status, cancelledBooking.Status, cancellation.Status, refusedCancel.Status, otherClinic.Status));
        Assert.Equal(RefusalReasons.SlotTaken, taken.Reason);

        var (status, journal) = await GetAsync(b, $"{Appointments}?date={b.DayText(1)}");
        Assert.Equal(HttpStatusCode.OK, status);
        var entries = Entries(journal);
        Assert.Equal([booked.RegistrationNumber, taken.RegistrationNumber, cancelledBooking.RegistrationNumber],
            entries.Select(e => e.GetProperty("number").GetString()!).ToArray());
        Assert.Equal(("accepted", "09:00", BookingCentral.Doctor, "ДӘРІГЕР Д", "101", Masked(first), "kiosk"),
            (entries[0].GetProperty("status").GetString(), entries[0].GetProperty("time").GetString(), entries[0].GetProperty("doctorId").GetInt64(),
                entries[0].GetProperty("doctorName").GetString(), entries[0].GetProperty("room").GetString(), entries[0].GetProperty("maskedIin").GetString(),
                entries[0].GetProperty("channel").GetString()));
        Assert.Equal(("refused", RefusalReasons.SlotTaken, Masked(second)),
            (entries[1].GetProperty("status").GetString(), entries[1].GetProperty("reason").GetString(), entries[1].GetProperty("maskedIin").GetString()));
        Assert.Equal(("cancelled", "09:20", BookingCentral.SecondDoctor),
            (entries[2].GetProperty("status").GetString(), entries[2].GetProperty("time").GetString(), entries[2].GetProperty("doctorId").GetInt64()));
        Assert.True(entries[2].TryGetProperty("cancelledAt", out _));
        foreach (var person in b.Citizens) Assert.DoesNotContain(person.Iin!, journal.GetRawText());

        // One doctor's journal; a doctor of another clinic is not this kiosk's to ask for; a bad id is refused.
        var (_, doctor11) = await GetAsync(b, $"{Appointments}?date={b.DayText(1)}&doctor={BookingCentral.SecondDoctor}");
        Assert.Equal(BookingCentral.SecondDoctor, doctor11.GetProperty("doctorId").GetInt64());
        Assert.Equal([cancelledBooking.RegistrationNumber], Entries(doctor11).Select(e => e.GetProperty("number").GetString()!).ToArray());
        Assert.Equal(2, Entries((await GetAsync(b, $"{Appointments}?date={b.DayText(1)}&doctor={BookingCentral.Doctor}")).Body).Count);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(b, $"{Appointments}?date={b.DayText(1)}&doctor={BookingCentral.OtherClinicDoctor}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(b, $"{Appointments}?date={b.DayText(1)}&doctor=ten")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(b, $"{Appointments}?date={b.DayText(1)}&doctor=-1")).Status);

        // The day filter: today's slots hold nothing.
        Assert.Empty(Entries((await GetAsync(b, $"{Appointments}?date={b.DayText()}")).Body));

        // Clinic 2's kiosk: only its doctor's refused booking.
        var (_, second2) = await GetAsync(b, $"{Appointments}?date={b.DayText(1)}", BookingCentral.SecondKioskId);
        var only = Assert.Single(Entries(second2));
        Assert.Equal((otherClinic.RegistrationNumber, "refused", RefusalReasons.OtherClinic),
            (only.GetProperty("number").GetString(), only.GetProperty("status").GetString(), only.GetProperty("reason").GetString()));

        // The operators' journal: the active booking only, as before.
        var operators = await b.GetJsonAsync($"/api/clinics/1/appointments?date={b.DayText(1)}");
        var active = Assert.Single(operators.GetProperty("appointments").EnumerateArray());
        Assert.Equal((booked.RegistrationNumber, first.Iin), (active.GetProperty("registrationNumber").GetString(), active.GetProperty("applicantIin").GetString()));
    }

    [Fact]
    public async Task A_desk_booking_Central_refuses_by_the_desks_rule_is_in_the_journal_as_refused_from_the_desk()
    {
        await using var b = await StartAsync();
        CentralStaffKit.Register(b.Central).SetDisabled(Iin.Parse(Registrar.Iin!), true);
        var at = b.Central.At(7, 0);
        var document = new RequestDocument(Guid.NewGuid(), Iin.Parse(b.Citizens[0].Iin!), "ДЕСКОВ ДЕСК", at.AddSeconds(-30), IntakeCentral.KioskId, "ru",
            b.Slot(BookingCentral.Doctor, 3), new FiledByStaff(Iin.Parse(Registrar.Iin!)));
        var signed = new RequestSigner(ca.Checker(), new FakeTimeProvider(at)).Sign(document, File.ReadAllBytes(ca.Ca.PathOf(Registrar)), ca.Ca.Password);
        Assert.True(signed.Success);
        var decision = await b.DecideAsync(signed.Request);
        Assert.Equal(("refused", RefusalReasons.StaffAccountDisabled), (decision.Status, decision.Reason));

        var entry = Assert.Single(Entries((await GetAsync(b, $"{Appointments}?date={b.DayText(1)}")).Body));
        Assert.Equal((decision.RegistrationNumber, "refused", RefusalReasons.StaffAccountDisabled, "desk", "09:40"),
            (entry.GetProperty("number").GetString(), entry.GetProperty("status").GetString(), entry.GetProperty("reason").GetString(),
                entry.GetProperty("channel").GetString(), entry.GetProperty("time").GetString()));
    }

    [Fact]
    public async Task Only_an_authenticated_kiosk_that_serves_a_clinic_reads_a_journal_and_bad_filters_are_refused()
    {
        await using var b = await StartAsync(linkSecondKiosk: false);
        foreach (var path in new[] { HomeCalls, Appointments })
        {
            using (var anonymous = await b.Central.Http.GetAsync($"{path}?date={b.DayText()}"))
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(b, path, credential: "cred_wrong" + new string('Z', 33))).Status);
            // The operators' token is not a kiosk's credential.
            using (var request = new HttpRequestMessage(HttpMethod.Get, path))
            {
                request.Headers.Authorization = new("Bearer", IntakeCentral.OperatorToken);
                Assert.Equal(HttpStatusCode.Unauthorized, (await b.Central.Http.SendAsync(request)).StatusCode);
            }
            var (noClinic, problem) = await GetAsync(b, path, BookingCentral.SecondKioskId);
            Assert.Equal(HttpStatusCode.Conflict, noClinic);
            Assert.Equal("No clinic", problem.GetProperty("title").GetString());
            Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(b, $"{path}?date=25.11.2026")).Status);
        }
        Assert.Contains(b.Central.Logs.Lines, l => l.Contains($"Kiosk {BookingCentral.SecondKioskId} asked for its clinic's journal, but serves no clinic"));
        // Home calls have no doctor: a doctor filter is refused rather than ignored.
        var (doctor, doctorProblem) = await GetAsync(b, $"{HomeCalls}?date={b.DayText()}&doctor={BookingCentral.Doctor}");
        Assert.Equal(HttpStatusCode.BadRequest, doctor);
        Assert.Equal("No doctor filter for home calls", doctorProblem.GetProperty("title").GetString());

        // A revoked kiosk reads nothing.
        using (var revoke = await b.Central.OperatorAsync(HttpMethod.Post, $"/api/kiosks/{IntakeCentral.KioskId}/revoke"))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(b, HomeCalls)).Status);
    }

    [Fact]
    public async Task The_journals_query_finds_refused_bookings_through_their_index()
    {
        // Migration 0011's expression index must match the journal's expression, or every journal reads every request.
        await using var b = await StartAsync();
        using var c = b.Database.Open();
        var plan = c.Query<(long, long, long, string Detail)>("EXPLAIN QUERY PLAN " + JournalQueries.AppointmentsSql,
            JournalQueries.AppointmentsArgs(1, b.Central.Day.AddDays(1), null)).Select(r => r.Detail).ToList();
        Assert.Contains(plan, d => d.Contains("requests_refused_appointments_by_slot", StringComparison.Ordinal));
    }
}
