using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Web.Journals;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Desk.Journals;

/// <summary>
/// The clinic's journal of home calls for a day (regulation, home call, process 8: "the record in the journal of
/// registration of calls"): every call with its number, time received, citizen (masked IIN, name), address, channel and
/// status, from Central. Home calls have no assigned doctor, so this journal is filtered by day only.
/// </summary>
public sealed class HomeCallsModel(StaffStore staff, ReferenceStore reference, TimeProvider time, IStringLocalizer<SharedResource> t,
    CentralJournals journals) : JournalPageModel(staff, reference, time, t)
{
    public const string Path = "/desk/journals/home-calls";

    public override string PagePath => Path;

    public HomeCallJournal? Journal { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!Prepare()) return;
        var fetch = await journals.HomeCallsAsync(Day, cancellationToken);
        Journal = fetch.Journal;
        Show(fetch.Outcome);
    }

    /// <summary>The status cell: accepted with the visit's window, refused with the reason.</summary>
    public string StatusText(HomeCallJournalEntry e) => e.Status switch
    {
        "accepted" when e.Visit is { } v => T["Journal.Status.accepted.home-call"] + ", " + T["Journal.Visit", v.From, v.To],
        "accepted" => T["Journal.Status.accepted.home-call"],
        "refused" => T["Journal.Status.refused"] + ": " + ReasonText(e.Reason),
        "registered" => T["Journal.Status.registered"],
        var other => other,
    };
}
