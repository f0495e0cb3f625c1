using System.Globalization;
using Dapper;
using Kiosk.Central.Schedule;
using Kiosk.Central.Sync;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Core.Services.Appointment;
using Kiosk.Core.Time;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Services;

/// <summary>
/// Central's decisions on appointments and their cancellations (issue 5; docs/appointments-and-attachment.md), inside
/// the intake's registration transaction. It loads the facts, lets <see cref="AppointmentRule"/> or
/// <see cref="CancellationRule"/> decide, and writes the outcome: a booking, or a cancellation that moves the booking to
/// <c>cancelled_bookings</c> and frees the slot. Either way the slot takes a new reference version, so every kiosk's
/// next reference pull sees it taken or free. "Free" is finally the database's word: a booking whose insert hits
/// <c>bookings</c>' UNIQUE (slot_id) is refused with <c>slot-taken</c>, whatever the rule saw.
/// </summary>
public static class AppointmentDecider
{
    /// <summary>How many free slots a refused booking offers instead.</summary>
    public const int AlternativesOffered = 3;

    /// <summary>SQLite's primary result code for a broken constraint.</summary>
    private const int SqliteConstraint = 19;

    public static ServiceDecision Book(SqliteConnection c, SqliteTransaction tx, RequestDocument document, AppointmentDetails request,
        DateTimeOffset judgedAt, DateTimeOffset decidedAt)
    {
        var iin = document.ApplicantIin.Value;
        var applicant = Applicant(c, tx, iin);
        var slot = c.QuerySingleOrDefault<(long Id, long DoctorId, long ClinicId, string StartsAt, long Booked)?>("""
            SELECT s.id, s.doctor_id, d.clinic_id, s.starts_at, EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id)
            FROM slots s JOIN doctors d ON d.id = s.doctor_id
            WHERE s.id = @slotId
            """, new { slotId = request.SlotId }, tx) is { } s
            ? new ScheduledSlot(s.Id, s.DoctorId, s.ClinicId, SlotSchedule.ParseInstant(s.StartsAt), s.Booked != 0)
            : null;
        var held = c.Query<(long SlotId, long DoctorId, string StartsAt)>("""
                SELECT b.slot_id, s.doctor_id, s.starts_at FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.iin = @iin
                """, new { iin }, tx)
            .Select(h => new HeldBooking(h.SlotId, h.DoctorId, SlotSchedule.ParseInstant(h.StartsAt)))
            .ToList();
        return AppointmentRule.Decide(applicant, request, slot, held, judgedAt, decidedAt) switch
        {
            AppointmentDecision.Accepted a => Insert(c, tx, a, iin, document.RequestId.ToString("D"), decidedAt),
            AppointmentDecision.Refused r => Refuse(c, tx, r.Reason, request.DoctorId, request.SlotId, request.SlotStart, decidedAt),
            _ => throw new InvalidOperationException("Unknown appointment decision."),
        };
    }

    /// <summary>
    /// Books the slot the rule accepted. The insert, not the rule's look, decides a race: when another booking of the
    /// slot got there first (another Central instance, or anything that changed the table after the look), the UNIQUE
    /// index refuses the row and the request is refused with <c>slot-taken</c> and the alternatives.
    /// </summary>
    public static ServiceDecision Insert(SqliteConnection c, SqliteTransaction tx, AppointmentDecision.Accepted accepted, string iin,
        string requestId, DateTimeOffset now)
    {
        try
        {
            c.Execute("INSERT INTO bookings (slot_id, iin, request_id, created_at) VALUES (@slot, @iin, @requestId, @now)",
                new { slot = accepted.SlotId, iin, requestId, now }, tx);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint && SlotHeld(c, tx, accepted.SlotId))
        {
            // The statement failed and was undone; the transaction goes on.
            return Refuse(c, tx, RefusalReasons.SlotTaken, accepted.DoctorId, accepted.SlotId, accepted.StartsAt, now);
        }
        TouchSlot(c, tx, accepted.SlotId, now, "slot booked");
        return ServiceDecision.Accepted(accepted.ClinicId);
    }

    public static ServiceDecision Cancel(SqliteConnection c, SqliteTransaction tx, RequestDocument document,
        AppointmentCancellationDetails request, DateTimeOffset decidedAt)
    {
        var applicant = Applicant(c, tx, document.ApplicantIin.Value);
        var original = request.CancelsRequestId.ToString("D");
        var row = c.QuerySingleOrDefault<(string Iin, long SlotId, long DoctorId, long ClinicId, string StartsAt, long Cancelled)?>("""
            SELECT b.iin, b.slot_id, s.doctor_id, d.clinic_id, s.starts_at, b.cancelled
            FROM (SELECT iin, slot_id, 0 AS cancelled FROM bookings WHERE request_id = @original
                  UNION ALL
                  SELECT iin, slot_id, 1 AS cancelled FROM cancelled_bookings WHERE request_id = @original) b
            JOIN slots s ON s.id = b.slot_id JOIN doctors d ON d.id = s.doctor_id
            ORDER BY b.cancelled LIMIT 1
            """, new { original }, tx);
        var booking = row is { } r
            ? new BookingRecord(Iin.Parse(r.Iin), r.SlotId, r.DoctorId, r.ClinicId, SlotSchedule.ParseInstant(r.StartsAt), r.Cancelled != 0)
            : null;
        switch (CancellationRule.Decide(applicant, document.ApplicantIin, request, booking, decidedAt))
        {
            case CancellationDecision.Accepted a:
                var moved = c.Execute("""
                    INSERT INTO cancelled_bookings (booking_id, slot_id, iin, request_id, created_at, cancelled_at, cancel_request_id)
                    SELECT id, slot_id, iin, request_id, created_at, @now, @cancel FROM bookings WHERE request_id = @original
                    """, new { original, now = decidedAt, cancel = document.RequestId.ToString("D") }, tx);
                c.Execute("DELETE FROM bookings WHERE request_id = @original", new { original }, tx);
                if (moved != 1) throw new InvalidOperationException("The booking to cancel was not there.");
                TouchSlot(c, tx, a.SlotId, decidedAt, "slot freed");
                return ServiceDecision.Accepted(booking!.ClinicId);
            case CancellationDecision.Refused refused:
                return ServiceDecision.Refused(refused.Reason);
            default:
                throw new InvalidOperationException("Unknown cancellation decision.");
        }
    }

    /// <summary>
    /// The doctor's <see cref="AlternativesOffered"/> free slots nearest to the one asked for (in time, either side; the
    /// earlier one on a tie), that start after <paramref name="now"/>, in time order.
    /// </summary>
    public static IReadOnlyList<AlternativeSlot> Alternatives(SqliteConnection c, SqliteTransaction tx, long doctorId, long exceptSlotId,
        DateTimeOffset around, DateTimeOffset now)
    {
        var free = c.Query<(long Id, long DoctorId, long ClinicId, string StartsAt, string EndsAt)>("""
                SELECT s.id, s.doctor_id, d.clinic_id, s.starts_at, s.ends_at
                FROM slots s JOIN doctors d ON d.id = s.doctor_id
                WHERE s.doctor_id = @doctorId AND s.id <> @exceptSlotId AND s.starts_at > @now
                  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id)
                """, new { doctorId, exceptSlotId, now = DapperTypeHandlers.Format(now) }, tx)
            .Select(r => (r.Id, r.DoctorId, r.ClinicId, Starts: SlotSchedule.ParseInstant(r.StartsAt), Ends: SlotSchedule.ParseInstant(r.EndsAt)))
            .OrderBy(r => (r.Starts - around).Duration()).ThenBy(r => r.Starts)
            .Take(AlternativesOffered)
            .OrderBy(r => r.Starts)
            .ToList();
        return free.Select(r =>
        {
            var local = AstanaTime.ToLocal(r.Starts);
            return new AlternativeSlot(r.Id, r.DoctorId, r.ClinicId, r.Starts, r.Ends,
                local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), local.ToString("HH:mm", CultureInfo.InvariantCulture));
        }).ToList();
    }

    private static ServiceDecision Refuse(SqliteConnection c, SqliteTransaction tx, string reason, long doctorId, long slotId,
        DateTimeOffset slotStart, DateTimeOffset now) =>
        ServiceDecision.Refused(reason,
            AppointmentRule.OffersAlternatives(reason) ? Alternatives(c, tx, doctorId, slotId, slotStart, now) : null);

    private static AppointmentApplicant Applicant(SqliteConnection c, SqliteTransaction tx, string iin) =>
        RegistryFacts.Person(c, tx, iin) is { } p ? new AppointmentApplicant(true, p.Deceased, p.AttachedClinicId) : AppointmentApplicant.NotInRegistry;

    private static bool SlotHeld(SqliteConnection c, SqliteTransaction tx, long slotId) =>
        c.ExecuteScalar<long>("SELECT COUNT(*) FROM bookings WHERE slot_id = @slotId", new { slotId }, tx) > 0;

    /// <summary>The slot row takes a new reference version: the reference pull sends it again with its booked flag.</summary>
    private static void TouchSlot(SqliteConnection c, SqliteTransaction tx, long slotId, DateTimeOffset now, string note)
    {
        var version = RegistryFacts.NewReferenceVersion(c, tx, now, note);
        c.Execute("UPDATE slots SET version = @version WHERE id = @slotId", new { version, slotId }, tx);
    }
}
