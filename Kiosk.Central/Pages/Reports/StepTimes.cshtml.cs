using Dapper;
using Kiosk.Central.Feedback;
using Kiosk.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Central.Pages.Reports;

/// <summary>
/// The operators' step-time page (issue 12 item 6; docs/survey-and-step-times.md "The operators' pages"): each step of
/// the regulation's tables 1 (the kiosk) and 2 (the desk) with its norm, the median, the 90th percentile and the share
/// over the norm, for the fleet or one kiosk, in the period chosen — the SVG chart inline, a table per table of the
/// regulation, and the CSV (<c>?handler=Csv</c>).
/// </summary>
public sealed class StepTimesModel(FeedbackReports reports, SqliteDatabase db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kiosk { get; set; }

    public StepTimeReport? Report { get; private set; }
    public string? Problem { get; private set; }
    public IReadOnlyList<(string Id, string Name)> Kiosks { get; private set; } = [];

    public IActionResult OnGet()
    {
        Load();
        return Page();
    }

    public IActionResult OnGetCsv()
    {
        Load();
        if (Report is null) return BadRequest(Problem ?? "Bad report query.");
        return File(ReportCsv.StepTimes(Report), ReportCsv.ContentType, $"step-times-{Report.Range.FromText}-{Report.Range.ToText}.csv");
    }

    public Dictionary<string, string> Query() => new()
    {
        ["handler"] = "Csv",
        ["from"] = Report!.Range.FromText,
        ["to"] = Report.Range.ToText,
        ["kiosk"] = Kiosk ?? "",
    };

    /// <summary>"12.3 s", or "–" when nothing was measured.</summary>
    public static string Seconds(long? ms) =>
        ms is { } v ? (v / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s" : "–";

    public static string Share(double? share) =>
        share is { } s ? (s * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " %" : "–";

    private void Load()
    {
        using (var c = db.Open())
            Kiosks = c.Query<(string, string)>("SELECT kiosk_id, name FROM kiosks ORDER BY kiosk_id").ToList();
        if (string.IsNullOrEmpty(Kiosk)) Kiosk = null;
        if (Kiosk is not null && !Kiosks.Any(k => k.Id == Kiosk))
        {
            Problem = "No such kiosk in the register.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var (range, problem) = DayRange.Parse(From, To, time);
        if (range is null)
        {
            Problem = problem;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        (From, To) = (range.FromText, range.ToText);
        Report = reports.StepTimes(range, Kiosk);
    }
}
