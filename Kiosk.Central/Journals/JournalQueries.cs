using System.Globalization;
using Dapper;
using Kiosk.Central.Schedule;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Journals;

/// <summary>
/// One home call of a clinic's journal, as registered: the signed document (for the person, address and phone), the
/// decision, the channel. <see cref="VisitFrom"/>/<see cref="VisitTo"/> only when accepted.
/// </summary>
public sealed record HomeCallRow(
    string Number, string RequestId, string Status, string? Reason, string Channel, DateTimeOffset ReceivedAt, string? VisitFrom, string? VisitTo,
    RequestDocument Document)
{
    public HomeCallDetails Details => (HomeCallDetails)Document.Details;
}

/// <summary>The journal's statuses of an appointment.</summary>
public static class AppointmentStatuses
{
    /// <summary>Booked: the slot is the person's (a row of <c>bookings</c>).</summary>
    public const string Accepted = "accepted";

    /// <summary>Booked, then cancelled by a signed cancellation (a row of <c>cancelled_bookings</c>).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Refused by Central (the slot was taken, the person not attached here, the desk's rule…): no booking.</summary>
    public const string Refused = "refused";
}

/// <param name="ReceivedAt">When Central registered the booking request.</param>
/// <param name="BookedAt">When the booking was made (accepted and cancelled entries); the receipt for a refusal.</param>
/// <param name="CancelledAt">When the booking was cancelled (cancelled entries only).</param>
public sealed record AppointmentRow(
    string Number, string RequestId, string Status, string? Reason, string Channel, long SlotId, DateTimeOffset StartsAt, long DoctorId,
    string DoctorName, string Speciality, string Room, DateTimeOffset ReceivedAt, DateTimeOffset BookedAt, DateTimeOffset? CancelledAt,
    RequestDocument Document);

/// <summary>
/// The clinic's journals (issue 12 item 3; regulation process 8 of the home call and the appointment: "the record in the
/// journal of the authorised organisation"), read from what the intake registered. One query per journal, shared by the
/// operators' API (<c>/api/clinics/{id}/…</c>, which shows accepted entries only, as it always did) and the kiosk's
/// (<c>/api/sync/journals/…</c>, every entry with its status). Plain parameterised SQL; the documents are the signed
/// bytes, parsed again here (they were stored only after they parsed).
/// </summary>
public static class JournalQueries
{
    /// <summary>The appointment journal's query (public so a test can ask SQLite for its plan: it must use migration 0011's index).</summary>
    public const string AppointmentsSql = """
        WITH day_slots AS (
            SELECT s.id, s.starts_at, d.id AS doctor_id, d.surname, d.first_name, d.patronymic, d.speciality, d.room
            FROM slots s JOIN doctors d ON d.id = s.doctor_id
            WHERE d.clinic_id = @clinicId AND s.starts_at >= @start AND s.starts_at < @end
              AND (@doctorId IS NULL OR d.id = @doctorId)
        )
        SELECT r.registration_number, r.request_id, @accepted, NULL, r.channel, s.id, s.starts_at, s.doctor_id, s.surname, s.first_name,
               s.patronymic, s.speciality, s.room, r.received_at, b.created_at, NULL, r.document
        FROM day_slots s JOIN bookings b ON b.slot_id = s.id JOIN requests r ON r.request_id = b.request_id
        UNION ALL
        SELECT r.registration_number, r.request_id, @cancelled, NULL, r.channel, s.id, s.starts_at, s.doctor_id, s.surname, s.first_name,
               s.patronymic, s.speciality, s.room, r.received_at, b.created_at, b.cancelled_at, r.document
        FROM day_slots s JOIN cancelled_bookings b ON b.slot_id = s.id JOIN requests r ON r.request_id = b.request_id
        UNION ALL
        SELECT r.registration_number, r.request_id, @refused, r.reason, r.channel, s.id, s.starts_at, s.doctor_id, s.surname, s.first_name,
               s.patronymic, s.speciality, s.room, r.received_at, r.received_at, NULL, r.document
        FROM day_slots s
        JOIN requests r ON json_extract(CAST(r.document AS TEXT), '$.details.slotId') = s.id
                       AND r.kind = 'appointment' AND r.status = 'refused'
        WHERE json_extract(CAST(r.document AS TEXT), '$.details.action') IS NULL
        ORDER BY 7, 8, 14, 1
        """;

    /// <summary>The parameters of <see cref="AppointmentsSql"/>.</summary>
    public static object AppointmentsArgs(long clinicId, DateOnly day, long? doctorId) => new
    {
        clinicId,
        doctorId,
        start = DapperTypeHandlers.Format(AstanaTime.StartOfDay(day)),
        end = DapperTypeHandlers.Format(AstanaTime.StartOfDay(day.AddDays(1))),
        accepted = AppointmentStatuses.Accepted,
        cancelled = AppointmentStatuses.Cancelled,
        refused = AppointmentStatuses.Refused,
    };

    /// <summary>
    /// The home calls of clinic <paramref name="clinicId"/> on <paramref name="day"/> (Astana), in the order received:
    /// <list type="bullet">
    /// <item>calls for people attached to the clinic (<c>requests.clinic_id</c>, set when accepted and when refused for
    /// a person attached to it): accepted ones on their visit's day, refused ones on the day received;</item>
    /// <item>calls that concern no clinic (a person not in the registry, not attached, deceased; a desk request refused by
    /// the desk's rule) on the day received, in the journal of the clinic whose kiosk or desk they were filed at.</item>
    /// </list>
    /// A call filed at this clinic's kiosk for someone attached to another clinic is in that clinic's journal, not here.
    /// </summary>
    public static List<HomeCallRow> HomeCalls(SqliteConnection c, long clinicId, DateOnly day)
    {
        var args = new
        {
            clinicId,
            kind = RequestKinds.HomeCall,
            dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            start = DapperTypeHandlers.Format(AstanaTime.StartOfDay(day)),
            end = DapperTypeHandlers.Format(AstanaTime.StartOfDay(day.AddDays(1))),
        };
        var rows = c.Query<(string Number, string RequestId, string Status, string? Reason, string Channel, string ReceivedAt, string? VisitFrom,
            string? VisitTo, byte[] Document)>("""
            SELECT registration_number, request_id, status, reason, channel, received_at, visit_from, visit_to, document
            FROM requests
            WHERE clinic_id = @clinicId AND kind = @kind
              AND (visit_date = @dayText OR (visit_date IS NULL AND received_at >= @start AND received_at < @end))
            UNION ALL
            SELECT registration_number, request_id, status, reason, channel, received_at, visit_from, visit_to, document
            FROM requests
            WHERE clinic_id IS NULL AND kind = @kind AND received_at >= @start AND received_at < @end
              AND kiosk_id IN (SELECT kiosk_id FROM kiosks WHERE clinic_id = @clinicId)
            ORDER BY received_at, registration_number
            """, args);
        return rows.Select(r => new HomeCallRow(r.Number, r.RequestId, r.Status, r.Reason, r.Channel, SlotSchedule.ParseInstant(r.ReceivedAt),
            r.VisitFrom, r.VisitTo, RequestDocument.Parse(r.Document))).ToList();
    }

    /// <summary>
    /// The appointments with the doctors of clinic <paramref name="clinicId"/> (one doctor's, when
    /// <paramref name="doctorId"/> is given) whose slots fall on <paramref name="day"/> (Astana), in slot order: the
    /// active bookings, the cancelled ones (<c>cancelled_bookings</c>, migration 0005) and the refused booking requests for
    /// those slots (found by the slot in their signed document, migration 0011's index). A refused request for a slot
    /// Central does not have is in no journal (a kiosk or desk offers only the schedule's slots).
    /// </summary>
    public static List<AppointmentRow> Appointments(SqliteConnection c, long clinicId, DateOnly day, long? doctorId = null)
    {
        var args = AppointmentsArgs(clinicId, day, doctorId);
        var rows = c.Query<(string Number, string RequestId, string Status, string? Reason, string Channel, long SlotId, string StartsAt, long DoctorId,
            string Surname, string FirstName, string? Patronymic, string Speciality, string Room, string ReceivedAt, string BookedAt,
            string? CancelledAt, byte[] Document)>(AppointmentsSql, args);
        var entries = new List<AppointmentRow>();
        foreach (var r in rows)
        {
            var document = RequestDocument.Parse(r.Document); // stored only after it parsed
            if (document.Details is not AppointmentDetails) continue; // a cancellation is the booking's status, not an entry
            entries.Add(new AppointmentRow(r.Number, r.RequestId, r.Status, r.Reason, r.Channel, r.SlotId, SlotSchedule.ParseInstant(r.StartsAt),
                r.DoctorId, string.Join(' ', new[] { r.Surname, r.FirstName, r.Patronymic }.Where(n => !string.IsNullOrEmpty(n))), r.Speciality,
                r.Room, SlotSchedule.ParseInstant(r.ReceivedAt), SlotSchedule.ParseInstant(r.BookedAt),
                r.CancelledAt is { } cancelled ? SlotSchedule.ParseInstant(cancelled) : null, document));
        }
        return entries;
    }
}
