using Dapper;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Storage;

namespace Kiosk.Web.Pages.Services.Appointment;

/// <summary>One of the citizen's appointment requests (a booking or a cancellation) as this kiosk holds it.</summary>
public sealed record AppointmentRecord(Guid RequestId, RequestDetails Details, string? DecisionStatus, string? OutboxState, string? Alternatives)
{
    public AppointmentDetails? Booking => Details as AppointmentDetails;

    public AppointmentCancellationDetails? Cancellation => Details as AppointmentCancellationDetails;
}

/// <summary>What the status screen adds to an appointment request: its slot, whether it can be cancelled, its
/// cancellation's state, and the slots offered with a refusal.</summary>
public sealed record AppointmentStatus(
    AppointmentRecord Record, bool CanCancel, string? CancellationState, IReadOnlyList<OfferedSlot> Alternatives)
{
    public DateTimeOffset SlotStart => Record.Booking?.SlotStart ?? Record.Cancellation!.SlotStart;

    public long DoctorId => Record.Booking?.DoctorId ?? Record.Cancellation!.DoctorId;

    public long ClinicId => Record.Booking?.ClinicId ?? Record.Cancellation!.ClinicId;

    public bool IsCancellation => Record.Cancellation is not null;
}

/// <summary>
/// The signed-in citizen's appointment requests on this kiosk (issue 5): the signed documents (kind
/// <c>appointment</c>, by <c>applicant_iin</c>) with their outbox rows and the decisions the sync worker pulled,
/// including the alternatives of a refusal (migration 0008). Decides what the screens may offer: a cancellation of an
/// accepted booking still in the future and not already being cancelled; a new request for one of the slots offered
/// with a refusal. Plain parameterised SQL; every call reads the file afresh.
/// </summary>
public sealed class CitizenAppointments
{
    private readonly SqliteDatabase _db;

    public CitizenAppointments(SqliteDatabase db)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        DapperTypeHandlers.Register();
    }

    public IReadOnlyList<AppointmentRecord> Of(Iin applicant)
    {
        using var c = _db.Open();
        var rows = c.Query<(string RequestId, byte[] Document, string? Status, string? State, string? Alternatives)>("""
            SELECT s.request_id, s.document, d.status, o.state, d.alternatives
            FROM signed_requests s
            LEFT JOIN decisions d ON d.request_id = s.request_id
            LEFT JOIN outbox o ON o.request_id = s.request_id
            WHERE s.applicant_iin = @iin AND s.kind = @kind
            ORDER BY s.created_at, s.request_id
            """, new { iin = applicant.Value, kind = RequestKinds.Appointment });
        var list = new List<AppointmentRecord>();
        foreach (var r in rows)
            if (RequestDocument.TryParse(r.Document, out var document, out _) && document.ApplicantIin == applicant)
                list.Add(new AppointmentRecord(document.RequestId, document.Details, r.Status, r.State, r.Alternatives));
        return list;
    }

    /// <summary>Per appointment request of the citizen: what the status screen adds to it.</summary>
    public IReadOnlyDictionary<Guid, AppointmentStatus> StatusOf(Iin applicant, DateTimeOffset now)
    {
        var records = Of(applicant);
        return records.ToDictionary(r => r.RequestId, r => new AppointmentStatus(
            r, CanCancel(records, r, now), r.Booking is null ? null : CancellationStateOf(records, r.RequestId),
            r.DecisionStatus == "refused" ? OfferedSlot.Parse(r.Alternatives) : []));
    }

    /// <summary>The booking request to cancel, when the citizen may: theirs, accepted, its slot not started, and no
    /// cancellation of it waiting or accepted.</summary>
    public AppointmentDetails? Cancellable(Iin applicant, Guid bookingRequestId, DateTimeOffset now)
    {
        var records = Of(applicant);
        var booking = records.FirstOrDefault(r => r.RequestId == bookingRequestId);
        return booking is not null && CanCancel(records, booking, now) ? booking.Booking : null;
    }

    /// <summary>A slot Central offered with the refusal of the citizen's request, or null.</summary>
    public OfferedSlot? Offered(Iin applicant, Guid refusedRequestId, long slotId)
    {
        var refused = Of(applicant).FirstOrDefault(r => r.RequestId == refusedRequestId && r.DecisionStatus == "refused");
        return refused is null ? null : OfferedSlot.Parse(refused.Alternatives).FirstOrDefault(s => s.SlotId == slotId);
    }

    private static bool CanCancel(IReadOnlyList<AppointmentRecord> records, AppointmentRecord r, DateTimeOffset now) =>
        r.Booking is { } booking && r.DecisionStatus == "accepted" && booking.SlotStart > now
        && CancellationStateOf(records, r.RequestId) is null or "refused" or "rejected";

    /// <summary>The state of the latest cancellation of a booking: <c>pending</c>, <c>accepted</c>, <c>refused</c>,
    /// <c>rejected</c> (Central would not register it), or null when none was signed.</summary>
    private static string? CancellationStateOf(IReadOnlyList<AppointmentRecord> records, Guid bookingRequestId)
    {
        var last = records.LastOrDefault(r => r.Cancellation?.CancelsRequestId == bookingRequestId);
        if (last is null) return null;
        return last.DecisionStatus switch
        {
            "accepted" => "accepted",
            "refused" => "refused",
            _ => last.OutboxState == "dead" ? "rejected" : "pending",
        };
    }
}
