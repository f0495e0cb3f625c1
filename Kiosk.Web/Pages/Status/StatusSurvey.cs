using Kiosk.Core.Feedback;
using Kiosk.Core.Requests;
using Kiosk.Core.Slips;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Node.Feedback;
using Kiosk.Node.Slips;
using Kiosk.Web.SignIn;

namespace Kiosk.Web.Pages.Status;

/// <summary>The survey as the status screen shows it: about which request, what is answered, and whether to say thank you.</summary>
/// <param name="Problem">True when the last tap could not be recorded (the page then says so).</param>
/// <param name="LeadKey">The resource key of the lead under the title (the desk says who answers).</param>
public sealed record SurveyOffer(Guid RequestId, string Kind, SurveyProgress Progress, bool ThankYou, bool Problem = false,
    string LeadKey = "Survey.Lead");

/// <summary>Which request this signed-in session's survey is about, and whether it is over (in memory, with the session).</summary>
public sealed record SurveySession(Guid RequestId, bool Closed, bool Skipped);

public enum SurveyTap { Recorded, Refused }

/// <summary>
/// The quality survey on "check my request" (issue 12 item 5; regulation appendix 3; docs/survey-and-step-times.md):
/// once one of the signed-in citizen's requests has a decision (accepted or refused) and was never surveyed, the
/// screen offers the two questions about it, each with its three answers, one tap each, and "skip". One survey per
/// signed-in session: the newest decided request not surveyed yet. A tap stores the answer at once
/// (<see cref="SurveyAnswers"/>): the service, the clinic that decided (from the provider's signed slip, else the
/// request's own clinic), today's Astana day and that one answer — nothing of the citizen or the request. The kiosk
/// remembers, apart from the answer, that the question was answered about this request, so it is not asked again.
/// </summary>
public sealed partial class StatusSurvey(SurveyAnswers answers, SlipStore slips, SignedRequestStore requests, TimeProvider time,
    ILogger<StatusSurvey> logger)
{
    /// <summary>What to show for the citizen's requests (their own, as the screen lists them), or null: no survey now.</summary>
    public SurveyOffer? Offer(HttpContext http, IReadOnlyList<RequestStatusItem> items, bool problem = false)
    {
        var state = http.GetCitizenItem<SurveySession>();
        if (state is not null)
        {
            if (state.Skipped || items.FirstOrDefault(i => i.RequestId == state.RequestId) is not { } item) return null;
            return new SurveyOffer(item.RequestId, item.Kind, answers.ProgressOf(item.RequestId), state.Closed, problem);
        }
        var decided = items.Where(Decided).ToList();
        if (decided.Count == 0) return null;
        var progress = answers.ProgressOf(decided.Select(i => i.RequestId).ToList());
        // The list is newest first.
        var open = decided.FirstOrDefault(i => !(progress.GetValueOrDefault(i.RequestId) ?? SurveyProgress.None).Finished);
        if (open is null) return null;
        http.SetCitizenItem(new SurveySession(open.RequestId, false, false));
        return new SurveyOffer(open.RequestId, open.Kind, progress.GetValueOrDefault(open.RequestId) ?? SurveyProgress.None, false);
    }

    /// <summary>One tap: records <paramref name="rating"/> for <paramref name="question"/> about the request the survey offered.</summary>
    public SurveyTap Answer(HttpContext http, IReadOnlyList<RequestStatusItem> items, Guid requestId, string? question, string? rating)
    {
        var state = http.GetCitizenItem<SurveySession>();
        if (state is null || state.Closed || state.RequestId != requestId
            || items.FirstOrDefault(i => i.RequestId == requestId && Decided(i)) is not { } item)
        {
            LogRefused("not-offered");
            return SurveyTap.Refused;
        }
        if (!SurveyQuestions.IsKnown(question) || !SurveyRatings.IsKnown(rating))
        {
            LogRefused("bad-answer");
            return SurveyTap.Refused;
        }
        var answer = SurveyAnswer.To(question!, rating!, item.Kind, ClinicOf(item), AstanaTime.Today(time));
        if (answers.AnswerFor(requestId, question!, answer) != SurveyRecordOutcome.Recorded)
        {
            // A second tap on the same question (a double tap, the back button): the first answer stands.
            LogRefused("already-answered");
        }
        else
        {
            LogRecorded(question!);
        }
        if (answers.ProgressOf(requestId).Finished) http.SetCitizenItem(state with { Closed = true });
        return SurveyTap.Recorded;
    }

    /// <summary>"Skip the survey": not asked again about this request.</summary>
    public void Skip(HttpContext http, Guid requestId)
    {
        var state = http.GetCitizenItem<SurveySession>();
        if (state is null || state.RequestId != requestId) return;
        answers.Skip(requestId);
        http.SetCitizenItem(state with { Closed = true, Skipped = true });
        LogSkipped();
    }

    private static bool Decided(RequestStatusItem item) => item.Status is RequestStatus.Accepted or RequestStatus.Refused;

    /// <summary>The clinic that provided the service: the one on the provider's signed slip of the decision, else the request's own.</summary>
    private long? ClinicOf(RequestStatusItem item)
    {
        foreach (var kind in new[] { SlipKinds.Result, SlipKinds.Refusal })
            if (slips.Find(item.RequestId, kind) is { } slip && SlipToken.ReadTrusted(slip.Token)?.ClinicId is { } clinic and > 0)
                return clinic;
        try
        {
            return requests.Get(item.RequestId)?.Document.Details switch
            {
                AppointmentDetails a => a.ClinicId,
                AppointmentCancellationDetails c => c.ClinicId,
                AttachmentDetails a => a.ClinicId,
                _ => null,
            };
        }
        catch (Exception e) when (e is RequestDocumentFormatException or ArgumentException or FormatException)
        {
            return null; // the survey does not need it; the answer goes with "clinic not known"
        }
    }

    [LoggerMessage(LogLevel.Information, "Survey answer recorded for question {Question}")]
    private partial void LogRecorded(string question);

    [LoggerMessage(LogLevel.Information, "Survey answer not recorded: {Problem}")]
    private partial void LogRefused(string problem);

    [LoggerMessage(LogLevel.Information, "Survey skipped")]
    private partial void LogSkipped();
}
