using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Core.Services.Attachment;
using Kiosk.Core.Time;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Services;

/// <summary>AttachmentRule (issue 5): every refusal, the yearly limit and the campaign window from policy, acceptance.</summary>
public class AttachmentRuleTests
{
    private const long Current = 1, Target = 2;
    private static readonly AttachmentClinic Clinic = new(Target, new HashSet<string> { "esil", "nura" });

    // 15 March 2026, 10:00 in Astana.
    private readonly FakeTimeProvider _time = new(AstanaTime.ToUtc(new DateOnly(2026, 3, 15), new TimeOnly(10, 0)));

    private static AttachmentApplicant Person(long? attachedTo = Current, string district = "esil", params DateOnly[] voluntary) =>
        new(true, false, district, attachedTo, voluntary);

    private AttachmentDecision Decide(AttachmentApplicant applicant, AttachmentDetails? request = null, AttachmentClinic? clinic = null,
        AttachmentPolicy? policy = null, bool noClinic = false) =>
        AttachmentRule.Decide(applicant, request ?? new AttachmentDetails(Target, AttachmentReasons.Voluntary), noClinic ? null : clinic ?? Clinic,
            policy ?? AttachmentPolicy.Default, _time.GetUtcNow());

    private static string? Refusal(AttachmentDecision d) => (d as AttachmentDecision.Refused)?.Reason;

    [Fact]
    public void A_voluntary_change_to_a_clinic_serving_the_district_is_accepted_and_counted_as_voluntary() =>
        Assert.Equal(new AttachmentDecision.Accepted(Target, AttachmentReasons.Voluntary), Decide(Person()));

    [Fact]
    public void A_person_not_in_the_registry_or_deceased_is_refused()
    {
        Assert.Equal(RefusalReasons.NotInRegistry, Refusal(Decide(AttachmentApplicant.NotInRegistry)));
        Assert.Equal(RefusalReasons.Deceased, Refusal(Decide(Person() with { Deceased = true })));
    }

    [Fact]
    public void A_clinic_that_does_not_exist_is_refused() =>
        Assert.Equal(RefusalReasons.ClinicNotFound, Refusal(Decide(Person(), noClinic: true)));

    [Fact]
    public void Attaching_to_the_clinic_one_is_attached_to_is_refused_whatever_the_reason()
    {
        Assert.Equal(RefusalReasons.AlreadyAttachedHere, Refusal(Decide(Person(Target))));
        Assert.Equal(RefusalReasons.AlreadyAttachedHere,
            Refusal(Decide(Person(Target), new AttachmentDetails(Target, AttachmentReasons.ChangeOfResidence, "Астана, Мәңгілік Ел 55", "nura"))));
    }

    [Fact]
    public void A_clinic_that_does_not_serve_the_persons_district_is_refused() =>
        Assert.Equal(RefusalReasons.ClinicNotServingDistrict, Refusal(Decide(Person(district: "almaty"))));

    [Fact]
    public void On_a_change_of_residence_the_new_addresss_district_counts_not_the_registrys()
    {
        var movingIn = new AttachmentDetails(Target, AttachmentReasons.ChangeOfResidence, "Астана, Мәңгілік Ел 55", "nura");
        var movingAway = new AttachmentDetails(Target, AttachmentReasons.ChangeOfResidence, "Астана, Абай 1", "almaty");
        var noDistrictGiven = new AttachmentDetails(Target, AttachmentReasons.ChangeOfResidence, "Астана, Абай 1");
        Assert.Equal(new AttachmentDecision.Accepted(Target, AttachmentReasons.ChangeOfResidence), Decide(Person(district: "almaty"), movingIn));
        Assert.Equal(RefusalReasons.ClinicNotServingDistrict, Refusal(Decide(Person(district: "esil"), movingAway)));
        // Without a district in the document, the registry's (which may already hold the new address) is used.
        Assert.IsType<AttachmentDecision.Accepted>(Decide(Person(district: "esil"), noDistrictGiven));
        Assert.Equal(RefusalReasons.ClinicNotServingDistrict, Refusal(Decide(Person(district: "almaty"), noDistrictGiven)));
    }

    [Fact]
    public void A_first_attachment_of_someone_attached_already_is_refused() =>
        Assert.Equal(RefusalReasons.NotFirstAttachment, Refusal(Decide(Person(), new AttachmentDetails(Target, AttachmentReasons.FirstAttachment))));

    [Theory]
    [InlineData(AttachmentReasons.FirstAttachment)]
    [InlineData(AttachmentReasons.Voluntary)]
    public void A_person_attached_to_no_clinic_is_attached_as_a_first_attachment_not_counted(string reason)
    {
        var limitReachedLongAgo = Person(null, "esil", new DateOnly(2026, 1, 10));
        Assert.Equal(new AttachmentDecision.Accepted(Target, AttachmentReasons.FirstAttachment),
            Decide(limitReachedLongAgo, new AttachmentDetails(Target, reason), policy: new AttachmentPolicy(1, MonthDay.Parse("09-01"), MonthDay.Parse("11-01"))));
    }

    [Fact]
    public void The_yearly_limit_counts_voluntary_changes_of_the_calendar_year_of_the_signing()
    {
        var onceThisYear = Person(Current, "esil", new DateOnly(2026, 1, 2));
        Assert.Equal(RefusalReasons.VoluntaryLimitReached, Refusal(Decide(onceThisYear)));
        Assert.IsType<AttachmentDecision.Accepted>(Decide(onceThisYear, policy: new AttachmentPolicy(2)));
        Assert.Equal(RefusalReasons.VoluntaryLimitReached, Refusal(Decide(Person(Current, "esil", new DateOnly(2026, 1, 2), new DateOnly(2026, 2, 2)), policy: new AttachmentPolicy(2))));
        Assert.IsType<AttachmentDecision.Accepted>(Decide(Person(Current, "esil", new DateOnly(2025, 12, 31))));
        Assert.Equal(RefusalReasons.VoluntaryLimitReached, Refusal(Decide(Person(), policy: new AttachmentPolicy(0))));

        // The year turns over in Astana's time, not UTC's: 1 January 00:30 in Astana is still 31 December in UTC.
        _time.SetUtcNow(AstanaTime.ToUtc(new DateOnly(2027, 1, 1), new TimeOnly(0, 30)));
        Assert.IsType<AttachmentDecision.Accepted>(Decide(Person(Current, "esil", new DateOnly(2026, 12, 31))));
    }

    [Fact]
    public void A_change_of_residence_is_not_counted_against_the_limit_nor_held_to_the_campaign()
    {
        var limitReached = Person(Current, "esil", new DateOnly(2026, 1, 2));
        var moving = new AttachmentDetails(Target, AttachmentReasons.ChangeOfResidence, "Астана, Мәңгілік Ел 55", "nura");
        Assert.IsType<AttachmentDecision.Accepted>(Decide(limitReached, moving, policy: new AttachmentPolicy(1, MonthDay.Parse("09-01"), MonthDay.Parse("11-01"))));
    }

    [Theory]
    [InlineData(8, 31, false)]
    [InlineData(9, 1, true)]
    [InlineData(10, 15, true)]
    [InlineData(11, 1, true)]
    [InlineData(11, 2, false)]
    public void With_a_campaign_a_voluntary_change_is_accepted_only_within_it_both_days_included(int month, int day, bool accepted)
    {
        _time.SetUtcNow(AstanaTime.ToUtc(new DateOnly(2026, month, day), new TimeOnly(12, 0)));
        var policy = new AttachmentPolicy(2, MonthDay.Parse("09-01"), MonthDay.Parse("11-01"));
        var d = Decide(Person(), policy: policy);
        Assert.Equal(accepted ? null : RefusalReasons.OutsideCampaign, Refusal(d));
    }

    [Fact]
    public void A_campaign_may_run_over_new_year_and_a_month_day_parses_strictly()
    {
        var policy = new AttachmentPolicy(1, MonthDay.Parse("12-01"), MonthDay.Parse("01-31"));
        Assert.True(policy.InCampaign(new DateOnly(2026, 12, 20)));
        Assert.True(policy.InCampaign(new DateOnly(2027, 1, 31)));
        Assert.False(policy.InCampaign(new DateOnly(2027, 2, 1)));
        Assert.True(AttachmentPolicy.Default.InCampaign(new DateOnly(2026, 6, 1)));
        Assert.True(MonthDay.TryParse("02-29", out _));
        Assert.False(MonthDay.TryParse("13-01", out _));
        Assert.False(MonthDay.TryParse("9-1", out _));
        Assert.False(MonthDay.TryParse("09-31", out _));
    }
}
