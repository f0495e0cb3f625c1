using Kiosk.Central.Sync;

namespace Kiosk.Tests.Central.Intake;

/// <summary>When Central relies on a CMS signing-time (docs/sync-protocol.md §3): a pure function, tested directly.</summary>
public sealed class IntakeJudgedAtTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 4, 13, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_signing_time_that_agrees_with_the_envelope_is_relied_on()
    {
        var signed = Received.AddHours(-3);
        Assert.Equal(signed, IntakeService.JudgedAt(signed, signed.AddSeconds(2), null, Received, Tolerance));
        Assert.Equal(signed, IntakeService.JudgedAt(signed, signed.AddMinutes(5), 0, Received, Tolerance));
    }

    [Fact]
    public void The_kiosks_measured_clock_skew_moves_it_onto_Centrals_clock()
    {
        var signed = Received.AddHours(-3);
        // The kiosk's clock runs 120 s ahead of Central's: it signed at Central's signed − 120 s.
        Assert.Equal(signed.AddSeconds(-120), IntakeService.JudgedAt(signed, signed, 120, Received, Tolerance));
        Assert.Equal(signed.AddSeconds(90), IntakeService.JudgedAt(signed, signed, -90, Received, Tolerance));
    }

    [Fact]
    public void Otherwise_the_receipt_is_the_time_of_judgement()
    {
        var signed = Received.AddHours(-3);
        Assert.Equal(Received, IntakeService.JudgedAt(null, signed, null, Received, Tolerance));                       // no signing-time
        Assert.Equal(Received, IntakeService.JudgedAt(signed, signed.AddMinutes(6), null, Received, Tolerance));       // far from createdAt
        Assert.Equal(Received, IntakeService.JudgedAt(signed, signed.AddMinutes(-6), null, Received, Tolerance));
        Assert.Equal(Received, IntakeService.JudgedAt(Received.AddMinutes(1), Received.AddMinutes(1), null, Received, Tolerance)); // after the receipt
        Assert.Equal(Received, IntakeService.JudgedAt(Received.AddSeconds(30), Received.AddSeconds(30), 10, Received, Tolerance)); // still after it, skew applied
    }
}
