using System.Text.Json;
using Json.Schema;
using Kiosk.Core.Feedback;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Feedback;

/// <summary>docs/schemas/feedback-push-v1.schema.json against what the kiosk writes and what Central refuses.</summary>
public class FeedbackSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(Solution.Root, "docs", "schemas", "feedback-push-v1.schema.json"))));

    private static bool Valid(string kind, string payload)
    {
        var body = $$"""{"items":[{"id":"{{Guid.NewGuid():D}}","kind":"{{kind}}","payload":{{payload}}}]}""";
        using var json = JsonDocument.Parse(body);
        return Schema.Value.Evaluate(json.RootElement.Clone()).IsValid;
    }

    [Fact]
    public void Every_payload_the_kiosk_writes_conforms_and_the_catalogue_matches_the_schema()
    {
        var day = new DateOnly(2026, 3, 4);
        foreach (var service in Kiosk.Core.Requests.RequestKinds.All)
        foreach (var rating in SurveyRatings.All)
        {
            Assert.True(Valid(FeedbackKinds.Survey, SurveyAnswer.To(SurveyQuestions.Process, rating, service, 3, day).ToPayload()));
            Assert.True(Valid(FeedbackKinds.Survey, new SurveyAnswer(service, null, day, rating, rating).ToPayload()));
        }
        foreach (var step in StepCatalogue.All)
        foreach (var service in StepTime.Services.Append(null))
            Assert.True(Valid(FeedbackKinds.StepTime, new StepTime(step.Code, service, TimeSpan.FromSeconds(12.5), day).ToPayload()), step.Code);
    }

    [Theory]
    [InlineData("survey", """{"service":"home-call","day":"2026-03-04"}""")]
    [InlineData("survey", """{"service":"home-call","day":"2026-03-04","q1":"fully","iin":"880101300123"}""")]
    [InlineData("survey", """{"service":"home-call","day":"2026-03-04","q1":"fully","requestId":"3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c"}""")]
    [InlineData("step-time", """{"step":"nap","durationMs":1,"day":"2026-03-04"}""")]
    [InlineData("step-time", """{"step":"form","durationMs":0,"day":"2026-03-04"}""")]
    public void What_Central_refuses_the_schema_refuses_too(string kind, string payload) => Assert.False(Valid(kind, payload));
}
