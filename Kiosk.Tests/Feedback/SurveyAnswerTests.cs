using System.Text.Json;
using Kiosk.Core.Feedback;

namespace Kiosk.Tests.Feedback;

/// <summary>The survey answer of appendix 3 and its payload: anonymous by construction, read back strictly.</summary>
public class SurveyAnswerTests
{
    private static readonly DateOnly Day = new(2026, 3, 4);

    [Fact]
    public void The_questions_and_answers_are_the_regulations_own()
    {
        Assert.Equal(["q1", "q2"], SurveyQuestions.All);
        Assert.Equal("Удовлетворены ли Вы качеством процесса и результатом оказания электронной государственной услуги?",
            SurveyQuestions.RegulationText(SurveyQuestions.Process));
        Assert.Equal("Удовлетворены ли Вы качеством информации о порядке оказания электронной государственной услуги?",
            SurveyQuestions.RegulationText(SurveyQuestions.Information));
        Assert.Equal(["не удовлетворен", "частично удовлетворен", "удовлетворен"], SurveyRatings.All.Select(SurveyRatings.RegulationText));
    }

    [Fact]
    public void The_payload_holds_service_clinic_day_and_the_answers_and_nothing_that_names_a_person_or_a_request()
    {
        var answer = new SurveyAnswer("home-call", 12, Day, SurveyRatings.Fully, SurveyRatings.Partly);
        var payload = answer.ToPayload();
        Assert.Equal("""{"service":"home-call","clinicId":12,"day":"2026-03-04","q1":"fully","q2":"partly"}""", payload);
        using var json = JsonDocument.Parse(payload);
        Assert.Equal(["service", "clinicId", "day", "q1", "q2"], json.RootElement.EnumerateObject().Select(p => p.Name));

        // The record itself has no member that could hold an IIN, a name, a request or kiosk id, or a time of day.
        var members = typeof(SurveyAnswer).GetProperties().Select(p => p.Name).ToHashSet();
        Assert.Equal(new HashSet<string> { "Service", "ClinicId", "Day", "Process", "Information" }, members);

        // One tap: one question; an unknown clinic is left out.
        Assert.Equal("""{"service":"attachment","day":"2026-03-04","q2":"not"}""",
            SurveyAnswer.To(SurveyQuestions.Information, SurveyRatings.Not, "attachment", null, Day).ToPayload());
    }

    [Fact]
    public void A_payload_reads_back_to_the_same_answer()
    {
        foreach (var answer in new[]
                 {
                     new SurveyAnswer("appointment", 3, Day, SurveyRatings.Not, null),
                     new SurveyAnswer("attachment", null, Day, null, SurveyRatings.Fully),
                     new SurveyAnswer("home-call", 1, Day, SurveyRatings.Partly, SurveyRatings.Partly),
                 })
        {
            using var json = JsonDocument.Parse(answer.ToPayload());
            Assert.Equal(answer, SurveyAnswer.FromPayload(json.RootElement));
        }
    }

    [Theory]
    [InlineData("""{"service":"home-call","day":"2026-03-04"}""", "at least one")]
    [InlineData("""{"service":"home-call","day":"2026-03-04","q1":"very"}""", "q1")]
    [InlineData("""{"service":"home-call","day":"2026-03-04","q3":"fully"}""", "q3")]
    [InlineData("""{"service":"pizza","day":"2026-03-04","q1":"fully"}""", "service")]
    [InlineData("""{"service":"home-call","clinicId":0,"day":"2026-03-04","q1":"fully"}""", "clinicId")]
    [InlineData("""{"service":"home-call","clinicId":"12","day":"2026-03-04","q1":"fully"}""", "clinicId")]
    [InlineData("""{"service":"home-call","clinicId":12.0,"day":"2026-03-04","q1":"fully"}""", "clinicId")]
    [InlineData("""{"service":"home-call","day":"2026-02-30","q1":"fully"}""", "day")]
    [InlineData("""{"day":"2026-03-04","q1":"fully"}""", "service")]
    [InlineData("""{"service":"home-call","day":"2026-03-04","q1":"fully","requestId":"3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c"}""", "requestId")]
    [InlineData("""{"service":"home-call","day":"2026-03-04","q1":"fully","iin":"880101300123"}""", "iin")]
    [InlineData("""{"service":"home-call","day":"2026-03-04","q1":null}""", "q1")]
    public void A_payload_with_anything_more_less_or_else_is_refused(string payload, string named)
    {
        using var json = JsonDocument.Parse(payload);
        var e = Assert.Throws<FeedbackFormatException>(() => SurveyAnswer.FromPayload(json.RootElement));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void The_tallies_count_each_question_on_its_own()
    {
        var counts = RatingCounts.None.Add(SurveyRatings.Fully, 3).Add(SurveyRatings.Not, 1);
        Assert.Equal((4L, 0.75), (counts.Total, counts.ShareOf(SurveyRatings.Fully)!.Value));
        Assert.Null(RatingCounts.None.ShareOf(SurveyRatings.Partly));
    }
}
