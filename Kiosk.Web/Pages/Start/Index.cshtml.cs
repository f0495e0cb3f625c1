using Kiosk.Web.Infrastructure;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Start;

/// <summary>The attract screen: the three services, "check my request", and the clinic's notices valid now.</summary>
public sealed class IndexModel(StartNotices notices) : PageModel
{
    /// <summary>The notices to show (none: the screen has no notices section at all).</summary>
    public IReadOnlyList<NoticeView> Notices { get; private set; } = [];

    public void OnGet() => Notices = notices.For(KioskLanguages.Current);

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
