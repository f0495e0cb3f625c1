using Kiosk.Node.Staff;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Desk.Journals;

/// <summary>The desk's journals (issue 12 item 3): the home-call journal or the appointment journal. Registrars only.</summary>
public sealed class IndexModel(StaffStore staff) : PageModel
{
    public NodeClinic? Clinic { get; private set; }

    public void OnGet() => Clinic = staff.Clinic();
}
