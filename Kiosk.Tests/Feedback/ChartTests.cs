using System.Xml;
using System.Xml.Linq;
using Kiosk.Core.Charts;
using Kiosk.Core.Feedback;

namespace Kiosk.Tests.Feedback;

/// <summary>
/// The server-rendered SVG charts: well-formed XML, accessible (role="img", title and description, the values written as
/// text), and inert whatever the labels hold — a hostile clinic name is text, never markup or script.
/// </summary>
public class ChartTests
{
    private static readonly XNamespace Svg = SvgWriter.Namespace;

    private const string Hostile = "<script>alert(1)</script>\" onload=\"alert(2)\" & ]]> <a href='javascript:x'>\u0001\u0007\uFFFE\uD800 tab\there";

    private static XDocument Parse(string svg)
    {
        // Strict XML: no DTD, nothing resolved.
        using var reader = XmlReader.Create(new StringReader(svg), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return XDocument.Load(reader);
    }

    private static SurveyChartRow Row(string clinicLabel, long? clinic = 1) =>
        new(new SurveyGroup("home-call", clinic, "2026-03", new RatingCounts(1, 2, 4), new RatingCounts(0, 0, 3)), "Home doctor call", clinicLabel);

    [Fact]
    public void The_survey_chart_is_an_accessible_image_with_the_counts_as_text_and_as_bar_parts()
    {
        var svg = SurveyChart.Render([Row("City polyclinic 1")], "2026-03-01 to 2026-03-31");
        var doc = Parse(svg);
        var root = doc.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("img", (string?)root.Attribute("role"));
        var labelled = ((string)root.Attribute("aria-labelledby")!).Split(' ');
        Assert.Equal(["survey-title", "survey-desc"], labelled);
        Assert.Contains("Quality survey", root.Element(Svg + "title")!.Value);
        var desc = root.Element(Svg + "desc")!.Value;
        Assert.Contains("not satisfied 1, partly satisfied 2, satisfied 4", desc);

        var group = root.Descendants(Svg + "g").Single(g => (string?)g.Attribute("data-month") == "2026-03");
        Assert.Equal(("home-call", "1"), ((string)group.Attribute("data-service")!, (string)group.Attribute("data-clinic")!));
        var q1 = group.Elements(Svg + "g").Single(g => (string?)g.Attribute("data-question") == "q1");
        Assert.Equal("7", (string?)q1.Attribute("data-total"));
        Assert.Equal(new Dictionary<string, string> { ["not"] = "1", ["partly"] = "2", ["fully"] = "4" },
            q1.Elements(Svg + "rect").Where(r => r.Attribute("data-answer") is not null)
                .ToDictionary(r => (string)r.Attribute("data-answer")!, r => (string)r.Attribute("data-count")!));
        // The values in words, not in colour only.
        Assert.Equal("not satisfied 1 (14%) · partly satisfied 2 (29%) · satisfied 4 (57%)",
            q1.Elements(Svg + "text").Single(t => (string?)t.Attribute("data-summary") == "q1").Value);
        // Bar widths follow the shares: 1/7, 2/7, 4/7 of 952 px.
        var widths = q1.Elements(Svg + "rect").Where(r => r.Attribute("data-answer") is not null)
            .Select(r => double.Parse((string)r.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(952, widths.Sum(), 1);
        Assert.Equal(952.0 * 4 / 7, widths[2], 1);
    }

    [Fact]
    public void Hostile_labels_are_written_as_escaped_text_and_nothing_in_the_image_can_run()
    {
        var svg = SurveyChart.Render([Row(Hostile)], Hostile);
        var doc = Parse(svg); // well-formed despite control characters, a lone surrogate and markup in the labels

        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "a" or "foreignObject" or "image" or "use" or "iframe");
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName is "href" or "style");
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", svg);

        var heading = doc.Descendants(Svg + "text").Single(t => t.Value.StartsWith("Home doctor call · ", StringComparison.Ordinal));
        Assert.Contains("<script>alert(1)</script>\" onload=\"alert(2)\" & ]]> <a href='javascript:x'>", heading.Value);
        Assert.DoesNotContain('\u0001', svg);
        Assert.DoesNotContain('\uFFFE', svg);
        Assert.Contains("tab here", heading.Value);

        var steps = StepTimeChart.Render(
            [new StepChartStep(StepCatalogue.Get(StepCatalogue.SignIn), [new StepChartScope(Hostile, Hostile, new StepSummary(1, 1000, 1000, 0))])],
            Hostile);
        var stepDoc = Parse(steps);
        Assert.DoesNotContain(stepDoc.Descendants(), e => e.Name.LocalName == "script");
        Assert.DoesNotContain(stepDoc.Descendants().Attributes(), a => a.Name.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(stepDoc.Descendants(Svg + "g"), g => ((string?)g.Attribute("data-scope"))?.Contains("<script>") == true);
    }

    [Fact]
    public void A_very_long_label_is_cut_and_ends_with_an_ellipsis()
    {
        var clean = SvgWriter.Clean(new string('ж', 500));
        Assert.Equal(SvgWriter.MaxLabelLength, clean.Length);
        Assert.EndsWith("…", clean);
        Assert.Equal("a b", SvgWriter.Clean("  a \r\n\t b  "));
        Assert.Equal("😀 ok", SvgWriter.Clean("😀 ok"));
    }

    [Fact]
    public void The_step_chart_draws_median_and_p90_beside_the_norm_with_the_share_over_it()
    {
        var norm = StepCatalogue.Get(StepCatalogue.SignIn);
        var svg = StepTimeChart.Render(
        [
            new StepChartStep(norm,
            [
                new StepChartScope("fleet", "Fleet", new StepSummary(4, 42_000, 75_000, 1)),
                new StepChartScope("kiosk-001", "kiosk-001", new StepSummary(4, 42_000, 75_000, 1)),
            ]),
            new StepChartStep(StepCatalogue.Get(StepCatalogue.RegistryLookup), []),
        ], "2026-03-01 to 2026-03-31");
        var doc = Parse(svg);
        Assert.Equal("img", (string?)doc.Root!.Attribute("role"));
        var step = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("data-step") == "sign-in");
        Assert.Equal(("60000", "30000", "kiosk"),
            ((string)step.Attribute("data-norm-max-ms")!, (string)step.Attribute("data-norm-min-ms")!, (string)step.Attribute("data-channel")!));
        Assert.Contains(step.Descendants(Svg + "text"), t => t.Value == "norm 30 s – 1 min: " + norm.Regulation);
        var fleet = step.Elements(Svg + "g").Single(g => (string?)g.Attribute("data-scope") == "fleet");
        Assert.Equal(("4", "42000", "75000", "1"), ((string)fleet.Attribute("data-count")!, (string)fleet.Attribute("data-median-ms")!,
            (string)fleet.Attribute("data-p90-ms")!, (string)fleet.Attribute("data-over-norm")!));
        Assert.Contains(fleet.Elements(Svg + "text"), t => t.Value == "median 42 s");
        Assert.Contains(fleet.Elements(Svg + "text"), t => t.Value == "p90 1 min 15 s");
        Assert.Contains(fleet.Elements(Svg + "text"), t => t.Value == "4 measured, over the norm: 25% (1)");
        // The p90 bar ends beyond the norm's dashed line, the median bar before it.
        double At(XElement e, string a) => double.Parse((string)e.Attribute(a)!, System.Globalization.CultureInfo.InvariantCulture);
        var line = step.Elements(Svg + "line").Single();
        var bars = fleet.Elements(Svg + "rect").ToDictionary(r => (string)r.Attribute("data-bar")!, r => At(r, "x") + At(r, "width"));
        Assert.True(bars["median"] < At(line, "x1") && At(line, "x1") < bars["p90"]);
        Assert.Contains("Sign-in (table 1, action 1), norm 30 s – 1 min: Fleet: 4 measured, median 42 s, 90th percentile 1 min 15 s, over the norm 25%",
            doc.Root.Element(Svg + "desc")!.Value);
        var lookup = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("data-step") == "registry-lookup");
        Assert.Contains(lookup.Elements(Svg + "text"), t => t.Value == "no measurements");
    }

    [Fact]
    public void Empty_charts_say_so_in_words()
    {
        Assert.Contains("No answers in this period.", Parse(SurveyChart.Render([], "2026")).Root!.Value);
        Assert.Contains("No step times in this period.", Parse(StepTimeChart.Render([], "2026")).Root!.Value);
    }

    [Fact]
    public void Two_charts_on_one_page_can_have_their_own_ids()
    {
        var a = Parse(SurveyChart.Render([Row("A")], "p", "survey-a")).Root!;
        Assert.Equal("survey-a-title", (string?)a.Element(Svg + "title")!.Attribute("id"));
        Assert.Throws<ArgumentException>(() => SurveyChart.Render([], "p", "\"><script>"));
    }
}
