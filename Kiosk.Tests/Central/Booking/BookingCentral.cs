using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Storage;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Central.Booking;

public sealed record OfferedSlot(long SlotId, long DoctorId, long ClinicId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string LocalDate, string LocalTime);
public sealed record BookingDecision(string RequestId, string RegistrationNumber, string Kind, string Status, string? Reason, Messages? Messages,
    DateTimeOffset DecidedAt, List<OfferedSlot>? Alternatives);
public sealed record BookingDecisionPage(List<BookingDecision> Decisions, string Next, bool More);

/// <summary>
/// A real Central on loopback (<see cref="IntakeCentral"/>: fake clock at 07:05 on the test Wednesday, the demo CA's
/// trust folder) with a second provisioned kiosk and a schedule: three clinics (1 and 2 serve district D1, 3 serves
/// D2), doctors 10 and 11 at clinic 1 and 20 at clinic 2, each with a slot that began at 06:00 today
/// (<c>doctor·100</c>) and six slots tomorrow from 09:00 every 20 minutes (<c>doctor·100 + 1…6</c>). The demo CA's
/// citizens live in D1 and are attached to clinic 1 unless a test says otherwise.
/// </summary>
public sealed class BookingCentral : IAsyncDisposable
{
    public const string SecondKioskId = "kiosk-test.02";
    public static readonly string SecondCredential = "cred2_" + new string('C', 38);
    public const long ClinicD1 = IntakeCentral.OpenClinic, OtherClinicD1 = IntakeCentral.WeekStartClinic, ClinicD2 = 3;
    public const long Doctor = 10, SecondDoctor = 11, OtherClinicDoctor = 20;

    private readonly DemoCaFixture _ca;

    private BookingCentral(DemoCaFixture ca, IntakeCentral central)
    {
        _ca = ca;
        Central = central;
    }

    public IntakeCentral Central { get; }
    public SqliteDatabase Database => Central.Database;
    public IReadOnlyList<DemoCaEntry> Citizens => Central.Citizens;

    public static async Task<BookingCentral> StartAsync(DemoCaFixture ca, params string[] extra)
    {
        var central = await IntakeCentral.StartAsync(ca, true, [$"--Kiosks:Provisioned:{SecondKioskId}={SecondCredential}", .. extra]);
        var booking = new BookingCentral(ca, central);
        booking.SeedSchedule();
        foreach (var citizen in central.Citizens) central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        central.Time.SetUtcNow(central.At(7, 5));
        return booking;
    }

    /// <summary>Slot <paramref name="index"/> of a doctor: 0 began at 06:00 today; 1… are tomorrow from 09:00, 20 minutes apart.</summary>
    public DateTimeOffset SlotStart(long doctor, int index) =>
        index == 0 ? Central.At(6, 0) : Central.At(9, 0, days: 1).AddMinutes(20 * (index - 1));

    public static long SlotId(long doctor, int index) => doctor * 100 + index;

    public AppointmentDetails Slot(long doctor, int index, long? clinic = null) =>
        new(clinic ?? ClinicOf(doctor), doctor, SlotId(doctor, index), SlotStart(doctor, index));

    public static long ClinicOf(long doctor) => doctor == OtherClinicDoctor ? OtherClinicD1 : ClinicD1;

    private void SeedSchedule()
    {
        using var c = Database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("INSERT INTO districts (code, name_ru, name_kk, name_en, in_city, version) VALUES ('D2', 'Р2', 'Қ2', 'E2', 1, 1)", transaction: tx);
        c.Execute("INSERT INTO clinics (id, name_ru, name_kk, name_en, address, version) VALUES (3, 'П3', 'Е3', 'C3', 'Astana', 1)", transaction: tx);
        c.Execute("INSERT INTO clinic_districts (clinic_id, district) VALUES (1, 'D1'), (2, 'D1'), (3, 'D2')", transaction: tx);
        tx.Commit();
        AddDoctor(Doctor, ClinicD1, 6);
        AddDoctor(SecondDoctor, ClinicD1, 6);
        AddDoctor(OtherClinicDoctor, OtherClinicD1, 6);
    }

    /// <summary>A doctor with a slot that began at 06:00 today and <paramref name="tomorrow"/> slots tomorrow.</summary>
    public void AddDoctor(long id, long clinic, int tomorrow)
    {
        using var c = Database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("""
            INSERT INTO doctors (id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room, version)
            VALUES (@id, @clinic, 'ДӘРІГЕР', 'Д', NULL, 'district-therapist', 20, '101', 1)
            """, new { id, clinic }, tx);
        for (var i = 0; i <= tomorrow; i++)
        {
            var starts = SlotStart(id, i);
            c.Execute("INSERT INTO slots (id, doctor_id, starts_at, ends_at, version) VALUES (@slot, @id, @starts, @ends, 1)",
                new { slot = SlotId(id, i), id, starts, ends = starts.AddMinutes(20) }, tx);
        }
        tx.Commit();
    }

    public SignedRequest Sign(DemoCaEntry citizen, RequestDetails details, string kioskId = IntakeCentral.KioskId, DateTimeOffset? at = null) =>
        IntakeCentral.Sign(_ca, citizen, at ?? Central.At(7, 0), null, kioskId, details);

    public static Envelope EnvelopeOf(SignedRequest signed, string kioskId = IntakeCentral.KioskId) =>
        IntakeCentral.EnvelopeOf(signed) with { KioskId = kioskId };

    public static string CredentialOf(string kioskId) => kioskId == SecondKioskId ? SecondCredential : IntakeCentral.Credential;

    /// <summary>Pushes one envelope as its kiosk, over real HTTP.</summary>
    public async Task<PushItem> PushAsync(SignedRequest signed, string kioskId = IntakeCentral.KioskId)
    {
        using var response = await Central.PushRawAsync([EnvelopeOf(signed, kioskId)], CredentialOf(kioskId), kioskId);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return Assert.Single(JsonSerializer.Deserialize<PushResult>(body, IntakeCentral.Json)!.Results);
    }

    /// <summary>Pushes and returns Central's decision on the request, as the kiosk pulls it.</summary>
    public async Task<BookingDecision> DecideAsync(SignedRequest signed, string kioskId = IntakeCentral.KioskId)
    {
        var answer = await PushAsync(signed, kioskId);
        Assert.Equal("registered", answer.Status);
        return await DecisionAsync(signed.RequestId, kioskId);
    }

    public async Task<BookingDecision> DecisionAsync(Guid requestId, string kioskId = IntakeCentral.KioskId) =>
        Assert.Single(await DecisionsAsync(kioskId), d => d.RequestId == requestId.ToString("D"));

    public async Task<List<BookingDecision>> DecisionsAsync(string kioskId = IntakeCentral.KioskId)
    {
        var all = new List<BookingDecision>();
        string? since = null;
        while (true)
        {
            using var request = Central.KioskRequest(HttpMethod.Get, "/api/sync/decisions" + (since is null ? "" : "?since=" + since), CredentialOf(kioskId), kioskId);
            using var response = await Central.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            var page = JsonSerializer.Deserialize<BookingDecisionPage>(body, IntakeCentral.Json)!;
            all.AddRange(page.Decisions);
            since = page.Next;
            if (!page.More) return all;
        }
    }

    public long Scalar(string sql, object? args = null)
    {
        using var c = Database.Open();
        return c.ExecuteScalar<long>(sql, args);
    }

    public long SlotVersion(long slotId) => Scalar("SELECT version FROM slots WHERE id = @slotId", new { slotId });

    public long? ActiveClinic(DemoCaEntry citizen)
    {
        using var c = Database.Open();
        return c.QuerySingleOrDefault<long?>("SELECT clinic_id FROM attachments WHERE iin = @iin AND detached_on IS NULL", new { iin = citizen.Iin });
    }

    public void SetDistrict(DemoCaEntry citizen, string district)
    {
        using var c = Database.Open();
        c.Execute("UPDATE persons SET district = @district WHERE iin = @iin", new { district, iin = citizen.Iin });
    }

    public string DayText(int days = 0) => Central.Day.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<JsonElement> GetJsonAsync(string path, bool operatorToken = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (operatorToken) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IntakeCentral.OperatorToken);
        using var response = await Central.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public ValueTask DisposeAsync() => Central.DisposeAsync();
}
