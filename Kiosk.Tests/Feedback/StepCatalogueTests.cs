using System.Text.Json;
using Kiosk.Core.Feedback;

namespace Kiosk.Tests.Feedback;

/// <summary>The steps and the regulation's norms (tables 1 and 2 of appendix 1), and the step-time payload.</summary>
public class StepCatalogueTests
{
    [Theory]
    // Table 1 «Описание действий СФЕ через ПЭП»: actions 1, 3, 5 — 30 сек.–1 мин., 1,5 мин., 30 сек.–1 мин.
    [InlineData(StepCatalogue.SignIn, "kiosk", 1, 1, 30, 60, "30 s – 1 min")]
    [InlineData(StepCatalogue.Form, "kiosk", 1, 3, null, 90, "1.5 min")]
    [InlineData(StepCatalogue.SignAndSend, "kiosk", 1, 5, 30, 60, "30 s – 1 min")]
    // Table 2 «Описание действий СФЕ через услугодателя»: actions 1, 2, 3, 5 — 10–15 сек., 10 сек., 1,5 мин., 10–15 сек.
    [InlineData(StepCatalogue.StaffSignIn, "desk", 2, 1, 10, 15, "10 s – 15 s")]
    [InlineData(StepCatalogue.ServiceChoice, "desk", 2, 2, null, 10, "10 s")]
    [InlineData(StepCatalogue.RegistryLookup, "desk", 2, 3, null, 90, "1.5 min")]
    [InlineData(StepCatalogue.DeskForm, "desk", 2, 5, 10, 15, "10 s – 15 s")]
    [InlineData(StepCatalogue.DeskSigning, "desk", 2, 5, 10, 15, "10 s – 15 s")]
    public void Each_step_carries_the_norm_of_its_action_in_the_regulation(string code, string channel, int table, int action, int? min, int max, string text)
    {
        var step = StepCatalogue.Get(code);
        Assert.Equal((channel, table, action), (step.Channel, step.Table, step.Action));
        Assert.Equal(min is null ? null : TimeSpan.FromSeconds(min.Value), step.Min);
        Assert.Equal(TimeSpan.FromSeconds(max), step.Max);
        Assert.Equal(text, step.NormText);
        Assert.False(step.IsOver(step.Max));
        Assert.True(step.IsOver(step.Max + TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void The_catalogue_has_the_three_kiosk_steps_of_table_1_and_the_desk_steps_of_table_2_with_unique_codes()
    {
        Assert.Equal(StepCatalogue.All.Count, StepCatalogue.All.Select(s => s.Code).Distinct().Count());
        Assert.Equal([StepCatalogue.SignIn, StepCatalogue.Form, StepCatalogue.SignAndSend],
            StepCatalogue.All.Where(s => s.Table == 1).Select(s => s.Code));
        Assert.All(StepCatalogue.All, s => Assert.Equal(s.Table == 1 ? StepChannels.Kiosk : StepChannels.Desk, s.Channel));
        Assert.Null(StepCatalogue.Find("lunch-break"));
        Assert.Null(StepCatalogue.Find(null));
    }

    [Theory]
    [InlineData(4_200, "4.2 s")]
    [InlineData(42_000, "42 s")]
    [InlineData(60_000, "1 min")]
    [InlineData(90_000, "1.5 min")]
    [InlineData(125_000, "2 min 5 s")]
    public void Durations_read_as_the_regulation_writes_them(long ms, string text) =>
        Assert.Equal(text, Durations.Text(TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void A_step_time_payload_holds_the_step_service_duration_and_day_only_and_reads_back_strictly()
    {
        var time = new StepTime(StepCatalogue.Form, "home-call", TimeSpan.FromMilliseconds(83_456.4), new DateOnly(2026, 3, 4));
        var payload = time.ToPayload();
        Assert.Equal("""{"step":"form","service":"home-call","durationMs":83456,"day":"2026-03-04"}""", payload);
        using var json = JsonDocument.Parse(payload);
        var back = StepTime.FromPayload(json.RootElement);
        Assert.Equal((time.Step, time.Service, time.DurationMs, time.Day, "kiosk"), (back.Step, back.Service, back.DurationMs, back.Day, back.Channel));

        // The staff's sign-in is before any service: no service member at all.
        Assert.Equal("""{"step":"staff-sign-in","durationMs":12000,"day":"2026-03-04"}""",
            new StepTime(StepCatalogue.StaffSignIn, null, TimeSpan.FromSeconds(12), new DateOnly(2026, 3, 4)).ToPayload());
    }

    [Theory]
    [InlineData("""{"step":"nap","durationMs":1000,"day":"2026-03-04"}""", "step")]
    [InlineData("""{"step":"form","service":"lottery","durationMs":1000,"day":"2026-03-04"}""", "service")]
    [InlineData("""{"step":"form","durationMs":0,"day":"2026-03-04"}""", "durationMs")]
    [InlineData("""{"step":"form","durationMs":3600001,"day":"2026-03-04"}""", "durationMs")]
    [InlineData("""{"step":"form","durationMs":1000.5,"day":"2026-03-04"}""", "durationMs")]
    [InlineData("""{"step":"form","durationMs":"1000","day":"2026-03-04"}""", "durationMs")]
    [InlineData("""{"step":"form","durationMs":1000,"day":"04.03.2026"}""", "day")]
    [InlineData("""{"step":"form","durationMs":1000,"day":"2026-03-04","iin":"880101300123"}""", "iin")]
    [InlineData("""{"step":"form","step":"form","durationMs":1000,"day":"2026-03-04"}""", "step")]
    [InlineData("""{"step":"form","service":null,"durationMs":1000,"day":"2026-03-04"}""", "service")]
    [InlineData("""["form"]""", "object")]
    public void A_step_time_payload_that_is_not_exactly_right_is_refused_naming_the_member(string payload, string named)
    {
        using var json = JsonDocument.Parse(payload);
        var e = Assert.Throws<FeedbackFormatException>(() => StepTime.FromPayload(json.RootElement));
        Assert.Contains(named, e.Message);
    }
}
