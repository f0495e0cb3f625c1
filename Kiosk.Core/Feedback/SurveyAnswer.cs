using System.Text.Json;
using Kiosk.Core.Requests;

namespace Kiosk.Core.Feedback;

/// <summary>
/// The two questions of the quality survey, word for word from the regulation's appendix 3 («Форма анкеты для определения
/// показателей электронной государственной услуги: «качество» и «доступность»»), the same for the three services.
/// </summary>
public static class SurveyQuestions
{
    /// <summary>1. «Удовлетворены ли Вы качеством процесса и результатом оказания электронной государственной услуги?»</summary>
    public const string Process = "q1";

    /// <summary>2. «Удовлетворены ли Вы качеством информации о порядке оказания электронной государственной услуги?»</summary>
    public const string Information = "q2";

    public static IReadOnlyList<string> All { get; } = [Process, Information];

    public static bool IsKnown(string? code) => code is Process or Information;

    /// <summary>The regulation's own words (Russian), for documents and exports.</summary>
    public static string RegulationText(string code) => code switch
    {
        Process => "Удовлетворены ли Вы качеством процесса и результатом оказания электронной государственной услуги?",
        Information => "Удовлетворены ли Вы качеством информации о порядке оказания электронной государственной услуги?",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    /// <summary>A short English label for Central's charts.</summary>
    public static string EnglishLabel(string code) => code switch
    {
        Process => "Q1 quality of the process and the result",
        Information => "Q2 quality of the information about the procedure",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}

/// <summary>The three answers of appendix 3, in its order: 1) не удовлетворен; 2) частично удовлетворен; 3) удовлетворен.</summary>
public static class SurveyRatings
{
    public const string Not = "not";
    public const string Partly = "partly";
    public const string Fully = "fully";

    public static IReadOnlyList<string> All { get; } = [Not, Partly, Fully];

    public static bool IsKnown(string? code) => code is Not or Partly or Fully;

    /// <summary>The regulation's own words (Russian).</summary>
    public static string RegulationText(string code) => code switch
    {
        Not => "не удовлетворен",
        Partly => "частично удовлетворен",
        Fully => "удовлетворен",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    /// <summary>English words for Central's charts.</summary>
    public static string EnglishLabel(string code) => code switch
    {
        Not => "not satisfied",
        Partly => "partly satisfied",
        Fully => "satisfied",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}

/// <summary>
/// One anonymous answer to the quality survey (issue 12 item 5; regulation appendix 3): the service, the clinic that
/// provided it, the Astana day of the answer, and the answer to one question or both (each <see cref="SurveyRatings"/>
/// or null when not answered). There is deliberately no place for an IIN, a name, a request id, a kiosk id or a time of
/// day: what is not in the record cannot leak from it. Every value is checked when the record is made.
/// </summary>
public sealed record SurveyAnswer
{
    private static readonly string[] Members = ["service", "clinicId", "day", SurveyQuestions.Process, SurveyQuestions.Information];

    /// <param name="service">One of <see cref="RequestKinds"/>.</param>
    /// <param name="clinicId">Central's clinic id, ≥ 1, or null when the kiosk does not know which clinic decided.</param>
    /// <param name="day">The Astana day of the answer.</param>
    /// <param name="process">Question 1, or null.</param>
    /// <param name="information">Question 2, or null.</param>
    public SurveyAnswer(string service, long? clinicId, DateOnly day, string? process, string? information)
    {
        if (!RequestKinds.All.Contains(service)) throw new ArgumentException($"service is not one of {string.Join(", ", RequestKinds.All)}", nameof(service));
        if (clinicId is < 1) throw new ArgumentException("clinicId must be 1 or more", nameof(clinicId));
        if (process is not null && !SurveyRatings.IsKnown(process)) throw new ArgumentException("q1 is not not, partly or fully", nameof(process));
        if (information is not null && !SurveyRatings.IsKnown(information)) throw new ArgumentException("q2 is not not, partly or fully", nameof(information));
        if (process is null && information is null) throw new ArgumentException("an answer needs at least one question answered", nameof(process));
        Service = service;
        ClinicId = clinicId;
        Day = day;
        Process = process;
        Information = information;
    }

    /// <summary>An answer to one question only (what one tap at the kiosk records).</summary>
    public static SurveyAnswer To(string question, string rating, string service, long? clinicId, DateOnly day) => question switch
    {
        SurveyQuestions.Process => new SurveyAnswer(service, clinicId, day, rating, null),
        SurveyQuestions.Information => new SurveyAnswer(service, clinicId, day, null, rating),
        _ => throw new ArgumentException("question is not q1 or q2", nameof(question)),
    };

    public string Service { get; }
    public long? ClinicId { get; }
    public DateOnly Day { get; }

    /// <summary>Question 1 (process and result), or null.</summary>
    public string? Process { get; }

    /// <summary>Question 2 (information about the procedure), or null.</summary>
    public string? Information { get; }

    /// <summary>The answer to a question by its code, or null.</summary>
    public string? RatingOf(string question) => question switch
    {
        SurveyQuestions.Process => Process,
        SurveyQuestions.Information => Information,
        _ => null,
    };

    /// <summary>
    /// The payload of a <see cref="FeedbackKinds.Survey"/> item: <c>{"service","clinicId","day","q1","q2"}</c>, an unknown
    /// clinic and an unanswered question left out (docs/schemas/feedback-push-v1.schema.json).
    /// </summary>
    public string ToPayload() => FeedbackJson.Write(w =>
    {
        w.WriteString("service", Service);
        if (ClinicId is { } clinic) w.WriteNumber("clinicId", clinic);
        w.WriteString("day", FeedbackJson.DayText(Day));
        if (Process is not null) w.WriteString(SurveyQuestions.Process, Process);
        if (Information is not null) w.WriteString(SurveyQuestions.Information, Information);
    });

    /// <summary>Reads a payload strictly; <see cref="FeedbackFormatException"/> names what is wrong.</summary>
    public static SurveyAnswer FromPayload(JsonElement payload)
    {
        var m = FeedbackJson.Members(payload, Members);
        try
        {
            return new SurveyAnswer(FeedbackJson.String(m, "service"), FeedbackJson.OptionalInteger(m, "clinicId"), FeedbackJson.Day(m, "day"),
                FeedbackJson.OptionalString(m, SurveyQuestions.Process), FeedbackJson.OptionalString(m, SurveyQuestions.Information));
        }
        catch (ArgumentException e)
        {
            throw new FeedbackFormatException(e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    /// <summary>Nothing but codes and a day: safe to log, though nobody needs to.</summary>
    public override string ToString() => $"SurveyAnswer {{ {Service}, clinic {ClinicId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, {FeedbackJson.DayText(Day)} }}";
}
