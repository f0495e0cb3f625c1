using System.Globalization;
using System.Text;
using Kiosk.Core.Feedback;

namespace Kiosk.Core.Charts;

/// <summary>One bar group of the survey chart: the figures and the words that name them (a service's and a clinic's names).</summary>
public sealed record SurveyChartRow(SurveyGroup Figures, string ServiceLabel, string ClinicLabel);

/// <summary>
/// The survey chart (issue 12 item 5): for each service, clinic and month, one stacked bar per question showing the
/// shares of "not", "partly" and "fully satisfied". The three answers differ by colour, by pattern (hatched, dotted,
/// plain) and by their written counts and percentages under each bar, so nothing depends on colour alone. Server-side
/// SVG (<see cref="SvgWriter"/>): no script, no chart library.
/// </summary>
public static class SurveyChart
{
    private const int Width = 1000;
    private const int Margin = 24;
    private const int QuestionHeight = 92;
    private const int GroupHeading = 30;
    private const int GroupGap = 18;

    /// <summary>Answer colours (each ≥ 3:1 against white) and their patterns.</summary>
    private static readonly (string Rating, string Colour, string Ink, bool Dots, bool Plain)[] Styles =
    [
        (SurveyRatings.Not, "#9d0012", "#ffffff", false, false),
        (SurveyRatings.Partly, "#8a5a00", "#ffffff", true, false),
        (SurveyRatings.Fully, "#0b3d91", "#ffffff", false, true),
    ];

    /// <param name="period">Words for the period, e.g. "2026-01-01 to 2026-03-31".</param>
    /// <param name="idPrefix">See <see cref="SvgWriter"/>; give another when two survey charts share a page.</param>
    public static string Render(IReadOnlyList<SurveyChartRow> rows, string period, string idPrefix = "survey")
    {
        ArgumentNullException.ThrowIfNull(rows);
        var title = "Quality survey (regulation appendix 3): answers per service, clinic and month, " + period;
        var height = 150 + (rows.Count == 0 ? 40 : rows.Count * (GroupHeading + 2 * QuestionHeight + GroupGap));
        var svg = new SvgWriter(Width, height, title, Describe(rows, period), idPrefix);
        foreach (var s in Styles.Where(s => !s.Plain)) svg.HatchPattern(s.Rating, s.Colour, s.Ink, s.Dots);

        svg.Text(Margin, 32, "Quality survey (regulation appendix 3)", 18, bold: true);
        svg.Text(Margin, 56, "Answers per service, clinic and month, " + period, 14, data: ("period", period));
        svg.Text(Margin, 76, "Each bar is one question; its parts are the shares of the three answers, written out under the bar.", 13);
        var x = (double)Margin;
        foreach (var s in Styles)
        {
            svg.Rect(x, 90, 18, 18, Fill(svg, s.Rating), "#101418");
            var label = SurveyRatings.EnglishLabel(s.Rating);
            svg.Text(x + 26, 104, label, 14);
            x += 26 + label.Length * 8.5 + 28;
        }

        var y = 140.0;
        if (rows.Count == 0)
        {
            svg.Text(Margin, y + 20, "No answers in this period.", 16, data: ("empty", "true"));
            return svg.Finish();
        }
        foreach (var row in rows)
        {
            var g = row.Figures;
            svg.StartGroup(("service", g.Service), ("clinic", g.ClinicId?.ToString(CultureInfo.InvariantCulture) ?? "unknown"), ("month", g.Month));
            svg.Text(Margin, y + 20, $"{row.ServiceLabel} · {row.ClinicLabel} · {g.Month}", 16, bold: true);
            y += GroupHeading;
            foreach (var question in SurveyQuestions.All)
            {
                Question(svg, question, g.Of(question), y);
                y += QuestionHeight;
            }
            svg.EndGroup();
            y += GroupGap;
        }
        return svg.Finish();
    }

    private static void Question(SvgWriter svg, string question, RatingCounts counts, double y)
    {
        var total = counts.Total;
        svg.StartGroup(("question", question), ("total", N(total)));
        svg.Text(Margin, y + 18, $"{SurveyQuestions.EnglishLabel(question)} — {Answers(total)}", 14);
        const double barY = 26, barHeight = 28, barWidth = Width - 2 * Margin;
        if (total == 0)
        {
            svg.Rect(Margin, y + barY, barWidth, barHeight, "#eef1f5", "#5a6470");
            svg.Text(Margin + 12, y + barY + 19, "no answers", 13);
        }
        else
        {
            var x = (double)Margin;
            foreach (var s in Styles)
            {
                var count = counts.Of(s.Rating);
                var width = barWidth * count / total;
                svg.Rect(x, y + barY, width, barHeight, Fill(svg, s.Rating), count > 0 ? "#101418" : null,
                    ("answer", s.Rating), ("count", N(count)));
                x += width;
            }
        }
        var parts = SurveyRatings.All.Select(r => $"{SurveyRatings.EnglishLabel(r)} {N(counts.Of(r))} ({Percent(counts.ShareOf(r))})");
        svg.Text(Margin, y + 76, string.Join(" · ", parts), 14, data: ("summary", question));
        svg.EndGroup();
    }

    private static string Fill(SvgWriter svg, string rating)
    {
        var style = Styles.Single(s => s.Rating == rating);
        return style.Plain ? style.Colour : svg.PatternFill(rating);
    }

    /// <summary>The whole chart in words, for screen readers (the image's <c>desc</c>).</summary>
    private static string Describe(IReadOnlyList<SurveyChartRow> rows, string period)
    {
        if (rows.Count == 0) return $"No survey answers from {period}.";
        var text = new StringBuilder($"Survey answers from {period}, {rows.Count} groups. ");
        foreach (var row in rows)
        {
            text.Append($"{row.ServiceLabel}, {row.ClinicLabel}, {row.Figures.Month}: ");
            text.Append(string.Join("; ", SurveyQuestions.All.Select(q =>
            {
                var c = row.Figures.Of(q);
                return $"{SurveyQuestions.EnglishLabel(q)}, {Answers(c.Total)}: " +
                       string.Join(", ", SurveyRatings.All.Select(r => $"{SurveyRatings.EnglishLabel(r)} {N(c.Of(r))}"));
            })));
            text.Append(". ");
        }
        return text.ToString().TrimEnd();
    }

    private static string Answers(long n) => n == 1 ? "1 answer" : $"{N(n)} answers";

    internal static string Percent(double? share) =>
        share is { } s ? Math.Round(s * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
