using Kiosk.Central.Sync;

namespace Kiosk.Central.Services;

/// <summary>
/// What Central decided on one request, written with its registration in the same transaction: <c>accepted</c> or
/// <c>refused</c> (with a <c>RefusalReasons</c> code), the clinic it concerns, and for an appointment refused with
/// <c>slot-taken</c> or <c>slot-past</c> the free slots offered instead.
/// </summary>
public sealed record ServiceDecision(string Status, string? Reason, long? ClinicId = null, IReadOnlyList<AlternativeSlot>? Alternatives = null)
{
    public const string AcceptedStatus = "accepted";
    public const string RefusedStatus = "refused";

    public static ServiceDecision Accepted(long? clinicId) => new(AcceptedStatus, null, clinicId);

    public static ServiceDecision Refused(string reason, IReadOnlyList<AlternativeSlot>? alternatives = null) =>
        new(RefusedStatus, reason, null, alternatives);
}
