using System.Globalization;
using System.Text;
using Kiosk.Core.Feedback;

namespace Kiosk.Core.Charts;

/// <summary>The figures of one step for one scope: <paramref name="Scope"/> is <c>fleet</c> or a kiosk id; <paramref name="Label"/> names it.</summary>
public sealed record StepChartScope(string Scope, string Label, StepSummary Summary);

/// <summary>One step of the chart: its norm and its scopes (the fleet first, then each kiosk).</summary>
public sealed record StepChartStep(StepNorm Norm, IReadOnlyList<StepChartScope> Scopes);

/// <summary>
/// The step-time chart (issue 12 item 6): for each step, per scope (the fleet, then each kiosk), a bar for the median
/// and one for the 90th percentile on the step's own time scale, the regulation's norm drawn across them as a band (its
/// range) ending in a dashed line (its upper end, the limit), and beside each bar its value in words, with the count
/// and the share over the norm. Median and p90 differ by pattern and by their written labels, not by colour alone.
/// </summary>
public static class StepTimeChart
{
    private const int Width = 1000;
    private const int Margin = 24;
    private const int BarX = 320;
    private const int BarEnd = 760;
    private const int RowHeight = 62;
    private const int StepHeading = 44;
    private const int StepGap = 20;
    private const string MedianColour = "#0b3d91";
    private const string P90Colour = "#3f6fc4";
    private const string NormBand = "#dfe5ec";
    private const string Ink = "#101418";

    public static string Render(IReadOnlyList<StepChartStep> steps, string period, string idPrefix = "steps")
    {
        ArgumentNullException.ThrowIfNull(steps);
        var title = "Step times against the regulation's norms (tables 1–2), " + period;
        var rows = steps.Sum(s => Math.Max(1, s.Scopes.Count));
        var height = 150 + (steps.Count == 0 ? 40 : steps.Count * (StepHeading + StepGap) + rows * RowHeight);
        var svg = new SvgWriter(Width, height, title, Describe(steps, period), idPrefix);
        svg.HatchPattern("p90", P90Colour, "#ffffff");

        svg.Text(Margin, 32, "Step times against the regulation's norms (tables 1–2)", 18, bold: true);
        svg.Text(Margin, 56, "Median and 90th percentile (nearest rank) per step, for the fleet and each kiosk, " + period, 14, data: ("period", period));
        svg.Text(Margin, 76, "The band is the norm's range, the dashed line its limit; over the norm means longer than the limit.", 13);
        svg.Rect(Margin, 90, 18, 18, MedianColour, Ink);
        svg.Text(Margin + 26, 104, "median", 14);
        svg.Rect(Margin + 110, 90, 18, 18, svg.PatternFill("p90"), Ink);
        svg.Text(Margin + 136, 104, "90th percentile", 14);
        svg.Rect(Margin + 290, 90, 36, 18, NormBand);
        svg.Line(Margin + 326, 86, Margin + 326, 112, Ink, 2, dashed: true);
        svg.Text(Margin + 336, 104, "the regulation's norm", 14);

        var y = 140.0;
        if (steps.Count == 0)
        {
            svg.Text(Margin, y + 20, "No step times in this period.", 16, data: ("empty", "true"));
            return svg.Finish();
        }
        foreach (var step in steps) y = Step(svg, step, y);
        return svg.Finish();
    }

    private static double Step(SvgWriter svg, StepChartStep step, double y)
    {
        var norm = step.Norm;
        var maxMs = (long)norm.Max.TotalMilliseconds;
        svg.StartGroup(("step", norm.Code), ("channel", norm.Channel), ("norm-max-ms", N(maxMs)),
            ("norm-min-ms", norm.Min is { } min ? N((long)min.TotalMilliseconds) : null));
        svg.Text(Margin, y + 20, $"{norm.Name} — table {norm.Table}, action {norm.Action} ({norm.Channel})", 16, bold: true);
        svg.Text(Margin, y + 38, $"norm {norm.NormText}: {norm.Regulation}", 13, data: ("norm", norm.NormText));
        y += StepHeading;

        // The step's own scale: the longest p90 or the norm, with room to spare.
        var longest = step.Scopes.Select(s => s.Summary.P90Ms ?? 0).DefaultIfEmpty(0).Max();
        var scale = Math.Max(longest, maxMs) * 1.15;
        double X(long ms) => BarX + (BarEnd - BarX) * ms / scale;

        var rowsTop = y;
        var rowCount = Math.Max(1, step.Scopes.Count);
        var rowsBottom = y + rowCount * RowHeight;
        // The norm behind the bars: its range as a band, its limit as a dashed line (the heading says it in words).
        var bandFrom = norm.Min is { } low ? X((long)low.TotalMilliseconds) : BarX;
        svg.Rect(bandFrom, rowsTop, X(maxMs) - bandFrom, rowsBottom - rowsTop - 8, NormBand);
        svg.Line(X(maxMs), rowsTop - 4, X(maxMs), rowsBottom - 6, Ink, 2, dashed: true);

        if (step.Scopes.Count == 0)
        {
            svg.Text(Margin, y + 24, "no measurements", 14);
            svg.EndGroup();
            return rowsBottom + StepGap;
        }
        foreach (var scope in step.Scopes)
        {
            var s = scope.Summary;
            svg.StartGroup(("scope", scope.Scope), ("count", N(s.Count)), ("median-ms", s.MedianMs is { } m ? N(m) : null),
                ("p90-ms", s.P90Ms is { } p ? N(p) : null), ("over-norm", N(s.OverNorm)));
            svg.Text(Margin, y + 22, scope.Label, 14, bold: scope.Scope == "fleet");
            if (s.Count == 0)
            {
                svg.Text(Margin, y + 42, "no measurements", 13);
            }
            else
            {
                svg.Text(Margin, y + 42, $"{Measured(s.Count)}, over the norm: {SurveyChart.Percent(s.ShareOverNorm)} ({N(s.OverNorm)})", 13,
                    data: ("share-over-norm", SurveyChart.Percent(s.ShareOverNorm)));
                Bar(svg, "median", s.MedianMs!.Value, MedianColour, y + 8, X);
                Bar(svg, "p90", s.P90Ms!.Value, svg.PatternFill("p90"), y + 30, X);
            }
            svg.EndGroup();
            y += RowHeight;
        }
        svg.EndGroup();
        return y + StepGap;
    }

    private static void Bar(SvgWriter svg, string what, long ms, string fill, double y, Func<long, double> x)
    {
        var end = x(ms);
        svg.Rect(BarX, y, end - BarX, 18, fill, Ink, ("bar", what), ("ms", N(ms)));
        var label = (what == "median" ? "median " : "p90 ") + Durations.Text(TimeSpan.FromMilliseconds(ms));
        svg.Text(Math.Max(end, BarEnd) + 8, y + 14, label, 13, data: ("value", what));
    }

    private static string Describe(IReadOnlyList<StepChartStep> steps, string period)
    {
        if (steps.Count == 0) return $"No step times from {period}.";
        var text = new StringBuilder($"Step times from {period}. ");
        foreach (var step in steps)
        {
            text.Append($"{step.Norm.Name} (table {step.Norm.Table}, action {step.Norm.Action}), norm {step.Norm.NormText}: ");
            text.Append(step.Scopes.Count == 0
                ? "no measurements"
                : string.Join("; ", step.Scopes.Select(s => s.Summary.Count == 0
                    ? $"{s.Label}: no measurements"
                    : $"{s.Label}: {Measured(s.Summary.Count)}, median {Durations.Text(TimeSpan.FromMilliseconds(s.Summary.MedianMs!.Value))}, " +
                      $"90th percentile {Durations.Text(TimeSpan.FromMilliseconds(s.Summary.P90Ms!.Value))}, over the norm {SurveyChart.Percent(s.Summary.ShareOverNorm)}")));
            text.Append(". ");
        }
        return text.ToString().TrimEnd();
    }

    private static string Measured(long n) => n == 1 ? "1 measured" : $"{N(n)} measured";

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
