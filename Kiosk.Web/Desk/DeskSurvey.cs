using Kiosk.Core.Feedback;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Node.Feedback;
using Kiosk.Web.Pages.Status;

namespace Kiosk.Web.Desk;

/// <summary>
/// The quality survey of appendix 3 after a result at the desk (issue 12 item 5; docs/survey-and-step-times.md §1):
/// once Central decided the case's request, the result page offers the same two questions with the same three answers,
/// one tap each, skippable; the registrar reads them to the citizen (or turns the screen) and taps the citizen's
/// answers. Stored as at the kiosk (<see cref="SurveyAnswers"/>): the service, the desk's clinic, the Astana day and
/// the one answer — nothing of the citizen, the registrar or the request; the node only remembers, apart from the
/// answer, that the question was answered about this request, so it is not asked twice.
/// </summary>
public sealed partial class DeskSurvey(SurveyAnswers answers, TimeProvider time, ILogger<DeskSurvey> logger)
{
    public const string LeadKey = "Desk.Survey.Lead";

    /// <summary>The survey about the case's request once it is decided, or null (not decided yet, or skipped).</summary>
    public SurveyOffer? Offer(DeskCase desk, RequestStatusItem item, bool problem = false)
    {
        if (!Decided(item)) return null;
        var progress = answers.ProgressOf(desk.RequestId);
        if (progress.Skipped) return null;
        return new SurveyOffer(desk.RequestId, item.Kind, progress, ThankYou: progress.Finished, problem, LeadKey);
    }

    /// <summary>One tap: the citizen's <paramref name="rating"/> for <paramref name="question"/> about the case's decided request.</summary>
    public SurveyTap Answer(DeskCase desk, RequestStatusItem item, long? clinicId, Guid requestId, string? question, string? rating)
    {
        if (requestId != desk.RequestId || !Decided(item))
        {
            LogRefused("not-offered");
            return SurveyTap.Refused;
        }
        if (!SurveyQuestions.IsKnown(question) || !SurveyRatings.IsKnown(rating))
        {
            LogRefused("bad-answer");
            return SurveyTap.Refused;
        }
        var answer = SurveyAnswer.To(question!, rating!, item.Kind, clinicId, AstanaTime.Today(time));
        if (answers.AnswerFor(requestId, question!, answer) == SurveyRecordOutcome.Recorded) LogRecorded(question!);
        else LogRefused("already-answered"); // a double tap: the first answer stands
        return SurveyTap.Recorded;
    }

    /// <summary>"Skip the survey": not asked again about this request.</summary>
    public void Skip(DeskCase desk, Guid requestId)
    {
        if (requestId != desk.RequestId) return;
        answers.Skip(requestId);
        LogSkipped();
    }

    private static bool Decided(RequestStatusItem item) => item.Status is RequestStatus.Accepted or RequestStatus.Refused;

    [LoggerMessage(LogLevel.Information, "Desk survey answer recorded for question {Question}")]
    private partial void LogRecorded(string question);

    [LoggerMessage(LogLevel.Information, "Desk survey answer not recorded: {Problem}")]
    private partial void LogRefused(string problem);

    [LoggerMessage(LogLevel.Information, "Desk survey skipped")]
    private partial void LogSkipped();
}
