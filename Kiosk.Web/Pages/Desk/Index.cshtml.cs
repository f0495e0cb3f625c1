using Kiosk.Node.Staff;
using Kiosk.Web.Desk;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Desk;

/// <summary>
/// The registrar's desk (regulation diagram 2, process 2): choose the service for the citizen in front of the desk;
/// a case already open can be resumed or closed. Registrars only (the folder's policy).
/// </summary>
public sealed class IndexModel(StaffStore staff, DeskCases cases) : PageModel
{
    /// <summary>The clinic this node serves, as Central last said; null: Central has not linked this kiosk to a clinic.</summary>
    public NodeClinic? Clinic { get; private set; }

    public DeskCase? Open { get; private set; }

    public void OnGet()
    {
        Clinic = staff.Clinic();
        Open = cases.Get(HttpContext);
    }

    /// <summary>Closes the open case: the next citizen.</summary>
    public IActionResult OnPostClose()
    {
        cases.Clear(HttpContext);
        return RedirectToPage();
    }
}
