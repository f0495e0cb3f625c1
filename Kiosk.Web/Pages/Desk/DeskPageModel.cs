using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Node.Staff;
using Kiosk.Web.Desk;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Desk;

/// <summary>The desk's services (regulation diagram 2, process 2: "the employee chooses the service").</summary>
public static class DeskServices
{
    public const string HomeCall = "home-call";
    public const string Appointment = "appointment";
    public const string Attachment = "attachment";

    public static IReadOnlyList<string> All { get; } = [HomeCall, Appointment, Attachment];

    /// <summary>The form page of a service.</summary>
    public static string FormPath(string service) => "/desk/" + service;
}

/// <summary>
/// A page of the desk: the registrar signed in (the folder's policy), the clinic this node serves and the case of the
/// citizen being served (<see cref="DeskCases"/>). Pages without a case go back to the desk's start.
/// </summary>
public abstract class DeskPageModel(DeskCases cases, StaffStore staff) : PageModel
{
    public const string StartPath = "/desk";

    protected DeskCases Cases { get; } = cases;

    public DeskCase Case { get; private set; } = null!;

    public NodeClinic? Clinic { get; private set; }

    /// <summary>The signed-in registrar's IIN (the folder's policy made sure there is one).</summary>
    protected Iin Registrar => StaffClaims.IinOf(User) ?? throw new InvalidOperationException("No staff IIN in the session.");

    /// <summary>Null when there is a case (of <paramref name="service"/>, when given); else where to go instead.</summary>
    protected IActionResult? LoadCase(string? service = null)
    {
        Clinic = staff.Clinic();
        if (Cases.Get(HttpContext) is not { } current || (service is not null && current.Service != service)) return Redirect(StartPath);
        Case = current;
        return null;
    }

    protected void Keep(DeskCase updated)
    {
        Case = updated;
        Cases.Set(HttpContext, updated);
    }

    /// <summary>Starts a table-2 step of this case (<see cref="DeskStepClock"/>): once per case.</summary>
    protected void StartStep(string step) => Keep(Clock.Start(Case, step));

    /// <summary>The case with a table-2 step ended and recorded, once (keep it with <see cref="Keep"/>).</summary>
    protected DeskCase StopStep(DeskCase desk, string step) => Clock.Stop(desk, step);

    private DeskStepClock Clock => HttpContext.RequestServices.GetRequiredService<DeskStepClock>();
}
