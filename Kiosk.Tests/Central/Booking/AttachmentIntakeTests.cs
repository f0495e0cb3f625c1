using System.Globalization;
using Dapper;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Central.Booking;

/// <summary>Attachment through Central's intake over real HTTP (issue 5): the move with its history, the limits from configuration, every refusal.</summary>
[Collection(DemoCaCollection.Name)]
public sealed class AttachmentIntakeTests(DemoCaFixture ca)
{
    private static (string, string?) Outcome(BookingDecision d) => (d.Status, d.Reason);

    [Fact]
    public async Task A_voluntary_change_moves_the_attachment_keeps_the_history_and_sends_appointments_to_the_new_clinic()
    {
        await using var b = await BookingCentral.StartAsync(ca);
        var citizen = b.Citizens[0];
        var before = b.Scalar("SELECT MAX(version) FROM reference_versions");

        var decision = await b.DecideAsync(b.Sign(citizen, new AttachmentDetails(BookingCentral.OtherClinicD1, AttachmentReasons.Voluntary)));

        Assert.Equal(("accepted", null, RequestKinds.Attachment), (decision.Status, decision.Reason, decision.Kind));
        Assert.Matches($"^AT-{b.Central.Day:yyyyMMdd}-\\d{{6}}$", decision.RegistrationNumber);
        Assert.Equal(BookingCentral.OtherClinicD1, b.ActiveClinic(citizen));
        using (var c = b.Database.Open())
        {
            var history = c.Query<(long Clinic, string AttachedOn, string? DetachedOn, string? Reason)>(
                "SELECT clinic_id, attached_on, detached_on, reason FROM attachments WHERE iin = @iin ORDER BY id", new { iin = citizen.Iin }).ToList();
            Assert.Equal(
                [(BookingCentral.ClinicD1, "2010-01-01", b.DayText(), null), (BookingCentral.OtherClinicD1, b.DayText(), null, AttachmentReasons.Voluntary)],
                history);
        }
        Assert.True(b.Scalar("SELECT MIN(version) FROM clinics WHERE id IN (1, 2)") > before, "both clinics' attached counts changed");

        // From now on the person's appointments go to the new clinic.
        Assert.Equal(("refused", RefusalReasons.OtherClinic), Outcome(await b.DecideAsync(b.Sign(citizen, b.Slot(BookingCentral.Doctor, 1)))));
        Assert.Equal("accepted", (await b.DecideAsync(b.Sign(citizen, b.Slot(BookingCentral.OtherClinicDoctor, 1)))).Status);

        // A second voluntary change this year is over the default limit of 1; a move of residence is not counted.
        Assert.Equal(("refused", RefusalReasons.VoluntaryLimitReached),
            Outcome(await b.DecideAsync(b.Sign(citizen, new AttachmentDetails(BookingCentral.ClinicD1, AttachmentReasons.Voluntary)))));
        var moving = new AttachmentDetails(BookingCentral.ClinicD2, AttachmentReasons.ChangeOfResidence, "Астана, Мәңгілік Ел 55, 9-пәтер", "D2");
        Assert.Equal("accepted", (await b.DecideAsync(b.Sign(citizen, moving))).Status);
        Assert.Equal(BookingCentral.ClinicD2, b.ActiveClinic(citizen));
        Assert.Equal(3, b.Scalar("SELECT COUNT(*) FROM attachments WHERE iin = @iin", new { iin = citizen.Iin }));
        Assert.DoesNotContain(b.Central.Logs.Lines, l => l.Contains(citizen.Iin!) || l.Contains("Мәңгілік"));
    }

    [Fact]
    public async Task A_person_attached_nowhere_is_attached_and_the_limit_comes_from_configuration()
    {
        await using var b = await BookingCentral.StartAsync(ca, "--Attachment:VoluntaryChangesPerYear=2");
        var newcomer = b.Citizens[1];
        b.Central.SetRegistry(newcomer, RegistryState.NotAttached);
        Assert.Equal("accepted", (await b.DecideAsync(b.Sign(newcomer, new AttachmentDetails(BookingCentral.ClinicD1, AttachmentReasons.FirstAttachment)))).Status);
        Assert.Equal(BookingCentral.ClinicD1, b.ActiveClinic(newcomer));

        var citizen = b.Citizens[0];
        Assert.Equal("accepted", (await b.DecideAsync(b.Sign(citizen, new AttachmentDetails(BookingCentral.OtherClinicD1, AttachmentReasons.Voluntary)))).Status);
        Assert.Equal("accepted", (await b.DecideAsync(b.Sign(citizen, new AttachmentDetails(BookingCentral.ClinicD1, AttachmentReasons.Voluntary)))).Status);
        Assert.Equal(("refused", RefusalReasons.VoluntaryLimitReached),
            Outcome(await b.DecideAsync(b.Sign(citizen, new AttachmentDetails(BookingCentral.OtherClinicD1, AttachmentReasons.Voluntary)))));
    }

    [Fact]
    public async Task Outside_the_configured_campaign_a_voluntary_change_is_refused_but_a_move_is_not()
    {
        await using var setup = await BookingCentral.StartAsync(ca);
        var from = setup.Central.Day.AddDays(10).ToString("MM-dd", CultureInfo.InvariantCulture);
        var to = setup.Central.Day.AddDays(40).ToString("MM-dd", CultureInfo.InvariantCulture);
        await setup.DisposeAsync();
        await using var b = await BookingCentral.StartAsync(ca, $"--Attachment:CampaignFrom={from}", $"--Attachment:CampaignTo={to}");
        var citizen = b.Citizens[0];

        Assert.Equal(("refused", RefusalReasons.OutsideCampaign),
            Outcome(await b.DecideAsync(b.Sign(citizen, new AttachmentDetails(BookingCentral.OtherClinicD1, AttachmentReasons.Voluntary)))));
        Assert.Equal("accepted", (await b.DecideAsync(b.Sign(citizen,
            new AttachmentDetails(BookingCentral.ClinicD2, AttachmentReasons.ChangeOfResidence, "Астана, Абай 1", "D2")))).Status);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "missing", RefusalReasons.NotInRegistry },
        { "deceased", RefusalReasons.Deceased },
        { "no-such-clinic", RefusalReasons.ClinicNotFound },
        { "other-district", RefusalReasons.ClinicNotServingDistrict },
        { "moving-elsewhere", RefusalReasons.ClinicNotServingDistrict },
        { "same-clinic", RefusalReasons.AlreadyAttachedHere },
        { "not-first", RefusalReasons.NotFirstAttachment },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Every_attachment_refusal_comes_through_the_intake_and_nothing_moves(string situation, string reason)
    {
        await using var b = await BookingCentral.StartAsync(ca);
        var citizen = b.Citizens[2];
        var details = new AttachmentDetails(BookingCentral.OtherClinicD1, AttachmentReasons.Voluntary);
        switch (situation)
        {
            case "missing": b.Central.SetRegistry(citizen, RegistryState.Missing); break;
            case "deceased": b.Central.SetRegistry(citizen, RegistryState.Deceased); break;
            case "no-such-clinic": details = new AttachmentDetails(99, AttachmentReasons.Voluntary); break;
            case "other-district": details = new AttachmentDetails(BookingCentral.ClinicD2, AttachmentReasons.Voluntary); break;
            case "moving-elsewhere": details = new AttachmentDetails(BookingCentral.ClinicD2, AttachmentReasons.ChangeOfResidence, "Астана, Абай 1", "D1"); break;
            case "same-clinic": details = new AttachmentDetails(BookingCentral.ClinicD1, AttachmentReasons.Voluntary); break;
            case "not-first": details = new AttachmentDetails(BookingCentral.OtherClinicD1, AttachmentReasons.FirstAttachment); break;
        }
        var attachedBefore = b.ActiveClinic(citizen);

        var decision = await b.DecideAsync(b.Sign(citizen, details));

        Assert.Equal(("refused", reason), Outcome(decision));
        Assert.Equal(RefusalReasons.For(reason, "kk"), decision.Messages!.Kk);
        Assert.Equal(attachedBefore, b.ActiveClinic(citizen));
        Assert.Equal(0, b.Scalar("SELECT COUNT(*) FROM attachments WHERE reason IS NOT NULL"));
    }
}
