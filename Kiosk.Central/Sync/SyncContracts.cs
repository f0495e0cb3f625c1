using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Kiosk.Central.Sync;

/// <summary>One signed request as a kiosk sends it (DESIGN §6).</summary>
/// <param name="RequestId">The idempotency key: a lower-case UUID, equal to the document's <c>requestId</c>.</param>
/// <param name="KioskId">The sending kiosk: equal to the authenticated kiosk and to the document's <c>kioskId</c>.</param>
/// <param name="Document">Base64 of the exact signed bytes of the request document (docs/request-document.md).</param>
/// <param name="Signature">Base64 of the detached CMS SignedData (DER) over those bytes.</param>
/// <param name="CreatedAt">When the kiosk stored the signed request, by the kiosk's clock (UTC).</param>
public sealed record SyncEnvelope(string? RequestId, string? KioskId, string? Document, string? Signature, DateTimeOffset? CreatedAt);

public sealed record PushRequest([property: Description("At most Intake:MaxBatch (100) envelopes, oldest first")] IReadOnlyList<SyncEnvelope>? Envelopes);

/// <summary>The answer for one envelope.</summary>
/// <param name="Status"><c>registered</c>, <c>duplicate</c> (seen before: the first answer again), <c>rejected</c>
/// (permanent; a replay gets the same) or <c>deferred</c> (Central cannot judge it now: send it again later).</param>
/// <param name="RegistrationNumber">For <c>registered</c> and <c>duplicate</c>.</param>
/// <param name="Reason">For <c>rejected</c> and <c>deferred</c>: the first problem code.</param>
/// <param name="Problems">For <c>rejected</c> and <c>deferred</c>: every problem code.</param>
public sealed record PushItemAnswer(
    string? RequestId,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RegistrationNumber = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Problems = null);

/// <param name="Results">One per envelope, in the order sent.</param>
/// <param name="ServerTime">Central's clock when it answered: the kiosk measures its clock skew with it.</param>
public sealed record PushAnswer(IReadOnlyList<PushItemAnswer> Results, DateTimeOffset ServerTime);

public static class PushStatus
{
    public const string Registered = "registered";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
    public const string Deferred = "deferred";
}

/// <summary>The intake's own reason codes; the EDS codes of the signature check (docs/eds.md) come on top.</summary>
public static class IntakeReasons
{
    public const string InvalidEnvelope = "invalid-envelope";
    public const string KioskMismatch = "kiosk-mismatch";
    public const string RequestIdMismatch = "request-id-mismatch";
    public const string RequestIdConflict = "request-id-conflict";
    public const string IinMismatch = "iin-mismatch";
    public const string TrustUnavailable = "trust-unavailable";
}

public sealed record EnrollRequest(string? KioskId, string? EnrollmentCode);

/// <param name="Credential">The kiosk's secret (base64url, 43 characters), shown once: send it as <c>Authorization: Bearer &lt;kioskId&gt;.&lt;credential&gt;</c>.</param>
public sealed record EnrollAnswer(string KioskId, string Credential);

/// <param name="ClinicId">The clinic whose lobby the kiosk serves (its staff sign in there); optional.</param>
public sealed record CreateKioskRequest(string? KioskId, string? Name, long? ClinicId = null);

public sealed record SetClinicRequest(long? ClinicId);

/// <param name="EnrollmentCode">One-time code, shown once; the kiosk enrolls with it before <paramref name="ExpiresAt"/>.</param>
public sealed record EnrollmentCodeAnswer(string KioskId, string EnrollmentCode, DateTimeOffset ExpiresAt);

public sealed record ReasonMessages(string Kk, string Ru, string En);

/// <summary>A home call's visit: the Astana date and local clock times <c>HH:mm</c>.</summary>
public sealed record VisitWindow(string Date, string From, string To);

/// <param name="Status"><c>accepted</c> or <c>refused</c>.</param>
/// <param name="Reason">A refusal's code (<c>RefusalReasons</c>); <paramref name="Messages"/> says it in kk/ru/en.</param>
/// <param name="SlipToken">The provider's signed slip of the decision (a result or a refusal; docs/slips.md).</param>
/// <param name="Alternatives">Issue 5, additive: an appointment refused with <c>slot-taken</c> or <c>slot-past</c> offers
/// the doctor's nearest free slots (up to 3; left out for other decisions), as they were when Central decided.</param>
public sealed record DecisionDto(
    string RequestId, string RegistrationNumber, string Kind, string Status, string? Reason, ReasonMessages? Messages,
    VisitWindow? Visit, DateTimeOffset DecidedAt, string? SlipToken = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AlternativeSlot>? Alternatives = null);

/// <summary>A free slot offered instead of the one refused: instants in UTC, and the local Astana date and time a kiosk shows.</summary>
public sealed record AlternativeSlot(
    long SlotId, long DoctorId, long ClinicId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string LocalDate, string LocalTime);

/// <summary>One booked appointment in a clinic's journal (issue 5): local Astana date and time <c>HH:mm</c>.</summary>
public sealed record AppointmentJournalEntry(
    string RegistrationNumber, string RequestId, long SlotId, string Time, DateTimeOffset StartsAt, long DoctorId, string DoctorName,
    string Speciality, string Room, string ApplicantIin, string ApplicantName, DateTimeOffset BookedAt);

public sealed record AppointmentJournal(long ClinicId, string Date, IReadOnlyList<AppointmentJournalEntry> Appointments);

/// <param name="Next">The cursor to send as <c>since</c> next time (the same one when nothing was new).</param>
/// <param name="More">True when more decisions wait beyond this page.</param>
public sealed record DecisionsAnswer(IReadOnlyList<DecisionDto> Decisions, string Next, bool More);

public sealed record HomeCallJournalEntry(
    string RegistrationNumber, string RequestId, string VisitFrom, string VisitTo, string ApplicantIin, string ApplicantName,
    string Address, string Phone, string ReasonCode, string? Note, DateTimeOffset ReceivedAt);

public sealed record HomeCallJournal(long ClinicId, string Date, IReadOnlyList<HomeCallJournalEntry> Calls);
