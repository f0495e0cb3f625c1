using Kiosk.Core.Identity;
using Kiosk.Core.Requests;

namespace Kiosk.Core.Services.Appointment;

/// <summary>A booking as Central holds it, found by the id of the appointment request that made it.</summary>
/// <param name="Cancelled">The booking was cancelled already (its slot is free).</param>
public sealed record BookingRecord(Iin Holder, long SlotId, long DoctorId, long ClinicId, DateTimeOffset StartsAt, bool Cancelled);

public abstract record CancellationDecision
{
    /// <summary>Cancel the booking and free <paramref name="SlotId"/>.</summary>
    public sealed record Accepted(long SlotId) : CancellationDecision;

    public sealed record Refused(string Reason) : CancellationDecision;
}

/// <summary>
/// The provider's decision on a signed cancellation (issue 5): the person is in the registry and alive; the booking
/// exists (made by the request the cancellation names, for the slot it names); it is the signer's own; it is not
/// cancelled already; and it is still in the future when Central decides (a visit that has begun cannot be given back).
/// Another person's booking is refused before anything about it is said.
/// </summary>
public static class CancellationRule
{
    public static CancellationDecision Decide(
        AppointmentApplicant applicant, Iin applicantIin, AppointmentCancellationDetails request, BookingRecord? booking, DateTimeOffset decidedAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!applicant.InRegistry) return new CancellationDecision.Refused(RefusalReasons.NotInRegistry);
        if (applicant.Deceased) return new CancellationDecision.Refused(RefusalReasons.Deceased);
        if (booking is null) return new CancellationDecision.Refused(RefusalReasons.BookingNotFound);
        if (booking.Holder != applicantIin) return new CancellationDecision.Refused(RefusalReasons.BookingNotYours);
        if (booking.SlotId != request.SlotId || booking.DoctorId != request.DoctorId || booking.ClinicId != request.ClinicId)
            return new CancellationDecision.Refused(RefusalReasons.BookingNotFound);
        if (booking.Cancelled) return new CancellationDecision.Refused(RefusalReasons.BookingAlreadyCancelled);
        if (booking.StartsAt <= decidedAt) return new CancellationDecision.Refused(RefusalReasons.BookingPast);
        return new CancellationDecision.Accepted(booking.SlotId);
    }
}
