using System.Globalization;
using Kiosk.Web.SignIn;
using Kiosk.Web.Slips;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Pages.Slips;

/// <summary>
/// A slip, laid out for an 80 mm thermal roll (issue 6 item 3), as <see cref="SlipView"/> reads it from its signed
/// token. Only the signed-in citizen whose request it is sees it. "Print" goes through the browser's print path (the
/// kiosk's browser prints silently to its receipt printer).
/// </summary>
public sealed class IndexModel(
    SlipIssuing issuing, Kiosk.Node.ReferenceStore reference, IOptions<SlipOptions> options, IStringLocalizer<SharedResource> text, ILogger<IndexModel> logger) : PageModel
{
    public const string PathFormat = "/slips/{0:D}/{1}";

    public static string PathOf(Guid requestId, string kind) => string.Format(CultureInfo.InvariantCulture, PathFormat, requestId, kind);

    public SlipView Slip { get; private set; } = null!;

    public IActionResult OnGet(Guid requestId, string kind)
    {
        var citizen = HttpContext.GetCitizen();
        if (citizen is null) return Redirect("/");
        if (issuing.RequestOf(requestId) is not { } document || document.ApplicantIin != citizen.Iin)
        {
            logger.LogWarning("Slip refused: the request is not the signed-in citizen's ({Kind})", kind);
            return NotFound();
        }
        if (SlipView.For(requestId, kind, issuing, reference, options, text) is not { } slip) return NotFound();
        Slip = slip;
        return Page();
    }
}
