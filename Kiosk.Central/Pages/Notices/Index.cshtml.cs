using Kiosk.Central.Notices;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Central.Pages.Notices;

/// <summary>
/// The operators' list of clinic notices (issue 12 item 4; docs/notices.md "The operators' pages"): every notice,
/// newest first, with its clinics, its window on Astana's clock and where it stands now.
/// </summary>
public sealed class IndexModel(NoticeService notices, TimeProvider time) : PageModel
{
    public const string PagePath = "/notices";

    public IReadOnlyList<StoredNotice> Notices { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>Set after a save or a withdrawal (post/redirect/get): which notice, and what happened.</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public long? Saved { get; set; }

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public long? Withdrawn { get; set; }

    public void OnGet()
    {
        Now = time.GetUtcNow();
        Notices = notices.List(new NoticeQuery(Limit: 500));
    }

    public static string StateText(NoticeState state) => state switch
    {
        NoticeState.Scheduled => "scheduled",
        NoticeState.Current => "shown now",
        NoticeState.Over => "over",
        _ => "withdrawn",
    };

    /// <summary>The title an operator recognises: Russian, else Kazakh, else English.</summary>
    public static string TitleOf(StoredNotice n) =>
        n.Title.Ru.Length > 0 ? n.Title.Ru : n.Title.Kk.Length > 0 ? n.Title.Kk : n.Title.En;
}
