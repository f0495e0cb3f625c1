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

    public void OnGet(int? code) => Code = code is >= 400 and <= 599 ? code.Value : StatusCodes.Status500InternalServerError;

    public void OnPost(int? code) => OnGet(code);
}
