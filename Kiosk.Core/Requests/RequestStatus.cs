using Kiosk.Core.Time;

namespace Kiosk.Core.Requests;

/// <summary>
/// Where a citizen's request stands, as the kiosk's status screen names it (issue 4 item 5; the regulation's
/// "status"). In the order a request goes through them; <see cref="Rejected"/> is the end of a request Central refused
/// to register at all (its signature, certificate or document failed the check), as opposed to <see cref="Refused"/>,
/// the provider's reasoned refusal of a registered request.
/// </summary>
public enum RequestStatus
{
    /// <summary>Signed and kept in the kiosk's outbox; not yet delivered to Central.</summary>
    Queued,

    /// <summary>Delivered, but Central's registration number is not known here.</summary>
    Sent,

    /// <summary>Central registered it (a registration number) and has not decided yet.</summary>
    Registered,

    /// <summary>Decided: accepted (for a home call, with the doctor's visit window).</summary>
    Accepted,

    /// <summary>Decided: refused, with a reason.</summary>
    Refused,

    /// <summary>Central refused to register it for good (the outbox row is dead), with a reason code.</summary>
    Rejected,
}

/// <summary>
/// Derives a request's <see cref="RequestStatus"/> from what the kiosk knows of it — its outbox row (state and
/// Central's registration number) and the decision the sync worker pulled — and its service deadline. Pure: no
/// clock but the one passed in, no storage.
/// </summary>
public static class RequestStatusRule
{
    /// <summary>The outbox states (migration 0003 of the kiosk node).</summary>
    public const string OutboxQueued = "queued";
    public const string OutboxSent = "sent";
    public const string OutboxDead = "dead";

    /// <summary>The decision statuses Central sends.</summary>
    public const string DecisionAccepted = "accepted";
    public const string DecisionRefused = "refused";

    /// <summary>
    /// A decision wins over everything (it may be pulled before the push's answer was recorded, if the worker died in
    /// between); then a dead outbox row; then a registration number, from either; then a row marked sent; anything
    /// else — a queued row, or no row at all — is queued: the kiosk never claims a delivery Central did not confirm.
    /// A decision status the kiosk does not know (a later service's) counts as registered.
    /// </summary>
    public static RequestStatus Derive(string? outboxState, string? outboxRegistrationNumber, string? decisionStatus,
        string? decisionRegistrationNumber = null)
    {
        if (decisionStatus == DecisionAccepted) return RequestStatus.Accepted;
        if (decisionStatus == DecisionRefused) return RequestStatus.Refused;
        if (outboxState == OutboxDead) return RequestStatus.Rejected;
        if (!string.IsNullOrEmpty(outboxRegistrationNumber) || !string.IsNullOrEmpty(decisionRegistrationNumber))
            return RequestStatus.Registered;
        if (outboxState == OutboxSent) return RequestStatus.Sent;
        return RequestStatus.Queued;
    }

    /// <summary>Whether the request is finished, one way or the other (no later status can follow).</summary>
    public static bool IsFinal(RequestStatus status) =>
        status is RequestStatus.Accepted or RequestStatus.Refused or RequestStatus.Rejected;

    /// <summary>The status as a stable lower-case code (for markup and tests): <c>queued</c>, <c>sent</c>, …</summary>
    public static string Code(RequestStatus status) => status switch
    {
        RequestStatus.Queued => "queued",
        RequestStatus.Sent => "sent",
        RequestStatus.Registered => "registered",
        RequestStatus.Accepted => "accepted",
        RequestStatus.Refused => "refused",
        RequestStatus.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>
    /// The service deadline, as an Astana date: a home call and an attachment are served on the day they were signed
    /// (the regulation, item 9: «ЭГУ оказывается в день обращения»; issue 5 item 4). Null for a service whose deadline
    /// is not a day: an appointment's is the slot's time (<see cref="AppointmentDeadline"/>).
    /// </summary>
    public static DateOnly? Deadline(string kind, DateTimeOffset signedAt) =>
        kind is RequestKinds.HomeCall or RequestKinds.Attachment ? DateOnly.FromDateTime(AstanaTime.ToLocal(signedAt)) : null;

    /// <summary>An appointment's deadline (issue 5 item 4): the start of the slot it books or cancels.</summary>
    public static DateTimeOffset AppointmentDeadline(DateTimeOffset slotStart) => slotStart;

    /// <summary>Whether an appointment's slot has started at <paramref name="now"/>: its deadline has passed.</summary>
    public static bool AppointmentDeadlinePassed(DateTimeOffset slotStart, DateTimeOffset now) => now >= slotStart;

    /// <summary>Whether the deadline day is over at <paramref name="now"/> (Astana time).</summary>
    public static bool DeadlinePassed(DateOnly deadline, DateTimeOffset now) =>
        DateOnly.FromDateTime(AstanaTime.ToLocal(now)) > deadline;
}
