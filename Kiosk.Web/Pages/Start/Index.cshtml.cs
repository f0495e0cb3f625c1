using Kiosk.Web.Infrastructure;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Start;

/// <summary>The attract screen: the three services and "check my request".</summary>
public sealed class IndexModel : PageModel
{
    /// <summary>Remembers the choice in the session and asks the citizen to sign in.</summary>
    public IActionResult OnPostChoose(string? service)
    {
        var choice = ServiceMenu.Find(service);
        if (choice is null) return RedirectToPage();
        // Someone already signed in goes straight to the service; everyone else signs in first.
        if (HttpContext.GetCitizen() is not null)
        {
            HttpContext.ChooseService(choice.Code);
            return Redirect(Pages.SignIn.IndexModel.ServicePath(choice.Code));
        }
        HttpContext.Session.SetChosenService(choice.Code);
        return RedirectToPage("/SignIn/Index");
    }
}
