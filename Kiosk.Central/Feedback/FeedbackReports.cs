using System.Globalization;
using Dapper;
using Kiosk.Core.Charts;
using Kiosk.Core.Feedback;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Storage;

namespace Kiosk.Central.Feedback;

/// <summary>A period of Astana days, both ends included.</summary>
public sealed record DayRange(DateOnly From, DateOnly To)
{
    /// <summary>The longest period a report covers.</summary>
    public const int MaxDays = 1100;

    public string FromText => From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public string ToText => To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"2026-01-01 to 2026-03-31".</summary>
    public override string ToString() => $"{FromText} to {ToText}";

    /// <summary>
    /// The period of a query: <c>from</c> and <c>to</c> as <c>yyyy-MM-dd</c>; by default the twelve calendar months up to
    /// today (Astana), i.e. from the first day of the month eleven months back. Null with a message when they are wrong.
    /// </summary>
    public static (DayRange? Range, string? Problem) Parse(string? from, string? to, TimeProvider time)
    {
        var today = AstanaTime.Today(time);
        var end = today;
        if (!string.IsNullOrEmpty(to) && !DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out end))
            return (null, "to must be yyyy-MM-dd.");
        var start = new DateOnly(end.Year, end.Month, 1).AddMonths(-11);
        if (!string.IsNullOrEmpty(from) && !DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out start))
            return (null, "from must be yyyy-MM-dd.");
        if (start > end) return (null, "from must not be after to.");
        if (end.DayNumber - start.DayNumber + 1 > MaxDays) return (null, $"A report covers at most {MaxDays} days.");
        return (new DayRange(start, end), null);
    }
}

/// <summary>A clinic's names in the three languages (Central's reference data).</summary>
public sealed record ClinicNames(string Ru, string Kk, string En);

/// <summary>One group of the survey report: the figures and the clinic's names (null when the clinic is not known).</summary>
public sealed record SurveyReportGroup(SurveyGroup Figures, ClinicNames? Clinic);

public sealed record SurveyReport(DayRange Range, IReadOnlyList<SurveyReportGroup> Groups);

/// <summary>One kiosk's figures of a step; <paramref name="Name"/> is the kiosk's name in the register, if it has one.</summary>
public sealed record KioskStepFigures(string KioskId, string? Name, StepSummary Summary);

/// <summary>One step of the report: its norm, the whole fleet's figures and each kiosk's.</summary>
public sealed record StepReportRow(StepNorm Norm, StepSummary Fleet, IReadOnlyList<KioskStepFigures> Kiosks);

public sealed record StepTimeReport(DayRange Range, IReadOnlyList<StepReportRow> Steps);

/// <summary>
/// The operators' figures of the survey and of the step times (issue 12 items 5–6; docs/survey-and-step-times.md
/// "Aggregation"), for Central's JSON, CSV and chart endpoints and for its pages to call directly: the survey per
/// service, clinic and Astana month, each question counted on its own; each step's median, 90th percentile (nearest
/// rank, <see cref="StepStatistics"/>) and share over the norm, for the fleet and per kiosk. Plain parameterised SQL.
/// </summary>
public sealed class FeedbackReports(SqliteDatabase db)
{
    /// <summary>The English names of the services for the charts.</summary>
    public static string ServiceName(string service) => service switch
    {
        RequestKinds.HomeCall => "Home doctor call",
        RequestKinds.Appointment => "Doctor appointment",
        RequestKinds.Attachment => "Attachment to a clinic",
        "status" => "Check my request",
        _ => service,
    };

    /// <summary>The survey's groups in the period (optionally one service, one clinic), by month, service and clinic.</summary>
    public SurveyReport Survey(DayRange range, string? service = null, long? clinicId = null)
    {
        using var c = db.Open();
        var rows = c.Query<(string Service, long? ClinicId, string Month, string Question, string Rating, long Count)>("""
            SELECT service, clinic_id, substr(day, 1, 7) AS month, 'q1' AS question, q1 AS rating, count(*) AS n
            FROM survey_answers
            WHERE day BETWEEN @from AND @to AND q1 IS NOT NULL
              AND (@service IS NULL OR service = @service) AND (@clinicId IS NULL OR clinic_id = @clinicId)
            GROUP BY service, clinic_id, month, q1
            UNION ALL
            SELECT service, clinic_id, substr(day, 1, 7) AS month, 'q2' AS question, q2 AS rating, count(*) AS n
            FROM survey_answers
            WHERE day BETWEEN @from AND @to AND q2 IS NOT NULL
              AND (@service IS NULL OR service = @service) AND (@clinicId IS NULL OR clinic_id = @clinicId)
            GROUP BY service, clinic_id, month, q2
            """, new { from = range.FromText, to = range.ToText, service, clinicId }).ToList();
        var names = c.Query<(long Id, string Ru, string Kk, string En)>("SELECT id, name_ru, name_kk, name_en FROM clinics")
            .ToDictionary(r => r.Id, r => new ClinicNames(r.Ru, r.Kk, r.En));
        var order = RequestKinds.All.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
        var groups = rows
            .GroupBy(r => (r.Service, r.ClinicId, r.Month))
            .Select(g =>
            {
                RatingCounts Counts(string question) => g.Where(r => r.Question == question)
                    .Aggregate(RatingCounts.None, (counts, r) => counts.Add(r.Rating, r.Count));
                return new SurveyReportGroup(
                    new SurveyGroup(g.Key.Service, g.Key.ClinicId, g.Key.Month, Counts(SurveyQuestions.Process), Counts(SurveyQuestions.Information)),
                    g.Key.ClinicId is { } id ? names.GetValueOrDefault(id) : null);
            })
            .OrderBy(g => g.Figures.Month, StringComparer.Ordinal)
            .ThenBy(g => order.GetValueOrDefault(g.Figures.Service, int.MaxValue))
            .ThenBy(g => g.Figures.ClinicId ?? long.MaxValue)
            .ToList();
        return new SurveyReport(range, groups);
    }

    /// <summary>
    /// Every step of the catalogue (optionally only <paramref name="kioskId"/>'s measurements) with its norm, the
    /// fleet's figures and each kiosk's, kiosks by id.
    /// </summary>
    public StepTimeReport StepTimes(DayRange range, string? kioskId = null)
    {
        using var c = db.Open();
        var kioskNames = c.Query<(string Id, string Name)>("SELECT kiosk_id, name FROM kiosks").ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal);
        var byStep = StepCatalogue.All.ToDictionary(s => s.Code, _ => (Fleet: new List<long>(), Kiosks: new SortedDictionary<string, List<long>>(StringComparer.Ordinal)));
        // Streamed: only the durations themselves are held, one list per step and kiosk.
        foreach (var (step, kiosk, ms) in c.Query<(string Step, string KioskId, long Ms)>("""
                     SELECT step, kiosk_id, duration_ms FROM step_times
                     WHERE day BETWEEN @from AND @to AND (@kioskId IS NULL OR kiosk_id = @kioskId)
                     """, new { from = range.FromText, to = range.ToText, kioskId }, buffered: false))
        {
            if (!byStep.TryGetValue(step, out var lists)) continue; // a step this Central does not know (newer kiosk): not reported
            lists.Fleet.Add(ms);
            if (!lists.Kiosks.TryGetValue(kiosk, out var list)) lists.Kiosks[kiosk] = list = [];
            list.Add(ms);
        }
        var steps = StepCatalogue.All.Select(norm =>
        {
            var lists = byStep[norm.Code];
            return new StepReportRow(norm, StepStatistics.Summarise(lists.Fleet, norm),
                lists.Kiosks.Select(k => new KioskStepFigures(k.Key, kioskNames.GetValueOrDefault(k.Key), StepStatistics.Summarise(k.Value, norm))).ToList());
        }).ToList();
        return new StepTimeReport(range, steps);
    }

    /// <summary>The survey chart of a report (SVG markup, to serve or to inline into a page).</summary>
    public static string SurveyChartOf(SurveyReport report, string idPrefix = "survey") =>
        SurveyChart.Render(report.Groups.Select(g => new SurveyChartRow(g.Figures, ServiceName(g.Figures.Service), ClinicLabel(g))).ToList(),
            report.Range.ToString(), idPrefix);

    /// <summary>The step-time chart of a report (SVG markup): the steps that were measured, the fleet first, then each kiosk.</summary>
    public static string StepChartOf(StepTimeReport report, string idPrefix = "steps") =>
        StepTimeChart.Render(report.Steps.Where(s => s.Fleet.Count > 0).Select(s => new StepChartStep(s.Norm,
            [
                new StepChartScope("fleet", s.Kiosks.Count == 1 ? "Fleet (1 kiosk)" : $"Fleet ({s.Kiosks.Count} kiosks)", s.Fleet),
                .. s.Kiosks.Select(k => new StepChartScope(k.KioskId, k.Name is { Length: > 0 } name && name != k.KioskId ? $"{k.KioskId} — {name}" : k.KioskId, k.Summary)),
            ])).ToList(), report.Range.ToString(), idPrefix);

    public static string ClinicLabel(SurveyReportGroup group) => group.Figures.ClinicId switch
    {
        null => "clinic not known",
        { } id => group.Clinic is { } names ? $"clinic {id.ToString(CultureInfo.InvariantCulture)} {names.En}" : $"clinic {id.ToString(CultureInfo.InvariantCulture)}",
    };
}
