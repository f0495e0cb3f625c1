using Kiosk.Node.Staff;
using Kiosk.Web.Desk;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Desk;

/// <summary>
/// The registrar's desk (regulation diagram 2, process 2): choose the service for the citizen in front of the desk;
/// a case already open can be resumed or closed. Registrars only (the folder's policy).
/// </summary>
public sealed class IndexModel(StaffStore staff, DeskCases cases, DeskStepClock clock) : PageModel
{
    /// <summary>The clinic this node serves, as Central last said; null: Central has not linked this kiosk to a clinic.</summary>
    public NodeClinic? Clinic { get; private set; }

    public DeskCase? Open { get; private set; }

    public void OnGet()
    {
        Clinic = staff.Clinic();
        Open = cases.Get(HttpContext);
        // Table 2, action 2: the menu is shown until a service is chosen (not while a case waits to be resumed).
        if (Clinic is not null && Open is null) clock.StartBeforeCase(HttpContext, Kiosk.Core.Feedback.StepCatalogue.ServiceChoice);
    }

    /// <summary>Closes the open case: the next citizen.</summary>
    public IActionResult OnPostClose()
    {
        cases.Clear(HttpContext);
        return RedirectToPage();
    }
}
