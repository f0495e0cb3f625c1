using Dapper;
using Kiosk.Core.Services;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Central.Booking;

/// <summary>
/// Issue 5, "Done when": two requests for one slot from two kiosks at the same moment register exactly one booking.
/// Real parallel HTTP pushes from two provisioned kiosks against a running Central, round after round on fresh slots.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class SlotRaceTests(DemoCaFixture ca)
{
    private const int Rounds = 50;
    private const long FirstDoctor = 1000;

    [Fact]
    public async Task Two_kiosks_pushing_for_one_slot_at_once_give_exactly_one_booking_and_the_loser_three_alternatives()
    {
        await using var b = await BookingCentral.StartAsync(ca);
        for (var r = 0; r < Rounds; r++) b.AddDoctor(FirstDoctor + r, BookingCentral.ClinicD1, 5);

        // Signed beforehand (signing is the kiosk's business), so only the pushes race.
        var rounds = Enumerable.Range(0, Rounds).Select(r =>
        {
            var doctor = FirstDoctor + r;
            var slot = b.Slot(doctor, 3);
            var (one, two) = (b.Citizens[r % 4], b.Citizens[(r + 1) % 4]);
            return (Doctor: doctor, Slot: slot.SlotId,
                A: b.Sign(one, slot, IntakeCentral.KioskId), B: b.Sign(two, slot, BookingCentral.SecondKioskId));
        }).ToList();

        var winners = new Dictionary<string, int> { [IntakeCentral.KioskId] = 0, [BookingCentral.SecondKioskId] = 0 };
        foreach (var round in rounds)
        {
            using var start = new SemaphoreSlim(0, 2);
            async Task<PushItem> Push(Kiosk.Core.Requests.SignedRequest signed, string kiosk)
            {
                await start.WaitAsync();
                return await b.PushAsync(signed, kiosk);
            }
            var a = Task.Run(() => Push(round.A, IntakeCentral.KioskId));
            var c = Task.Run(() => Push(round.B, BookingCentral.SecondKioskId));
            start.Release(2);
            var answers = await Task.WhenAll(a, c);
            Assert.All(answers, x => Assert.Equal("registered", x.Status));

            var first = await b.DecisionAsync(round.A.RequestId, IntakeCentral.KioskId);
            var second = await b.DecisionAsync(round.B.RequestId, BookingCentral.SecondKioskId);
            var decisions = new[] { first, second };
            var winner = Assert.Single(decisions, d => d.Status == "accepted");
            var loser = Assert.Single(decisions, d => d.Status == "refused");
            Assert.Equal(RefusalReasons.SlotTaken, loser.Reason);
            // The three free slots nearest to the contested 09:40: 09:20, 10:00 and 09:00.
            Assert.Equal([BookingCentral.SlotId(round.Doctor, 1), BookingCentral.SlotId(round.Doctor, 2), BookingCentral.SlotId(round.Doctor, 4)],
                loser.Alternatives!.Select(x => x.SlotId));
            Assert.Null(winner.Alternatives);
            using var db = b.Database.Open();
            Assert.Equal(winner.RequestId, db.QuerySingle<string>("SELECT request_id FROM bookings WHERE slot_id = @slot", new { slot = round.Slot }));
            winners[winner == first ? IntakeCentral.KioskId : BookingCentral.SecondKioskId]++;
        }

        Assert.Equal(Rounds, b.Scalar("SELECT COUNT(*) FROM bookings"));
        Assert.Equal(2 * Rounds, b.Scalar("SELECT COUNT(*) FROM requests WHERE status <> 'registered'"));
        Assert.Equal(Rounds, b.Scalar("SELECT COUNT(*) FROM requests WHERE reason = 'slot-taken'"));
        // Which kiosk wins is the race's business; both did at least sometimes is not asserted (no timing in tests),
        // but the count is reported for whoever reads the output.
        Console.WriteLine($"slot race: {winners[IntakeCentral.KioskId]} wins for {IntakeCentral.KioskId}, {winners[BookingCentral.SecondKioskId]} for {BookingCentral.SecondKioskId}");
    }
}
