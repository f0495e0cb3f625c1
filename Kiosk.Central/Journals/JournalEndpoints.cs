using System.ComponentModel;
using System.Globalization;
using Dapper;
using Kiosk.Central.Sync;
using Kiosk.Core.Time;
using Kiosk.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Kiosk.Central.Journals;

/// <summary>
/// The clinic's journals over HTTP (issue 12 item 3; docs/journals.md):
/// <list type="bullet">
/// <item>for a kiosk node, with its own credential, the journals of <em>the clinic it serves</em> (kiosks.clinic_id):
/// <c>GET /api/sync/journals/home-calls?date=</c> and <c>GET /api/sync/journals/appointments?date=&amp;doctor=</c>, every
/// entry with its status and channel, the citizen as a masked IIN and a name, no phone;</item>
/// <item>for operators (<c>Operators:Token</c>), the handlers of <c>/api/clinics/{id}/home-calls</c> and
/// <c>/api/clinics/{id}/appointments</c> (mapped in <see cref="SyncEndpoints"/>): accepted entries with the full record,
/// the contract of issues 4–5.</item>
/// </list>
/// Both read <see cref="JournalQueries"/>. Dates and doctor ids are the only query parameters; nothing personal is in a
/// URL or a log line.
/// </summary>
public static partial class JournalEndpoints
{
    /// <param name="kiosk">The kiosk-authenticated group under <c>/api/sync</c>.</param>
    public static RouteGroupBuilder MapJournals(this RouteGroupBuilder kiosk)
    {
        kiosk.MapGet("/journals/home-calls", HomeCalls)
            .WithName("KioskHomeCallJournal")
            .WithSummary("The home-call journal of the clinic this kiosk serves, for one day")
            .WithDescription("Authorization: Bearer <kioskId>.<credential>. Every home call of the day for the kiosk's clinic (accepted on their visit's day, refused on the day received), " +
                             "in the order received: number, time, masked IIN, name, address, channel (kiosk or desk), status and reason. Home calls have no assigned doctor, so 'doctor' is refused here. " +
                             "400: bad date, or a doctor given; 401/403: kiosk not authenticated or revoked; 409: the kiosk serves no clinic.")
            .Produces<KioskHomeCallJournal>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        kiosk.MapGet("/journals/appointments", Appointments)
            .WithName("KioskAppointmentJournal")
            .WithSummary("The appointment journal of the clinic this kiosk serves, for one day (and one doctor)")
            .WithDescription("Authorization: Bearer <kioskId>.<credential>. Every booking with the clinic's doctors whose slot falls on the day, in slot order: booked (accepted), cancelled and refused. " +
                             "400: bad date or doctor; 404: the doctor is not one of the clinic's; 401/403: kiosk not authenticated or revoked; 409: the kiosk serves no clinic.")
            .Produces<KioskAppointmentJournal>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return kiosk;
    }

    // ---- the kiosk's journals -------------------------------------------------------------------------------------

    private static async Task<IResult> HomeCalls(
        HttpContext http, SqliteDatabase db, TimeProvider time, ILoggerFactory loggers,
        [FromQuery, Description("The Astana date yyyy-MM-dd; default today")] string? date,
        [FromQuery, Description("Not accepted: home calls have no assigned doctor")] string? doctor)
    {
        if (ParseDay(date, time) is not { } day) return BadDate();
        if (doctor is not null)
            return Problem(StatusCodes.Status400BadRequest, "No doctor filter for home calls",
                "Central does not assign home calls to a doctor, so the home-call journal cannot be filtered by one; leave out 'doctor'.");
        var kioskId = SyncEndpoints.AuthenticatedKiosk(http).KioskId!;
        await using var c = db.Open();
        if (await ClinicOf(c, kioskId) is not { } clinicId) return NoClinic(loggers, kioskId);
        var entries = JournalQueries.HomeCalls(c, clinicId, day).Select(r => new KioskHomeCallEntry(
            r.Number, Clock(r.ReceivedAt), r.ReceivedAt, r.Document.ApplicantIin.Masked, r.Document.ApplicantName, r.Details.Address, r.Channel,
            r.Status, r.Reason, r.VisitFrom is not null ? new VisitWindow(Text(day), r.VisitFrom, r.VisitTo!) : null)).ToList();
        LogServed(loggers.CreateLogger(typeof(JournalEndpoints).FullName!), kioskId, "home-calls", entries.Count);
        return Results.Ok(new KioskHomeCallJournal(clinicId, Text(day), entries));
    }

    private static async Task<IResult> Appointments(
        HttpContext http, SqliteDatabase db, TimeProvider time, ILoggerFactory loggers,
        [FromQuery, Description("The Astana date yyyy-MM-dd; default today")] string? date,
        [FromQuery, Description("One doctor of the clinic (id); default all")] string? doctor)
    {
        if (ParseDay(date, time) is not { } day) return BadDate();
        long? doctorId = null;
        if (!string.IsNullOrEmpty(doctor))
        {
            if (!long.TryParse(doctor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
                return Problem(StatusCodes.Status400BadRequest, "Bad doctor", "doctor must be the id of one of the clinic's doctors.");
            doctorId = id;
        }
        var kioskId = SyncEndpoints.AuthenticatedKiosk(http).KioskId!;
        await using var c = db.Open();
        if (await ClinicOf(c, kioskId) is not { } clinicId) return NoClinic(loggers, kioskId);
        if (doctorId is { } d && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM doctors WHERE id = @d AND clinic_id = @clinicId", new { d, clinicId }) == 0)
            return Problem(StatusCodes.Status404NotFound, "No such doctor", "The clinic this kiosk serves has no doctor with this id.");
        var entries = JournalQueries.Appointments(c, clinicId, day, doctorId).Select(r => new KioskAppointmentEntry(
            r.Number, Clock(r.StartsAt), r.StartsAt, r.SlotId, r.DoctorId, r.DoctorName, r.Speciality, r.Room, r.Document.ApplicantIin.Masked,
            r.Document.ApplicantName, r.Channel, r.Status, r.Reason, r.ReceivedAt, r.CancelledAt)).ToList();
        LogServed(loggers.CreateLogger(typeof(JournalEndpoints).FullName!), kioskId, "appointments", entries.Count);
        return Results.Ok(new KioskAppointmentJournal(clinicId, Text(day), doctorId, entries));
    }

    private static Task<long?> ClinicOf(Microsoft.Data.Sqlite.SqliteConnection c, string kioskId) =>
        c.ExecuteScalarAsync<long?>("SELECT clinic_id FROM kiosks WHERE kiosk_id = @kioskId", new { kioskId });

    private static IResult NoClinic(ILoggerFactory loggers, string kioskId)
    {
        LogNoClinic(loggers.CreateLogger(typeof(JournalEndpoints).FullName!), kioskId);
        return Problem(StatusCodes.Status409Conflict, "No clinic",
            "This kiosk serves no clinic, so it has no clinic journal: POST /api/kiosks/{id}/clinic (or Kiosks:Clinics:<kioskId>) links it to one.");
    }

    // ---- the operators' journals (mapped in SyncEndpoints.MapSyncApi; contract of issues 4–5) -------------------

    /// <summary><c>GET /api/clinics/{id}/home-calls?date=</c>: the accepted home calls whose visit is on the day, by visit time.</summary>
    internal static async Task<IResult> OperatorHomeCalls(
        long id, SqliteDatabase db, TimeProvider time,
        [FromQuery, Description("The Astana date yyyy-MM-dd; default today")] string? date)
    {
        if (ParseDay(date, time) is not { } day) return BadDate();
        await using var c = db.Open();
        if (!await ClinicExists(c, id)) return NoSuchClinic();
        var calls = JournalQueries.HomeCalls(c, id, day)
            .Where(r => r.Status == "accepted")
            .OrderBy(r => r.VisitFrom, StringComparer.Ordinal).ThenBy(r => r.Number, StringComparer.Ordinal)
            .Select(r => new HomeCallJournalEntry(r.Number, r.RequestId, r.VisitFrom!, r.VisitTo!, r.Document.ApplicantIin.Value, r.Document.ApplicantName,
                r.Details.Address, r.Details.Phone, r.Details.ReasonCode, r.Details.Note, r.ReceivedAt))
            .ToList();
        return Results.Ok(new HomeCallJournal(id, Text(day), calls));
    }

    /// <summary><c>GET /api/clinics/{id}/appointments?date=</c>: the active bookings whose slots are on the day, in slot order.</summary>
    internal static async Task<IResult> OperatorAppointments(
        long id, SqliteDatabase db, TimeProvider time,
        [FromQuery, Description("The Astana date yyyy-MM-dd; default today")] string? date)
    {
        if (ParseDay(date, time) is not { } day) return BadDate();
        await using var c = db.Open();
        if (!await ClinicExists(c, id)) return NoSuchClinic();
        var entries = JournalQueries.Appointments(c, id, day)
            .Where(r => r.Status == AppointmentStatuses.Accepted)
            .Select(r => new AppointmentJournalEntry(r.Number, r.RequestId, r.SlotId, Clock(r.StartsAt), r.StartsAt, r.DoctorId, r.DoctorName,
                r.Speciality, r.Room, r.Document.ApplicantIin.Value, r.Document.ApplicantName, r.BookedAt))
            .ToList();
        return Results.Ok(new AppointmentJournal(id, Text(day), entries));
    }

    private static async Task<bool> ClinicExists(Microsoft.Data.Sqlite.SqliteConnection c, long id) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM clinics WHERE id = @id", new { id }) > 0;

    private static IResult NoSuchClinic() => Problem(StatusCodes.Status404NotFound, "No such clinic", "No clinic has this id.");

    // ---- helpers --------------------------------------------------------------------------------------------------

    /// <summary>The Astana date of <paramref name="date"/> (yyyy-MM-dd), today when empty; null when malformed.</summary>
    private static DateOnly? ParseDay(string? date, TimeProvider time)
    {
        if (string.IsNullOrEmpty(date)) return AstanaTime.Today(time);
        return DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
    }

    private static IResult BadDate() => Problem(StatusCodes.Status400BadRequest, "Bad date", "date must be yyyy-MM-dd.");

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Clock(DateTimeOffset instant) => AstanaTime.ToLocal(instant).ToString("HH:mm", CultureInfo.InvariantCulture);

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);

    // The kiosk, the journal and a count: never who is in it.
    [LoggerMessage(LogLevel.Information, "Kiosk {KioskId} read its clinic's {Journal} journal: {Entries} entries")]
    private static partial void LogServed(ILogger logger, string kioskId, string journal, int entries);

    [LoggerMessage(LogLevel.Warning, "Kiosk {KioskId} asked for its clinic's journal, but serves no clinic")]
    private static partial void LogNoClinic(ILogger logger, string kioskId);
}
