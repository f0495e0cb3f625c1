using Kiosk.Core.Requests;

namespace Kiosk.Core.Services.Appointment;

/// <summary>What the population registry says about the applicant, as far as appointments care.</summary>
/// <param name="AttachedClinicId">The clinic the person is attached to now; null when attached to none.</param>
public sealed record AppointmentApplicant(bool InRegistry, bool Deceased, long? AttachedClinicId)
{
    public static AppointmentApplicant NotInRegistry { get; } = new(false, false, null);
}

/// <summary>A slot of a doctor's schedule as Central holds it when it decides.</summary>
/// <param name="Booked">An active booking holds it.</param>
public sealed record ScheduledSlot(long SlotId, long DoctorId, long ClinicId, DateTimeOffset StartsAt, bool Booked);

/// <summary>One of the applicant's active bookings (any doctor, past or future).</summary>
public sealed record HeldBooking(long SlotId, long DoctorId, DateTimeOffset StartsAt);

public abstract record AppointmentDecision
{
    /// <summary>Book <paramref name="SlotId"/> (the database still has the last word: one active booking per slot).</summary>
    public sealed record Accepted(long SlotId, long DoctorId, long ClinicId, DateTimeOffset StartsAt) : AppointmentDecision;

    /// <summary>Refused, for the reason named by one of <see cref="RefusalReasons"/>' codes.</summary>
    public sealed record Refused(string Reason) : AppointmentDecision;
}

/// <summary>
/// The provider's automatic decision on an appointment («Запись на прием к врачу»; DESIGN §7; issue 5): the person is
/// in the registry and alive and attached to a clinic; the slot exists in the doctor's schedule as the citizen saw it
/// (same doctor, clinic and start); the doctor works at the person's clinic; the slot is in the future — when the citizen
/// signed and still when Central decides (a slot that began while the request travelled cannot be kept); the person
/// holds no other future booking with the same doctor; and the slot is free. Pure: the caller loads the facts and then
/// books, with the database's unique index as the final word on "free" when two requests race.
/// </summary>
public static class AppointmentRule
{
    public static AppointmentDecision Decide(
        AppointmentApplicant applicant, AppointmentDetails request, ScheduledSlot? slot, IReadOnlyCollection<HeldBooking> held,
        DateTimeOffset signedAt, DateTimeOffset decidedAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(held);
        if (!applicant.InRegistry) return new AppointmentDecision.Refused(RefusalReasons.NotInRegistry);
        if (applicant.Deceased) return new AppointmentDecision.Refused(RefusalReasons.Deceased);
        if (applicant.AttachedClinicId is not { } clinic) return new AppointmentDecision.Refused(RefusalReasons.NotAttached);

        if (slot is null || slot.SlotId != request.SlotId || slot.DoctorId != request.DoctorId || slot.ClinicId != request.ClinicId
            || slot.StartsAt != request.SlotStart)
            return new AppointmentDecision.Refused(RefusalReasons.SlotNotFound);
        if (slot.ClinicId != clinic) return new AppointmentDecision.Refused(RefusalReasons.OtherClinic);
        if (slot.StartsAt <= signedAt || slot.StartsAt <= decidedAt) return new AppointmentDecision.Refused(RefusalReasons.SlotPast);
        // Another future slot with the same doctor; the same slot held by the person themselves counts too (a second
        // request for it is not a second appointment).
        if (held.Any(b => b.DoctorId == slot.DoctorId && b.StartsAt > decidedAt))
            return new AppointmentDecision.Refused(RefusalReasons.DoctorAlreadyBooked);
        if (slot.Booked) return new AppointmentDecision.Refused(RefusalReasons.SlotTaken);
        return new AppointmentDecision.Accepted(slot.SlotId, slot.DoctorId, slot.ClinicId, slot.StartsAt);
    }

    /// <summary>Refusals after which the citizen is offered the doctor's nearest free slots to choose from.</summary>
    public static bool OffersAlternatives(string reason) => reason is RefusalReasons.SlotTaken or RefusalReasons.SlotPast;
}
