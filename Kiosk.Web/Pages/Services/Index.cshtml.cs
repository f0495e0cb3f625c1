using System.Globalization;
using Kiosk.Web.Pages.Start;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Services;

/// <summary>
/// The signed-in landing page of a service whose form is not built yet: greets the citizen by name with the masked IIN
/// and says that the service's form comes next. The home call has its own form at the literal route
/// <c>/services/home-call</c> (Pages/Services/HomeCall), which wins over this page's <c>/services/{code}</c>. Without a signed-in citizen it goes back to the start.
/// Like every page it is sent <c>Cache-Control: no-store</c> (KioskHeaders).
/// </summary>
public sealed class IndexModel : PageModel
{
    public ServiceChoice Service { get; private set; } = ServiceMenu.HomeCall;

    public string DisplayName { get; private set; } = "";

    public string MaskedIin { get; private set; } = "";

    public IActionResult OnGet(string? code)
    {
        var citizen = HttpContext.GetCitizen();
        if (citizen is null) return RedirectToPage("/Start/Index");
        var service = ServiceMenu.Find(code);
        if (service is null) return NotFound();
        if (service.Code != citizen.ServiceCode) HttpContext.ChooseService(service.Code);
        Service = service;
        DisplayName = citizen.DisplayName(CultureInfo.CurrentCulture);
        MaskedIin = citizen.Iin.Masked;
        return Page();
    }
}
