using Kiosk.Node;
using Kiosk.Web.Slips;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Pages.Desk;

/// <summary>
/// The 80 mm slip of a request of this node, for the registrar to print or reprint (DESIGN §1: staff reprint slips):
/// the same slip the citizen's screen prints (<see cref="SlipView"/>). The request id is no personal data.
/// </summary>
public sealed class SlipModel(SlipIssuing issuing, ReferenceStore reference, IOptions<SlipOptions> options, IStringLocalizer<SharedResource> text) : PageModel
{
    public SlipView Slip { get; private set; } = null!;

    public IActionResult OnGet(Guid requestId, string kind)
    {
        if (issuing.RequestOf(requestId) is null || SlipView.For(requestId, kind, issuing, reference, options, text) is not { } slip) return NotFound();
        Slip = slip;
        return Page();
    }
}
