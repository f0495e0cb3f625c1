using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Error;

/// <summary>
/// Shown for an unknown address, a refused form, a too-large upload or a failure, in the citizen's language, with the
/// way home. Re-executed by the status-code and exception middleware for any method, so it takes no token.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class IndexModel : PageModel
{
    public int Code { get; private set; }

    public bool IsNotFound => Code == StatusCodes.Status404NotFound;

    // No bound parameters: a re-executed POST must not read its form (which may carry a refused antiforgery token).
    public void OnGet()
    {
        // /error/404 from the status-code pages; plain /error from the exception handler, which set the status.
        var status = int.TryParse(RouteData.Values["code"] as string, out var code) ? code : Response.StatusCode;
        Code = status is >= 400 and <= 599 ? status : StatusCodes.Status500InternalServerError;
    }

    public void OnPost() => OnGet();
}
