using System.Security.Cryptography;
using Dapper;
using Kiosk.Core.Feedback;
using Kiosk.Storage;
using Microsoft.Extensions.Options;

namespace Kiosk.Node.Feedback;

/// <summary>Configuration section <c>Feedback</c> of the kiosk node.</summary>
public sealed class FeedbackOptions
{
    public const string Section = "Feedback";

    /// <summary>
    /// A survey answer waits a random time between 0 and this before the sync worker may push it (default 30 minutes),
    /// so that the moment it reaches Central says nothing about which citizen's visit it followed. 0: push at once.
    /// </summary>
    public TimeSpan SurveySendDelayMax { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>What the kiosk remembers of the survey offered about one decided request: flags only, never the answers.</summary>
public sealed record SurveyProgress(bool Q1Answered, bool Q2Answered, bool Skipped)
{
    public static SurveyProgress None { get; } = new(false, false, false);

    /// <summary>Nothing more to ask about this request.</summary>
    public bool Finished => Skipped || (Q1Answered && Q2Answered);

    public bool Answered(string question) => question switch
    {
        SurveyQuestions.Process => Q1Answered,
        SurveyQuestions.Information => Q2Answered,
        _ => false,
    };
}

public enum SurveyRecordOutcome
{
    /// <summary>The answer is queued for Central and the question marked answered.</summary>
    Recorded,

    /// <summary>That question was answered before, or the survey was skipped: nothing stored.</summary>
    AlreadyClosed,
}

/// <summary>
/// The survey's answers at the kiosk (issue 12 item 5; docs/survey-and-step-times.md): an answer goes into the feedback
/// outbox as an anonymous <see cref="FeedbackKinds.Survey"/> item; separately, a flag in <c>surveyed_requests</c> says
/// that the question was answered for that request (or the survey skipped), so the citizen is not asked again. The two
/// are written in one transaction (an answer is never queued without its flag, nor flagged without being queued), but
/// nothing links them: the item has a random id and no time, the flag has no answer and no time.
/// </summary>
public sealed class SurveyAnswers
{
    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;
    private readonly IOptions<FeedbackOptions> _options;

    public SurveyAnswers(SqliteDatabase db, TimeProvider time, IOptions<FeedbackOptions> options)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        _time = time;
        _options = options;
        DapperTypeHandlers.Register();
    }

    /// <summary>The progress of each request that has any (requests never offered are absent).</summary>
    public IReadOnlyDictionary<Guid, SurveyProgress> ProgressOf(IReadOnlyCollection<Guid> requestIds)
    {
        if (requestIds.Count == 0) return new Dictionary<Guid, SurveyProgress>();
        using var connection = _db.Open();
        return connection.Query<(string RequestId, long Q1, long Q2, long Skipped)>(
                "SELECT request_id, q1_answered, q2_answered, skipped FROM surveyed_requests WHERE request_id IN @ids",
                new { ids = requestIds.Select(id => id.ToString("D")).ToList() })
            .ToDictionary(r => Guid.Parse(r.RequestId), r => new SurveyProgress(r.Q1 == 1, r.Q2 == 1, r.Skipped == 1));
    }

    public SurveyProgress ProgressOf(Guid requestId) => ProgressOf([requestId]).GetValueOrDefault(requestId) ?? SurveyProgress.None;

    /// <summary>
    /// One tap: queues <paramref name="answer"/> (one question answered) and marks that question answered for
    /// <paramref name="requestId"/>, in one transaction; nothing when it was answered before or the survey skipped.
    /// </summary>
    public SurveyRecordOutcome AnswerFor(Guid requestId, string question, SurveyAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!SurveyQuestions.IsKnown(question) || answer.RatingOf(question) is null)
            throw new ArgumentException("The answer must answer the question it is recorded for.", nameof(answer));
        var column = question == SurveyQuestions.Process ? "q1_answered" : "q2_answered";
        using var connection = _db.Open();
        using var transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE: two taps at once record one answer
        var id = requestId.ToString("D");
        var progress = connection.QuerySingleOrDefault<(long Q1, long Q2, long Skipped)?>(
            "SELECT q1_answered, q2_answered, skipped FROM surveyed_requests WHERE request_id = @id", new { id }, transaction);
        if (progress is { } p && (p.Skipped == 1 || (question == SurveyQuestions.Process ? p.Q1 : p.Q2) == 1))
            return SurveyRecordOutcome.AlreadyClosed;
        connection.Execute($"""
            INSERT INTO surveyed_requests (request_id, {column}) VALUES (@id, 1)
            ON CONFLICT (request_id) DO UPDATE SET {column} = 1
            """, new { id }, transaction);
        FeedbackOutbox.Enqueue(FeedbackKinds.Survey, answer.ToPayload(), DueAt(), connection, transaction);
        transaction.Commit();
        return SurveyRecordOutcome.Recorded;
    }

    /// <summary>"Skip": the survey about this request is closed without (further) answers; false when it was closed already.</summary>
    public bool Skip(Guid requestId)
    {
        using var connection = _db.Open();
        return connection.Execute("""
            INSERT INTO surveyed_requests (request_id, skipped) VALUES (@id, 1)
            ON CONFLICT (request_id) DO UPDATE SET skipped = 1 WHERE skipped = 0
            """, new { id = requestId.ToString("D") }) == 1;
    }

    /// <summary>
    /// An answer with no request to remember it by (the registrar's desk asks the citizen in front of it once): queued
    /// as it is. Returns the item id only for tests; the caller has no use for it.
    /// </summary>
    public Guid Record(SurveyAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        using var connection = _db.Open();
        return FeedbackOutbox.Enqueue(FeedbackKinds.Survey, answer.ToPayload(), DueAt(), connection, null);
    }

    /// <summary>Now plus a uniformly random part of <see cref="FeedbackOptions.SurveySendDelayMax"/>.</summary>
    private DateTimeOffset DueAt()
    {
        var max = _options.Value.SurveySendDelayMax;
        var now = _time.GetUtcNow();
        if (max <= TimeSpan.Zero) return now;
        var seconds = RandomNumberGenerator.GetInt32(0, (int)Math.Min(int.MaxValue, Math.Max(1, max.TotalSeconds)) + 1);
        return now + TimeSpan.FromSeconds(seconds);
    }
}
