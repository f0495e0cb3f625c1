using System.Net;
using Dapper;
using Kiosk.Central.Services;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Core.Services.Appointment;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Microsoft.Data.Sqlite;

namespace Kiosk.Tests.Central.Booking;

/// <summary>
/// Appointments and their cancellations through Central's intake over real HTTP (issue 5): real signatures by the demo
/// CA's citizens, the decision pulled as a kiosk pulls it, the reason code checked for every rule.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class BookingIntakeTests(DemoCaFixture ca)
{
    private const long Doctor = BookingCentral.Doctor;

    [Fact]
    public async Task A_booking_is_accepted_journaled_and_taken_from_the_free_list_and_its_cancellation_gives_the_slot_back()
    {
        await using var b = await BookingCentral.StartAsync(ca);
        var citizen = b.Citizens[0];
        var slotId = BookingCentral.SlotId(Doctor, 2);
        var before = b.Scalar("SELECT MAX(version) FROM reference_versions");

        var booking = b.Sign(citizen, b.Slot(Doctor, 2));
        var accepted = await b.DecideAsync(booking);

        Assert.Equal(("accepted", null, RequestKinds.Appointment), (accepted.Status, accepted.Reason, accepted.Kind));
        Assert.Matches($"^AP-{b.Central.Day:yyyyMMdd}-\\d{{6}}$", accepted.RegistrationNumber);
        Assert.Null(accepted.Alternatives);
        Assert.Equal(1, b.Scalar("SELECT COUNT(*) FROM bookings WHERE slot_id = @slotId AND request_id = @id",
            new { slotId, id = booking.RequestId.ToString("D") }));
        var bookedVersion = b.SlotVersion(slotId);
        Assert.True(bookedVersion > before, "the booked slot takes a new reference version");
        Assert.Equal(bookedVersion, b.Scalar("SELECT MAX(version) FROM reference_versions"));

        // The clinic's journal lists it for tomorrow; the public free list no longer offers it.
        var journal = await b.GetJsonAsync($"/api/clinics/{BookingCentral.ClinicD1}/appointments?date={b.DayText(1)}");
        var entry = Assert.Single(journal.GetProperty("appointments").EnumerateArray());
        Assert.Equal(accepted.RegistrationNumber, entry.GetProperty("registrationNumber").GetString());
        Assert.Equal(("09:20", slotId, citizen.Iin), (entry.GetProperty("time").GetString(), entry.GetProperty("slotId").GetInt64(), entry.GetProperty("applicantIin").GetString()));
        Assert.Empty((await b.GetJsonAsync($"/api/clinics/{BookingCentral.ClinicD1}/appointments?date={b.DayText()}")).GetProperty("appointments").EnumerateArray());
        using (var noToken = await b.Central.OperatorAsync(HttpMethod.Get, $"/api/clinics/{BookingCentral.ClinicD1}/appointments", token: null))
            Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.DoesNotContain(await FreeSlots(b), s => s == slotId);

        // The citizen cancels it: the slot is free again, under a newer version, and the booking is history.
        var cancel = b.Sign(citizen, new AppointmentCancellationDetails(booking.RequestId, BookingCentral.ClinicD1, Doctor, slotId, b.SlotStart(Doctor, 2)));
        var cancelled = await b.DecideAsync(cancel);
        Assert.Equal(("accepted", null), (cancelled.Status, cancelled.Reason));
        Assert.Matches($"^AC-{b.Central.Day:yyyyMMdd}-\\d{{6}}$", cancelled.RegistrationNumber);
        Assert.Equal(0, b.Scalar("SELECT COUNT(*) FROM bookings"));
        Assert.Equal(1, b.Scalar("SELECT COUNT(*) FROM cancelled_bookings WHERE slot_id = @slotId AND cancel_request_id = @id",
            new { slotId, id = cancel.RequestId.ToString("D") }));
        Assert.True(b.SlotVersion(slotId) > bookedVersion, "the freed slot takes a new reference version");
        Assert.Contains(await FreeSlots(b), s => s == slotId);
        Assert.Empty((await b.GetJsonAsync($"/api/clinics/{BookingCentral.ClinicD1}/appointments?date={b.DayText(1)}")).GetProperty("appointments").EnumerateArray());

        // Cancelling it again is refused; booking the freed slot again works.
        var again = b.Sign(citizen, new AppointmentCancellationDetails(booking.RequestId, BookingCentral.ClinicD1, Doctor, slotId, b.SlotStart(Doctor, 2)));
        Assert.Equal(("refused", RefusalReasons.BookingAlreadyCancelled), Outcome(await b.DecideAsync(again)));
        var rebooking = b.Sign(b.Citizens[1], b.Slot(Doctor, 2));
        Assert.Equal("accepted", (await b.DecideAsync(rebooking)).Status);
        // The new booking may get the cancelled one's row id (SQLite reuses the highest rowid): its cancellation works too.
        Assert.Equal("accepted", (await b.DecideAsync(b.Sign(b.Citizens[1],
            new AppointmentCancellationDetails(rebooking.RequestId, BookingCentral.ClinicD1, Doctor, slotId, b.SlotStart(Doctor, 2))))).Status);
        Assert.Equal(2, b.Scalar("SELECT COUNT(*) FROM cancelled_bookings WHERE slot_id = @slotId", new { slotId }));

        Assert.DoesNotContain(b.Central.Logs.Lines, l => l.Contains(citizen.Iin!) || l.Contains("ТЕСТОВ"));
    }

    private static async Task<List<long>> FreeSlots(BookingCentral b) =>
        (await b.GetJsonAsync($"/api/reference/doctors/{Doctor}/slots", operatorToken: false)).GetProperty("slots").EnumerateArray()
            .Select(s => s.GetProperty("id").GetInt64()).ToList();

    private static (string, string?) Outcome(BookingDecision d) => (d.Status, d.Reason);

    public static TheoryData<string, string> AppointmentRefusals => new()
    {
        { "missing", RefusalReasons.NotInRegistry },
        { "deceased", RefusalReasons.Deceased },
        { "unattached", RefusalReasons.NotAttached },
        { "no-such-slot", RefusalReasons.SlotNotFound },
        { "slot-of-another-doctor", RefusalReasons.SlotNotFound },
        { "other-clinic", RefusalReasons.OtherClinic },
        { "past", RefusalReasons.SlotPast },
        { "same-doctor", RefusalReasons.DoctorAlreadyBooked },
        { "taken", RefusalReasons.SlotTaken },
    };

    [Theory]
    [MemberData(nameof(AppointmentRefusals))]
    public async Task Every_appointment_refusal_comes_through_the_intake_with_its_messages(string situation, string reason)
    {
        await using var b = await BookingCentral.StartAsync(ca);
        var citizen = b.Citizens[2];
        var details = b.Slot(Doctor, 3);
        switch (situation)
        {
            case "missing": b.Central.SetRegistry(citizen, RegistryState.Missing); break;
            case "deceased": b.Central.SetRegistry(citizen, RegistryState.Deceased); break;
            case "unattached": b.Central.SetRegistry(citizen, RegistryState.NotAttached); break;
            case "no-such-slot": details = new AppointmentDetails(BookingCentral.ClinicD1, Doctor, 999_999, b.SlotStart(Doctor, 3)); break;
            case "slot-of-another-doctor": details = new AppointmentDetails(BookingCentral.ClinicD1, BookingCentral.SecondDoctor, details.SlotId, details.SlotStart); break;
            case "other-clinic": details = b.Slot(BookingCentral.OtherClinicDoctor, 3); break;
            case "past": details = b.Slot(Doctor, 0); break;
            case "same-doctor": Assert.Equal("accepted", (await b.DecideAsync(b.Sign(citizen, b.Slot(Doctor, 5)))).Status); break;
            case "taken": Assert.Equal("accepted", (await b.DecideAsync(b.Sign(b.Citizens[0], details))).Status); break;
        }

        var decision = await b.DecideAsync(b.Sign(citizen, details));

        Assert.Equal(("refused", reason), Outcome(decision));
        Assert.Equal(RefusalReasons.For(reason, "kk"), decision.Messages!.Kk);
        Assert.Equal(RefusalReasons.For(reason, "ru"), decision.Messages.Ru);
        Assert.Equal(RefusalReasons.For(reason, "en"), decision.Messages.En);
        if (reason == RefusalReasons.SlotTaken)
        {
            // The three free slots nearest to 09:40 tomorrow: 09:20 and 10:00 on either side, then 09:00 (earlier wins a tie with 10:20).
            Assert.Equal([BookingCentral.SlotId(Doctor, 1), BookingCentral.SlotId(Doctor, 2), BookingCentral.SlotId(Doctor, 4)],
                decision.Alternatives!.Select(a => a.SlotId));
            Assert.All(decision.Alternatives!, a => Assert.Equal((Doctor, BookingCentral.ClinicD1, b.DayText(1)), (a.DoctorId, a.ClinicId, a.LocalDate)));
            Assert.Equal(["09:00", "09:20", "10:00"], decision.Alternatives!.Select(a => a.LocalTime));
        }
        else if (reason == RefusalReasons.SlotPast)
            Assert.Equal([1, 2, 3], decision.Alternatives!.Select(a => (int)(a.SlotId - Doctor * 100)));
        else
            Assert.Null(decision.Alternatives);
    }

    public static TheoryData<string, string> CancellationRefusals => new()
    {
        { "unknown-booking", RefusalReasons.BookingNotFound },
        { "other-slot", RefusalReasons.BookingNotFound },
        { "not-yours", RefusalReasons.BookingNotYours },
        { "past", RefusalReasons.BookingPast },
        { "missing", RefusalReasons.NotInRegistry },
    };

    [Theory]
    [MemberData(nameof(CancellationRefusals))]
    public async Task Every_cancellation_refusal_comes_through_the_intake_and_the_booking_stays(string situation, string reason)
    {
        await using var b = await BookingCentral.StartAsync(ca);
        var holder = b.Citizens[0];
        var booking = b.Sign(holder, b.Slot(Doctor, 1));
        Assert.Equal("accepted", (await b.DecideAsync(booking)).Status);
        var canceller = holder;
        var target = new AppointmentCancellationDetails(booking.RequestId, BookingCentral.ClinicD1, Doctor, BookingCentral.SlotId(Doctor, 1), b.SlotStart(Doctor, 1));
        switch (situation)
        {
            case "unknown-booking": target = new AppointmentCancellationDetails(Guid.NewGuid(), target.ClinicId, target.DoctorId, target.SlotId, target.SlotStart); break;
            case "other-slot": target = new AppointmentCancellationDetails(booking.RequestId, target.ClinicId, Doctor, BookingCentral.SlotId(Doctor, 2), b.SlotStart(Doctor, 2)); break;
            case "not-yours": canceller = b.Citizens[1]; break;
            case "past": break;
            case "missing": // someone the registry does not know (the registry is asked before whose booking it is)
                canceller = b.Citizens[3];
                b.Central.SetRegistry(canceller, RegistryState.Missing);
                break;
        }
        var cancel = b.Sign(canceller, target);
        if (situation == "past") b.Central.Time.SetUtcNow(b.SlotStart(Doctor, 1).AddMinutes(1)); // delivered when the visit had begun

        Assert.Equal(("refused", reason), Outcome(await b.DecideAsync(cancel)));
        Assert.Equal(0, b.Scalar("SELECT COUNT(*) FROM cancelled_bookings"));
        Assert.Equal(1, b.Scalar("SELECT COUNT(*) FROM bookings"));
    }

    [Fact]
    public async Task The_database_refuses_a_second_active_booking_of_a_slot_and_the_decider_turns_that_into_slot_taken()
    {
        await using var b = await BookingCentral.StartAsync(ca);
        var slotId = BookingCentral.SlotId(Doctor, 1);
        using var c = b.Database.Open();

        // The rule saw the slot free and accepted; then another booking of it got into the table first (what a second
        // Central instance, or anything behind the rule's back, would do). The insert hits UNIQUE (slot_id).
        using (var tx = c.BeginTransaction())
        {
            c.Execute("INSERT INTO bookings (slot_id, iin, request_id, created_at) VALUES (@slotId, @iin, @id, '2026-01-01T00:00:00.0000000Z')",
                new { slotId, iin = b.Citizens[0].Iin, id = Guid.NewGuid().ToString("D") }, tx);
            var accepted = new AppointmentDecision.Accepted(slotId, Doctor, BookingCentral.ClinicD1, b.SlotStart(Doctor, 1));
            var decision = AppointmentDecider.Insert(c, tx, accepted, b.Citizens[1].Iin!, Guid.NewGuid().ToString("D"), b.Central.Time.GetUtcNow());
            Assert.Equal((ServiceDecision.RefusedStatus, RefusalReasons.SlotTaken), (decision.Status, decision.Reason));
            Assert.Equal(3, decision.Alternatives!.Count);
            Assert.DoesNotContain(decision.Alternatives!, a => a.SlotId == slotId);
            tx.Commit(); // the failed statement was undone, the transaction is fine
        }
        Assert.Equal(b.Citizens[0].Iin, c.ExecuteScalar<string>("SELECT iin FROM bookings WHERE slot_id = @slotId", new { slotId }));

        // And plainly: the table takes no second row for a slot.
        var e = Assert.Throws<SqliteException>(() => c.Execute(
            "INSERT INTO bookings (slot_id, iin, request_id, created_at) VALUES (@slotId, @iin, @id, '2026-01-01T00:00:00.0000000Z')",
            new { slotId, iin = b.Citizens[2].Iin, id = Guid.NewGuid().ToString("D") }));
        Assert.Equal(19, e.SqliteErrorCode);
    }
}
