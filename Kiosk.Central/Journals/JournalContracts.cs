using System.ComponentModel;
using System.Text.Json.Serialization;
using Kiosk.Central.Sync;

namespace Kiosk.Central.Journals;

/// <summary>The clinic's home-call journal of one day, for the clinic's own kiosk node (its registrars' desk).</summary>
/// <param name="ClinicId">The clinic the kiosk serves (kiosks.clinic_id).</param>
/// <param name="Date">The Astana date, yyyy-MM-dd.</param>
public sealed record KioskHomeCallJournal(long ClinicId, string Date, IReadOnlyList<KioskHomeCallEntry> Entries);

/// <param name="Number">The registration number.</param>
/// <param name="Time">When Central received the call, Astana clock HH:mm.</param>
/// <param name="MaskedIin">The citizen's IIN with the first six digits hidden, as on slips.</param>
/// <param name="Name">The citizen's name as the signed request gives it.</param>
/// <param name="Channel"><c>kiosk</c> (the citizen at a kiosk) or <c>desk</c> (a registrar at the clinic's desk).</param>
/// <param name="Status"><c>accepted</c> or <c>refused</c> (<c>registered</c> while undecided).</param>
/// <param name="Reason">A refusal's reason code (docs/sync-protocol.md); null otherwise.</param>
/// <param name="Visit">The doctor's visit, when accepted.</param>
public sealed record KioskHomeCallEntry(
    string Number,
    [property: Description("Astana HH:mm")] string Time,
    DateTimeOffset ReceivedAt,
    string MaskedIin,
    string Name,
    string Address,
    string Channel,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] VisitWindow? Visit);

/// <summary>The clinic's appointment journal of one day (one doctor's, when <paramref name="DoctorId"/> is set).</summary>
public sealed record KioskAppointmentJournal(long ClinicId, string Date, long? DoctorId, IReadOnlyList<KioskAppointmentEntry> Entries);

/// <param name="Number">The registration number of the booking request.</param>
/// <param name="Time">The slot's start, Astana clock HH:mm.</param>
/// <param name="Status"><c>accepted</c> (booked), <c>cancelled</c> (booked, then cancelled) or <c>refused</c>.</param>
/// <param name="CancelledAt">When a cancelled booking was cancelled.</param>
public sealed record KioskAppointmentEntry(
    string Number,
    [property: Description("Astana HH:mm")] string Time,
    DateTimeOffset StartsAt,
    long SlotId,
    long DoctorId,
    string DoctorName,
    string Speciality,
    string Room,
    string MaskedIin,
    string Name,
    string Channel,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    DateTimeOffset ReceivedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CancelledAt);
