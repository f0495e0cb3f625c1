using Dapper;
using Kiosk.Central.Feedback;
using Kiosk.Core.Requests;
using Kiosk.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Central.Pages.Reports;

/// <summary>
/// The operators' survey page (issue 12 item 5; docs/survey-and-step-times.md "The operators' pages"): appendix 3's
/// answers per service, clinic and Astana month in the period chosen — the server-rendered SVG chart inline (no
/// script), the same figures as a table, and the CSV of exactly what is shown (<c>?handler=Csv</c>, the page's own
/// session; the bearer-token API <c>/api/reports/survey.csv</c> stays for scripts).
/// </summary>
public sealed class SurveyModel(FeedbackReports reports, SqliteDatabase db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Service { get; set; }
    [BindProperty(SupportsGet = true)] public long? Clinic { get; set; }

    public SurveyReport? Report { get; private set; }
    public string? Problem { get; private set; }
    public IReadOnlyList<(long Id, string Name)> Clinics { get; private set; } = [];

    public IActionResult OnGet()
    {
        Load();
        return Page();
    }

    public IActionResult OnGetCsv()
    {
        Load();
        if (Report is null) return BadRequest(Problem ?? "Bad report query.");
        return File(ReportCsv.Survey(Report), ReportCsv.ContentType, $"survey-{Report.Range.FromText}-{Report.Range.ToText}.csv");
    }

    /// <summary>The filters' values for the CSV link (the same report as the page).</summary>
    public Dictionary<string, string> Query() => new()
    {
        ["handler"] = "Csv",
        ["from"] = Report!.Range.FromText,
        ["to"] = Report.Range.ToText,
        ["service"] = Service ?? "",
        ["clinic"] = Clinic?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private void Load()
    {
        using (var c = db.Open())
            Clinics = c.Query<(long, string)>("SELECT id, name_en FROM clinics ORDER BY id").ToList();
        if (string.IsNullOrEmpty(Service)) Service = null;
        if (Service is not null && !RequestKinds.All.Contains(Service))
        {
            Problem = "Choose one of the three services, or all of them.";
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
        Report = reports.Survey(range, Service, Clinic);
    }
}
