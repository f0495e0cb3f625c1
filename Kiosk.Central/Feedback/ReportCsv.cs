using System.Globalization;
using System.Text;
using Kiosk.Core.Feedback;

namespace Kiosk.Central.Feedback;

/// <summary>
/// The CSV downloads of the reports (docs/survey-and-step-times.md "CSV"): RFC 4180 — comma separated, CRLF line ends,
/// a header row, a field quoted with <c>"</c> when it holds a comma, a quote or a line break, a quote doubled inside
/// one — in UTF-8 with a byte order mark so that Excel reads the Cyrillic clinic names right. A text field that starts
/// like a formula (<c>= + - @</c>, tab, CR) gets a leading apostrophe, so a spreadsheet shows it and never runs it.
/// </summary>
public static class ReportCsv
{
    public const string ContentType = "text/csv; charset=utf-8; header=present";

    public static readonly string[] SurveyHeader =
        ["month", "service", "clinic_id", "clinic_name", "question", "answer", "count", "question_total", "share_percent"];

    public static readonly string[] StepHeader =
    [
        "from", "to", "step", "channel", "table", "action", "norm_min_ms", "norm_max_ms", "scope", "kiosk_name", "count", "median_ms",
        "p90_ms", "over_norm", "over_norm_percent",
    ];

    /// <summary>One row per month, service, clinic, question and answer (all three answers of each question, zeros too).</summary>
    public static byte[] Survey(SurveyReport report)
    {
        var csv = new StringBuilder();
        Row(csv, SurveyHeader);
        foreach (var g in report.Groups)
        foreach (var question in SurveyQuestions.All)
        {
            var counts = g.Figures.Of(question);
            foreach (var rating in SurveyRatings.All)
                Row(csv,
                [
                    g.Figures.Month, g.Figures.Service, Num(g.Figures.ClinicId), Text(g.Clinic?.Ru), question, rating, Num(counts.Of(rating)),
                    Num(counts.Total), Percent(counts.ShareOf(rating)),
                ]);
        }
        return Encode(csv);
    }

    /// <summary>One row per step and scope (<c>fleet</c> first, then each kiosk that measured it); a step nobody measured has its fleet row with count 0.</summary>
    public static byte[] StepTimes(StepTimeReport report)
    {
        var csv = new StringBuilder();
        Row(csv, StepHeader);
        foreach (var s in report.Steps)
        {
            string[] Line(string scope, string? name, StepSummary summary) =>
            [
                report.Range.FromText, report.Range.ToText, s.Norm.Code, s.Norm.Channel, Num(s.Norm.Table), Num(s.Norm.Action),
                Num(s.Norm.Min is { } min ? (long)min.TotalMilliseconds : null), Num((long)s.Norm.Max.TotalMilliseconds), Text(scope), Text(name),
                Num(summary.Count), Num(summary.MedianMs), Num(summary.P90Ms), Num(summary.OverNorm), Percent(summary.ShareOverNorm),
            ];
            Row(csv, Line("fleet", null, s.Fleet));
            foreach (var k in s.Kiosks) Row(csv, Line(k.KioskId, k.Name, k.Summary));
        }
        return Encode(csv);
    }

    /// <summary>A field as RFC 4180 writes it.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>A text field made safe for spreadsheets: a leading formula character is preceded by an apostrophe.</summary>
    public static string Text(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static void Row(StringBuilder csv, IEnumerable<string> fields)
    {
        csv.AppendJoin(',', fields.Select(Field));
        csv.Append("\r\n");
    }

    private static string Num(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Percent(double? share) => share is { } s ? Math.Round(s * 100, 1).ToString("0.0", CultureInfo.InvariantCulture) : "";

    private static byte[] Encode(StringBuilder csv) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
}
