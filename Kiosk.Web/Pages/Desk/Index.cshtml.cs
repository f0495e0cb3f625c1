using Kiosk.Node.Staff;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Desk;

/// <summary>The registrar's desk (regulation diagram 2): where a registrar serves a citizen. Registrars only (the folder's policy).</summary>
public sealed class IndexModel(StaffStore staff) : PageModel
{
    /// <summary>The clinic this node serves, as Central last said; null: Central has not linked this kiosk to a clinic.</summary>
    public NodeClinic? Clinic { get; private set; }

    public void OnGet() => Clinic = staff.Clinic();
}
