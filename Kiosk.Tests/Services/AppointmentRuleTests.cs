using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Core.Services.Appointment;
using Kiosk.Core.Time;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Services;

/// <summary>AppointmentRule and CancellationRule (issue 5): every refusal, the order the rules apply in, and acceptance.</summary>
public class AppointmentRuleTests
{
    private const long Clinic = 7, OtherClinic = 8, Doctor = 70, OtherDoctor = 71, Slot = 700;
    private static readonly DateOnly Wednesday = new(2026, 3, 4);
    private static readonly Iin Person = Iin.Parse("850314312017");
    private static readonly Iin Someone = Iin.Create(new DateOnly(1990, 5, 6), Sex.Female, 42);

    // The clock stands at 10:00 on Wednesday; the slot is on Friday at 11:00.
    private readonly FakeTimeProvider _time = new(AstanaTime.ToUtc(Wednesday, new TimeOnly(10, 0)));
    private static readonly DateTimeOffset SlotStart = AstanaTime.ToUtc(Wednesday.AddDays(2), new TimeOnly(11, 0));

    private static readonly AppointmentApplicant Attached = new(true, false, Clinic);
    private static readonly AppointmentDetails Request = new(Clinic, Doctor, Slot, SlotStart);
    private static ScheduledSlot FreeSlot(DateTimeOffset? starts = null, long clinic = Clinic) => new(Slot, Doctor, clinic, starts ?? SlotStart, Booked: false);

    private AppointmentDecision Decide(AppointmentApplicant? applicant = null, AppointmentDetails? request = null, ScheduledSlot? slot = null,
        IReadOnlyCollection<HeldBooking>? held = null, bool noSlot = false)
    {
        var now = _time.GetUtcNow();
        return AppointmentRule.Decide(applicant ?? Attached, request ?? Request, noSlot ? null : slot ?? FreeSlot(), held ?? [], now, now);
    }

    private static string? Refusal(AppointmentDecision d) => (d as AppointmentDecision.Refused)?.Reason;

    [Fact]
    public void A_free_future_slot_of_the_persons_clinic_is_accepted()
    {
        Assert.Equal(new AppointmentDecision.Accepted(Slot, Doctor, Clinic, SlotStart), Decide());
    }

    [Fact]
    public void A_person_not_in_the_registry_is_refused() =>
        Assert.Equal(RefusalReasons.NotInRegistry, Refusal(Decide(AppointmentApplicant.NotInRegistry)));

    [Fact]
    public void A_deceased_person_is_refused() =>
        Assert.Equal(RefusalReasons.Deceased, Refusal(Decide(new AppointmentApplicant(true, true, Clinic))));

    [Fact]
    public void A_person_attached_to_no_clinic_is_refused() =>
        Assert.Equal(RefusalReasons.NotAttached, Refusal(Decide(new AppointmentApplicant(true, false, null))));

    [Fact]
    public void A_slot_that_is_not_in_the_schedule_is_refused() =>
        Assert.Equal(RefusalReasons.SlotNotFound, Refusal(Decide(noSlot: true)));

    [Theory]
    [InlineData("doctor")]
    [InlineData("clinic")]
    [InlineData("start")]
    public void A_slot_that_is_not_the_one_the_citizen_saw_is_refused_as_not_in_the_schedule(string differs)
    {
        var request = differs switch
        {
            "doctor" => new AppointmentDetails(Clinic, OtherDoctor, Slot, SlotStart),
            "clinic" => new AppointmentDetails(OtherClinic, Doctor, Slot, SlotStart),
            _ => new AppointmentDetails(Clinic, Doctor, Slot, SlotStart.AddMinutes(20)),
        };
        Assert.Equal(RefusalReasons.SlotNotFound, Refusal(Decide(request: request)));
    }

    [Fact]
    public void A_doctor_of_another_clinic_is_refused()
    {
        var request = new AppointmentDetails(OtherClinic, Doctor, Slot, SlotStart);
        Assert.Equal(RefusalReasons.OtherClinic, Refusal(Decide(request: request, slot: FreeSlot(clinic: OtherClinic))));
    }

    [Fact]
    public void A_slot_that_started_before_the_signing_is_refused()
    {
        var started = _time.GetUtcNow().AddMinutes(-20);
        Assert.Equal(RefusalReasons.SlotPast, Refusal(Decide(request: new AppointmentDetails(Clinic, Doctor, Slot, started), slot: FreeSlot(started))));
        var now = _time.GetUtcNow();
        Assert.Equal(RefusalReasons.SlotPast,
            Refusal(Decide(request: new AppointmentDetails(Clinic, Doctor, Slot, now), slot: FreeSlot(now)))); // starting this very moment
    }

    [Fact]
    public void A_slot_signed_for_in_time_that_began_before_the_request_arrived_is_refused()
    {
        var signedAt = _time.GetUtcNow();
        var soon = signedAt.AddMinutes(30);
        _time.Advance(TimeSpan.FromHours(2)); // the kiosk was offline
        var d = AppointmentRule.Decide(Attached, new AppointmentDetails(Clinic, Doctor, Slot, soon), FreeSlot(soon), [], signedAt, _time.GetUtcNow());
        Assert.Equal(RefusalReasons.SlotPast, Refusal(d));
    }

    [Fact]
    public void A_second_future_slot_with_the_same_doctor_is_refused_but_a_past_one_or_another_doctor_does_not_count()
    {
        var now = _time.GetUtcNow();
        Assert.Equal(RefusalReasons.DoctorAlreadyBooked, Refusal(Decide(held: [new HeldBooking(701, Doctor, now.AddDays(5))])));
        Assert.Equal(RefusalReasons.DoctorAlreadyBooked, Refusal(Decide(held: [new HeldBooking(Slot, Doctor, SlotStart)]))); // the same slot, again
        Assert.IsType<AppointmentDecision.Accepted>(Decide(held: [new HeldBooking(699, Doctor, now.AddDays(-1)), new HeldBooking(702, OtherDoctor, now.AddDays(1))]));
    }

    [Fact]
    public void A_slot_someone_holds_is_refused_as_taken()
    {
        Assert.Equal(RefusalReasons.SlotTaken, Refusal(Decide(slot: FreeSlot() with { Booked = true })));
        Assert.True(AppointmentRule.OffersAlternatives(RefusalReasons.SlotTaken));
        Assert.True(AppointmentRule.OffersAlternatives(RefusalReasons.SlotPast));
        Assert.False(AppointmentRule.OffersAlternatives(RefusalReasons.OtherClinic));
    }

    [Fact]
    public void The_registry_is_judged_before_the_slot_and_a_wrong_clinic_before_time()
    {
        var past = _time.GetUtcNow().AddDays(-1);
        var taken = new ScheduledSlot(Slot, Doctor, OtherClinic, past, true);
        var request = new AppointmentDetails(OtherClinic, Doctor, Slot, past);
        Assert.Equal(RefusalReasons.Deceased, Refusal(Decide(new AppointmentApplicant(true, true, Clinic), request, taken)));
        Assert.Equal(RefusalReasons.OtherClinic, Refusal(Decide(request: request, slot: taken)));
    }

    // ---- cancellation ---------------------------------------------------------------------------------------------

    private static readonly Guid Original = Guid.Parse("0b6d5c57-1f0e-4c1a-8a63-2f9f1d0c8e21");
    private static readonly AppointmentCancellationDetails Cancellation = new(Original, Clinic, Doctor, Slot, SlotStart);
    private static BookingRecord Booking(Iin? holder = null, DateTimeOffset? starts = null, bool cancelled = false, long slot = Slot) =>
        new(holder ?? Person, slot, Doctor, Clinic, starts ?? SlotStart, cancelled);

    private CancellationDecision Cancel(BookingRecord? booking, AppointmentApplicant? applicant = null) =>
        CancellationRule.Decide(applicant ?? Attached, Person, Cancellation, booking, _time.GetUtcNow());

    private static string? Refusal(CancellationDecision d) => (d as CancellationDecision.Refused)?.Reason;

    [Fact]
    public void The_holder_cancels_a_future_booking_and_its_slot_is_freed()
    {
        Assert.Equal(new CancellationDecision.Accepted(Slot), Cancel(Booking()));
        // Being attached elsewhere by now does not keep anyone from giving a slot back.
        Assert.IsType<CancellationDecision.Accepted>(Cancel(Booking(), new AppointmentApplicant(true, false, null)));
    }

    [Fact]
    public void A_cancellation_by_someone_not_in_the_registry_or_deceased_is_refused()
    {
        Assert.Equal(RefusalReasons.NotInRegistry, Refusal(Cancel(Booking(), AppointmentApplicant.NotInRegistry)));
        Assert.Equal(RefusalReasons.Deceased, Refusal(Cancel(Booking(), new AppointmentApplicant(true, true, Clinic))));
    }

    [Fact]
    public void A_booking_that_does_not_exist_or_is_not_the_one_named_is_not_found()
    {
        Assert.Equal(RefusalReasons.BookingNotFound, Refusal(Cancel(null)));
        Assert.Equal(RefusalReasons.BookingNotFound, Refusal(Cancel(Booking(slot: 701))));
    }

    [Fact]
    public void Another_persons_booking_is_refused_before_anything_about_it_is_said()
    {
        Assert.Equal(RefusalReasons.BookingNotYours, Refusal(Cancel(Booking(Someone))));
        Assert.Equal(RefusalReasons.BookingNotYours, Refusal(Cancel(Booking(Someone, cancelled: true, starts: _time.GetUtcNow().AddDays(-1)))));
    }

    [Fact]
    public void A_booking_cancelled_already_is_refused() =>
        Assert.Equal(RefusalReasons.BookingAlreadyCancelled, Refusal(Cancel(Booking(cancelled: true))));

    [Fact]
    public void A_booking_whose_time_has_come_cannot_be_cancelled()
    {
        var start = _time.GetUtcNow().AddMinutes(10);
        Assert.IsType<CancellationDecision.Accepted>(Cancel(Booking(starts: start)));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(RefusalReasons.BookingPast, Refusal(Cancel(Booking(starts: start))));
    }
}
