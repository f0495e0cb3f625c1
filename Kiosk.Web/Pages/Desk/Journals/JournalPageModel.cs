using System.Globalization;
using Kiosk.Core.Services;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Journals;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Desk.Journals;

/// <summary>The papers a journal prints on (<c>?paper=</c>): A4 sheets (a table) or the 80 mm receipt roll (stacked entries).</summary>
public static class JournalPapers
{
    public const string A4 = "a4";
    public const string Receipt = "80mm";

    public static string? Parse(string? paper) => paper is A4 or Receipt ? paper : null;
}

/// <summary>
/// A journal page of the desk (issue 12 item 3; regulation process 8): registrars only (the <c>/Desk</c> folder's policy).
/// The query holds only the day (<c>date=yyyy-MM-dd</c>, default today in Astana), a doctor's id and the paper; the
/// entries come from Central live (<see cref="CentralJournals"/>) and are not kept.
/// </summary>
public abstract class JournalPageModel(StaffStore staff, ReferenceStore reference, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    public const string IndexPath = "/desk/journals";

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Date { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Paper { get; set; }

    protected IStringLocalizer<SharedResource> T { get; } = t;
    protected ReferenceStore Reference { get; } = reference;

    /// <summary>The clinic this node serves; null: Central has not linked it to one (no journals then).</summary>
    public NodeClinic? Clinic { get; private set; }

    public string ClinicName { get; private set; } = "";
    public DateOnly Day { get; private set; }
    public DateOnly Today { get; private set; }

    /// <summary><see cref="JournalPapers.A4"/>, <see cref="JournalPapers.Receipt"/>, or null for the screen.</summary>
    public string? PaperChosen { get; private set; }

    /// <summary>What the page shows instead of the journal, with its code (the <c>data-problem</c> attribute).</summary>
    public (string Code, string Text)? Problem { get; protected set; }

    /// <summary>Astana time now, for the printed header.</summary>
    public string PrintedAt => AstanaTime.ToLocal(time.GetUtcNow()).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    public string DayText => Day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    /// <summary>The page's own path (for the filter form and the links).</summary>
    public abstract string PagePath { get; }

    /// <summary>The day and paper from the query; false when the journal cannot be asked for (no clinic, a bad date).</summary>
    protected bool Prepare()
    {
        Clinic = staff.Clinic();
        Today = AstanaTime.Today(time);
        Day = Today;
        PaperChosen = JournalPapers.Parse(Paper);
        if (Clinic is null)
        {
            Problem = ("no-clinic", T["Journal.NoClinic"]);
            return false;
        }
        ClinicName = Reference.Clinic(Clinic.Id)?.Name(KioskLanguages.Current) ?? "№ " + Clinic.Id.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(Date))
        {
            if (!DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                Problem = ("date-invalid", T["Journal.Error.Date"]);
                return false;
            }
            Day = day;
        }
        return true;
    }

    /// <summary>Central's answer: the problem to show when there is no journal.</summary>
    protected void Show(JournalOutcome outcome)
    {
        Problem = outcome switch
        {
            JournalOutcome.NoClinic => ("no-clinic", T["Journal.NoClinic"]),
            JournalOutcome.Unavailable => ("central-unavailable", T["Journal.Unavailable"]),
            _ => null,
        };
    }

    /// <summary>The query string for another day or paper, keeping the rest of the filter.</summary>
    public string Link(DateOnly? day = null, string? paper = null, bool keepPaper = false) =>
        PagePath + "?" + string.Join("&", QueryParts(day ?? Day).Append(paper is not null ? "paper=" + paper : keepPaper && PaperChosen is { } p ? "paper=" + p : null)
            .Where(x => x is not null));

    protected virtual IEnumerable<string?> QueryParts(DateOnly day) => ["date=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];

    /// <summary>The journal's words for a channel.</summary>
    public string Channel(string channel) => channel is "kiosk" or "desk" ? T["Journal.Channel." + channel] : channel;

    /// <summary>A refusal's reason in the page's language (the code itself when this node does not know it).</summary>
    public static string ReasonText(string? code) =>
        code is null ? "" : RefusalReasons.Has(code) ? RefusalReasons.For(code, KioskLanguages.Current) : code;
}

/// <summary>What the printed header of a journal says (<c>_JournalPrintHead.cshtml</c>).</summary>
public sealed record JournalPrintHeader(JournalPageModel Page, string Title, string? Doctor, int Count);
