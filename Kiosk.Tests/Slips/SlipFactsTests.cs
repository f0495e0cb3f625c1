using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Core.Slips;
using Kiosk.Core.Time;

namespace Kiosk.Tests.Slips;

/// <summary>What a slip says of its request: clinic, doctor, when, and the regulation's deadline per service.</summary>
public sealed class SlipFactsTests
{
    private static readonly DateTimeOffset SignedAt = AstanaTime.ToUtc(new DateOnly(2026, 11, 26), new TimeOnly(23, 30));

    private static RequestDocument Document(RequestDetails details) =>
        new(Guid.NewGuid(), Iin.Parse("850314312017"), "ЖҰМАБЕКОВ АСХАТ СЕРІКҰЛЫ", SignedAt, "kiosk-01", "ru", details);

    private static SlipClaims Blank => SlipTokenTests.TypicalResult() with { ClinicId = null, At = null, Until = null, Deadline = null };

    [Fact]
    public void An_appointment_slip_names_the_clinic_the_doctor_and_the_slot_which_is_also_its_deadline()
    {
        var slot = AstanaTime.ToUtc(new DateOnly(2026, 12, 1), new TimeOnly(9, 20));

        var claims = SlipFacts.Apply(Blank, Document(new AppointmentDetails(3, 17, 4711, slot)), SignedAt);

        Assert.Equal((3L, 17L, "2026-12-01T09:20", "2026-12-01T09:20"), (claims.ClinicId, claims.DoctorId, claims.At, claims.Deadline));
    }

    [Fact]
    public void A_home_call_and_an_attachment_are_due_on_the_Astana_day_of_the_request()
    {
        var homeCall = SlipFacts.Apply(Blank, Document(new HomeCallDetails("Астана, 1", "+77011234567", HomeCallReasons.Fever, null)), SignedAt);
        var attachment = SlipFacts.Apply(Blank, Document(new AttachmentDetails(5, AttachmentReasons.Voluntary)), SignedAt);

        // 23:30 in Astana is still the 26th there (18:30 UTC).
        Assert.Equal("2026-11-26", homeCall.Deadline);
        Assert.Equal((5L, "2026-11-26"), (attachment.ClinicId, attachment.Deadline));
        Assert.Null(homeCall.At);
    }
}
