namespace Kiosk.Core.Feedback;

/// <summary>How many answered a question with each of the three answers.</summary>
public sealed record RatingCounts(long Not, long Partly, long Fully)
{
    public static RatingCounts None { get; } = new(0, 0, 0);

    public long Total => Not + Partly + Fully;

    public long Of(string rating) => rating switch
    {
        SurveyRatings.Not => Not,
        SurveyRatings.Partly => Partly,
        SurveyRatings.Fully => Fully,
        _ => throw new ArgumentOutOfRangeException(nameof(rating), rating, null),
    };

    /// <summary>The share of one answer among the question's answers (0 … 1), null when nobody answered.</summary>
    public double? ShareOf(string rating) => Total == 0 ? null : (double)Of(rating) / Total;

    public RatingCounts Add(string rating, long count) => rating switch
    {
        SurveyRatings.Not => this with { Not = Not + count },
        SurveyRatings.Partly => this with { Partly = Partly + count },
        SurveyRatings.Fully => this with { Fully = Fully + count },
        _ => throw new ArgumentOutOfRangeException(nameof(rating), rating, null),
    };
}

/// <summary>
/// The survey's figures for one service, clinic and month (Astana calendar): the counts per answer of each question.
/// Each question is counted on its own (an answer may hold one question or both).
/// </summary>
/// <param name="ClinicId">Null: answers whose clinic the kiosk could not tell.</param>
/// <param name="Month"><c>yyyy-MM</c>.</param>
public sealed record SurveyGroup(string Service, long? ClinicId, string Month, RatingCounts Process, RatingCounts Information)
{
    public RatingCounts Of(string question) => question switch
    {
        SurveyQuestions.Process => Process,
        SurveyQuestions.Information => Information,
        _ => throw new ArgumentOutOfRangeException(nameof(question), question, null),
    };
}
