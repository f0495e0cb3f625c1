using CsCheck;
using Kiosk.Core.Services;
using Kiosk.Core.Services.HomeCall;
using Kiosk.Core.Time;

namespace Kiosk.Tests.Services;

public class HomeCallRuleTests
{
    // Mon–Fri 08:00–20:00, Sat 09:00–14:00, closed on Sunday (the demo clinics' usual week).
    private static readonly IReadOnlyDictionary<DayOfWeek, WorkingHours> Week = new Dictionary<DayOfWeek, WorkingHours>
    {
        [DayOfWeek.Monday] = new(new(8, 0), new(20, 0)),
        [DayOfWeek.Tuesday] = new(new(8, 0), new(20, 0)),
        [DayOfWeek.Wednesday] = new(new(8, 0), new(20, 0)),
        [DayOfWeek.Thursday] = new(new(8, 0), new(20, 0)),
        [DayOfWeek.Friday] = new(new(8, 0), new(20, 0)),
        [DayOfWeek.Saturday] = new(new(9, 0), new(14, 0)),
    };

    private static readonly HomeCallApplicant Attached = new(true, false, Week);
    private static readonly DateOnly Wednesday = new(2026, 3, 4);
    private static readonly DateOnly Saturday = new(2026, 3, 7);
    private static readonly DateOnly Sunday = new(2026, 3, 8);

    private static DateTimeOffset At(DateOnly day, int hour, int minute = 0) => AstanaTime.ToUtc(day, new TimeOnly(hour, minute));

    private static string? Refusal(HomeCallDecision d) => (d as HomeCallDecision.Refused)?.Reason;

    [Fact]
    public void A_call_in_working_hours_is_accepted_for_today_until_closing_from_the_next_quarter_hour()
    {
        var d = Assert.IsType<HomeCallDecision.Accepted>(HomeCallRule.Decide(Attached, At(Wednesday, 10, 7), At(Wednesday, 10, 7)));
        Assert.Equal(new HomeCallDecision.Accepted(Wednesday, new TimeOnly(10, 15), new TimeOnly(20, 0)), d);
    }

    [Fact]
    public void A_call_before_opening_is_accepted_and_the_visit_starts_when_the_clinic_opens()
    {
        var d = Assert.IsType<HomeCallDecision.Accepted>(HomeCallRule.Decide(Attached, At(Wednesday, 6, 40), At(Wednesday, 6, 41)));
        Assert.Equal(new TimeOnly(8, 0), d.From);
    }

    [Theory]
    [InlineData(17, 59, null)]
    [InlineData(18, 0, RefusalReasons.AfterCutOff)]
    [InlineData(19, 30, RefusalReasons.AfterCutOff)]
    [InlineData(23, 59, RefusalReasons.AfterCutOff)]
    public void The_cut_off_is_two_hours_before_closing_on_a_weekday(int hour, int minute, string? reason)
    {
        Assert.Equal(reason, Refusal(HomeCallRule.Decide(Attached, At(Wednesday, hour, minute), At(Wednesday, hour, minute))));
    }

    [Fact]
    public void On_saturday_the_cut_off_follows_the_short_day()
    {
        Assert.IsType<HomeCallDecision.Accepted>(HomeCallRule.Decide(Attached, At(Saturday, 11, 59), At(Saturday, 11, 59)));
        Assert.Equal(RefusalReasons.AfterCutOff, Refusal(HomeCallRule.Decide(Attached, At(Saturday, 12, 0), At(Saturday, 12, 0))));
    }

    [Fact]
    public void The_cut_off_is_judged_in_astana_time_not_utc()
    {
        // 12:59 UTC is 17:59 in Astana (UTC+5): in time; 13:00 UTC is 18:00: late.
        var inTime = new DateTimeOffset(2026, 3, 4, 12, 59, 0, TimeSpan.Zero);
        var late = new DateTimeOffset(2026, 3, 4, 13, 0, 0, TimeSpan.Zero);
        Assert.IsType<HomeCallDecision.Accepted>(HomeCallRule.Decide(Attached, inTime, inTime));
        Assert.Equal(RefusalReasons.AfterCutOff, Refusal(HomeCallRule.Decide(Attached, late, late)));
    }

    [Fact]
    public void A_closed_day_refuses()
    {
        Assert.Equal(RefusalReasons.ClinicClosedToday, Refusal(HomeCallRule.Decide(Attached, At(Sunday, 10), At(Sunday, 10))));
    }

    [Fact]
    public void The_registry_refuses_unknown_deceased_and_unattached_people_in_that_order()
    {
        var t = At(Wednesday, 10);
        Assert.Equal(RefusalReasons.NotInRegistry, Refusal(HomeCallRule.Decide(HomeCallApplicant.NotInRegistry, t, t)));
        Assert.Equal(RefusalReasons.Deceased, Refusal(HomeCallRule.Decide(new HomeCallApplicant(true, true, Week), t, t)));
        Assert.Equal(RefusalReasons.Deceased, Refusal(HomeCallRule.Decide(new HomeCallApplicant(true, true, null), t, t)));
        Assert.Equal(RefusalReasons.NotAttached, Refusal(HomeCallRule.Decide(new HomeCallApplicant(true, false, null), t, t)));
    }

    [Fact]
    public void A_call_signed_in_time_offline_is_judged_at_signing_and_accepted_when_it_arrives_the_same_working_day()
    {
        var d = Assert.IsType<HomeCallDecision.Accepted>(HomeCallRule.Decide(Attached, At(Wednesday, 17, 30), At(Wednesday, 19, 0)));
        Assert.Equal((new TimeOnly(19, 0), new TimeOnly(20, 0)), (d.From, d.To));
    }

    [Theory]
    [InlineData(0, 20, 5)]   // the same date, after closing
    [InlineData(0, 19, 58)]  // the next quarter hour is closing time: no window is left
    [InlineData(1, 9, 0)]    // the next morning
    [InlineData(3, 9, 0)]    // after a weekend
    public void A_call_signed_in_time_that_arrives_after_its_working_day_is_refused_with_advice_to_phone(int days, int hour, int minute)
    {
        var decided = At(Wednesday.AddDays(days), hour, minute);
        Assert.Equal(RefusalReasons.DayOver, Refusal(HomeCallRule.Decide(Attached, At(Wednesday, 17, 30), decided)));
        Assert.Contains("1414", RefusalReasons.For(RefusalReasons.DayOver, "en"));
    }

    [Fact]
    public void Property_before_the_cut_off_on_a_working_day_a_prompt_decision_accepts_a_window_that_starts_after_signing()
    {
        var days = Enumerable.Range(0, 28).Select(i => Wednesday.AddDays(i)).ToArray();
        Gen.Select(Gen.Int[0, days.Length - 1], Gen.Int[0, 24 * 60 - 1]).Sample((dayIndex, minuteOfDay) =>
        {
            var day = days[dayIndex];
            var signed = AstanaTime.ToUtc(day, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(minuteOfDay)));
            var decision = HomeCallRule.Decide(Attached, signed, signed);
            var clock = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(minuteOfDay));
            if (!Week.TryGetValue(day.DayOfWeek, out var hours))
                return Refusal(decision) == RefusalReasons.ClinicClosedToday;
            if (clock >= hours.CutOff)
                return Refusal(decision) == RefusalReasons.AfterCutOff;
            return decision is HomeCallDecision.Accepted a && a.VisitDate == day && a.From >= clock && a.From >= hours.Opens
                   && a.From < a.To && a.To == hours.Closes && a.From.Minute % 15 == 0;
        }, iter: 5_000);
    }

    [Fact]
    public void Every_reason_has_three_distinct_messages_that_say_what_to_do()
    {
        foreach (var code in RefusalReasons.Codes)
        {
            var texts = new[] { "kk", "ru", "en" }.Select(l => RefusalReasons.For(code, l)).ToArray();
            Assert.Equal(3, texts.Distinct().Count());
            Assert.All(texts, t => Assert.Matches("1414|103", t));
            Assert.Matches("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]", texts[0]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => RefusalReasons.For("no-such-reason", "ru"));
    }
}
