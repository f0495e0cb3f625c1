using Kiosk.Web.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Staff;

/// <summary>Ends the staff session: a POST with its antiforgery token (the sign-out button, or the idle timer of the
/// staff pages); a GET only goes to the sign-in.</summary>
public sealed class SignOutModel(Kiosk.Web.Desk.DeskCases cases, ILogger<SignOutModel> logger) : PageModel
{
    /// <summary>Set by the staff pages' idle timer, so the sign-in can say why.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Idle { get; set; }

    public IActionResult OnGet() => Redirect(StaffAuthentication.SignInPath);

    public async Task<IActionResult> OnPostAsync()
    {
        var signedIn = User.Identity?.IsAuthenticated == true;
        cases.Clear(HttpContext); // the citizen being served at the desk goes with the session
        await HttpContext.SignOutAsync(StaffAuthentication.CookieScheme);
        if (signedIn) logger.LogInformation("Staff signed out at the node ({Why})", Idle ? "idle" : "sign-out button");
        return Redirect(StaffAuthentication.SignInPath + (Idle ? "?idle=true" : ""));
    }
}
