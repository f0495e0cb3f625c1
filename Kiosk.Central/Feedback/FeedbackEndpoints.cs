using System.ComponentModel;
using System.Text;
using Kiosk.Central.Sync;
using Kiosk.Core.Feedback;
using Kiosk.Core.Requests;
using Microsoft.AspNetCore.Mvc;

namespace Kiosk.Central.Feedback;

/// <summary>A question's counts in the JSON report.</summary>
public sealed record RatingCountsDto(long Not, long Partly, long Fully, long Total);

/// <summary>One service, clinic and month of the survey report.</summary>
/// <param name="ClinicId">Null: answers whose clinic the kiosk could not tell.</param>
/// <param name="ClinicName">The clinic's names (ru, kk, en), null when unknown.</param>
/// <param name="Month">Astana calendar month, <c>yyyy-MM</c>.</param>
public sealed record SurveyGroupDto(string Service, long? ClinicId, ClinicNames? ClinicName, string Month, RatingCountsDto Q1, RatingCountsDto Q2);

public sealed record SurveyReportDto(string From, string To, IReadOnlyList<SurveyGroupDto> Groups);

/// <param name="MedianMs">50th percentile by nearest rank; null when nothing was measured.</param>
/// <param name="P90Ms">90th percentile by nearest rank.</param>
/// <param name="OverNorm">Measurements longer than the norm's upper end.</param>
/// <param name="ShareOverNorm"><paramref name="OverNorm"/> ÷ <paramref name="Count"/>, 0 … 1.</param>
public sealed record StepSummaryDto(long Count, long? MedianMs, long? P90Ms, long OverNorm, double? ShareOverNorm)
{
    public static StepSummaryDto Of(StepSummary s) => new(s.Count, s.MedianMs, s.P90Ms, s.OverNorm, s.ShareOverNorm);
}

public sealed record KioskStepDto(string KioskId, string? Name, StepSummaryDto Figures);

/// <param name="Table">The regulation's table (1: kiosk, 2: desk) and <paramref name="Action"/> its action number.</param>
/// <param name="NormMinMs">The norm's lower end when the regulation gives a range; <paramref name="NormMaxMs"/> its limit.</param>
public sealed record StepReportDto(
    string Step, string Channel, int Table, int Action, string Name, string Regulation, string Norm, long? NormMinMs, long NormMaxMs,
    StepSummaryDto Fleet, IReadOnlyList<KioskStepDto> Kiosks);

public sealed record StepTimeReportDto(string From, string To, IReadOnlyList<StepReportDto> Steps);

/// <summary>
/// The operators' survey and step-time figures (issue 12 items 5–6; docs/survey-and-step-times.md "API"), all behind
/// <c>Authorization: Bearer &lt;Operators:Token&gt;</c> (<see cref="SyncEndpoints.AuthenticateOperator"/>): JSON, a CSV
/// download and an SVG chart of each, for a period of Astana days (<c>from</c>, <c>to</c>; by default the last twelve
/// calendar months). The charts are <c>image/svg+xml</c> with a CSP that allows nothing to load or run, so a page may
/// show them with <c>&lt;img&gt;</c>; a Central page can also call <see cref="FeedbackReports"/> and inline the markup.
/// </summary>
public static class FeedbackEndpoints
{
    /// <summary>The chart's own policy: nothing may load, run or frame it (its presentation attributes need no style).</summary>
    public const string ChartCsp = "default-src 'none'; frame-ancestors 'self'; sandbox";

    public static IEndpointRouteBuilder MapFeedbackReports(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Operators").AddEndpointFilter(SyncEndpoints.AuthenticateOperator);
        const string Auth = "Authorization: Bearer <Operators:Token>. from, to: Astana days yyyy-MM-dd (default: the twelve calendar months up to today). " +
                            "400: bad dates; 401: no or wrong token; 403: Operators:Token not set.";

        reports.MapGet("/survey", (FeedbackReports r, TimeProvider time, [FromQuery] string? from, [FromQuery] string? to,
                [FromQuery, Description("home-call, appointment or attachment")] string? service, [FromQuery] long? clinic) =>
                Survey(time, from, to, service, clinic, out var problem) is { } range
                    ? Results.Ok(SurveyDto(r.Survey(range, service, clinic)))
                    : problem!)
            .WithName("SurveyReport")
            .WithSummary("Quality-survey answers per service, clinic and month (regulation appendix 3)")
            .WithDescription(Auth + " Each question is counted on its own: not, partly, fully satisfied.")
            .Produces<SurveyReportDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        reports.MapGet("/survey.csv", (FeedbackReports r, TimeProvider time, [FromQuery] string? from, [FromQuery] string? to,
                [FromQuery] string? service, [FromQuery] long? clinic) =>
                Survey(time, from, to, service, clinic, out var problem) is { } range
                    ? Csv(ReportCsv.Survey(r.Survey(range, service, clinic)), $"survey-{range.FromText}-{range.ToText}.csv")
                    : problem!)
            .WithName("SurveyReportCsv")
            .WithSummary("The survey report as CSV (RFC 4180, UTF-8 with BOM)")
            .WithDescription(Auth + " One row per month, service, clinic, question and answer.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        reports.MapGet("/survey.svg", (HttpContext http, FeedbackReports r, TimeProvider time, [FromQuery] string? from, [FromQuery] string? to,
                [FromQuery] string? service, [FromQuery] long? clinic) =>
                Survey(time, from, to, service, clinic, out var problem) is { } range
                    ? Svg(http, FeedbackReports.SurveyChartOf(r.Survey(range, service, clinic)))
                    : problem!)
            .WithName("SurveyChart")
            .WithSummary("The survey report as an SVG chart: per group a stacked bar per question")
            .WithDescription(Auth)
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        reports.MapGet("/step-times", (FeedbackReports r, TimeProvider time, [FromQuery] string? from, [FromQuery] string? to,
                [FromQuery, Description("Only this kiosk's measurements")] string? kiosk) =>
                Steps(time, from, to, kiosk, out var problem) is { } range ? Results.Ok(StepDto(r.StepTimes(range, kiosk))) : problem!)
            .WithName("StepTimeReport")
            .WithSummary("Median, 90th percentile and share over the norm of each step, for the fleet and per kiosk (regulation tables 1–2)")
            .WithDescription(Auth + " Percentiles by the nearest-rank method; over the norm = longer than the norm's upper end.")
            .Produces<StepTimeReportDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        reports.MapGet("/step-times.csv", (FeedbackReports r, TimeProvider time, [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? kiosk) =>
                Steps(time, from, to, kiosk, out var problem) is { } range
                    ? Csv(ReportCsv.StepTimes(r.StepTimes(range, kiosk)), $"step-times-{range.FromText}-{range.ToText}.csv")
                    : problem!)
            .WithName("StepTimeReportCsv")
            .WithSummary("The step-time report as CSV (RFC 4180, UTF-8 with BOM)")
            .WithDescription(Auth + " One row per step and scope (fleet, then each kiosk).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        reports.MapGet("/step-times.svg", (HttpContext http, FeedbackReports r, TimeProvider time, [FromQuery] string? from, [FromQuery] string? to,
                [FromQuery] string? kiosk) =>
                Steps(time, from, to, kiosk, out var problem) is { } range ? Svg(http, FeedbackReports.StepChartOf(r.StepTimes(range, kiosk))) : problem!)
            .WithName("StepTimeChart")
            .WithSummary("The step-time report as an SVG chart: median and p90 bars beside the norm")
            .WithDescription(Auth)
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static DayRange? Survey(TimeProvider time, string? from, string? to, string? service, long? clinic, out IResult? problem)
    {
        var range = Range(time, from, to, out problem);
        if (range is null) return null;
        if (service is not null && !RequestKinds.All.Contains(service))
        {
            problem = Bad("service must be home-call, appointment or attachment.");
            return null;
        }
        if (clinic is < 1)
        {
            problem = Bad("clinic must be 1 or more.");
            return null;
        }
        return range;
    }

    private static DayRange? Steps(TimeProvider time, string? from, string? to, string? kiosk, out IResult? problem)
    {
        var range = Range(time, from, to, out problem);
        if (range is null) return null;
        if (kiosk is not null && !KioskRegister.IsValidKioskId(kiosk))
        {
            problem = Bad("kiosk is not a kiosk id.");
            return null;
        }
        return range;
    }

    private static DayRange? Range(TimeProvider time, string? from, string? to, out IResult? problem)
    {
        var (range, message) = DayRange.Parse(from, to, time);
        problem = range is null ? Bad(message!) : null;
        return range;
    }

    private static IResult Bad(string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad report query", detail: detail);

    private static IResult Csv(byte[] body, string fileName) =>
        Results.File(body, ReportCsv.ContentType, fileName);

    private static IResult Svg(HttpContext http, string markup)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ChartCsp;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        return Results.Text(markup, "image/svg+xml; charset=utf-8", Encoding.UTF8);
    }

    private static SurveyReportDto SurveyDto(SurveyReport report) => new(report.Range.FromText, report.Range.ToText,
        report.Groups.Select(g => new SurveyGroupDto(g.Figures.Service, g.Figures.ClinicId, g.Clinic, g.Figures.Month,
            Counts(g.Figures.Process), Counts(g.Figures.Information))).ToList());

    private static RatingCountsDto Counts(RatingCounts c) => new(c.Not, c.Partly, c.Fully, c.Total);

    private static StepTimeReportDto StepDto(StepTimeReport report) => new(report.Range.FromText, report.Range.ToText,
        report.Steps.Select(s => new StepReportDto(s.Norm.Code, s.Norm.Channel, s.Norm.Table, s.Norm.Action, s.Norm.Name, s.Norm.Regulation,
            s.Norm.NormText, s.Norm.Min is { } min ? (long)min.TotalMilliseconds : null, (long)s.Norm.Max.TotalMilliseconds,
            StepSummaryDto.Of(s.Fleet), s.Kiosks.Select(k => new KioskStepDto(k.KioskId, k.Name, StepSummaryDto.Of(k.Summary))).ToList())).ToList());
}
