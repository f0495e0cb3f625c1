using Kiosk.Central.Operators;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Central.Pages.Staff;

/// <summary>Ends the staff session (a POST with the antiforgery token; a GET only goes back to the sign-in).</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect(OperatorPages.SignInPath);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(OperatorPages.CookieScheme);
        return Redirect(OperatorPages.SignInPath);
    }
}
