using Kiosk.Core.Feedback;
using Kiosk.Core.Identity;
using Kiosk.Node.Staff;
using Kiosk.Web.Desk;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Desk;

/// <summary>
/// Regulation diagram 2, processes 2–4: the registrar types the citizen's IIN for the chosen service and the node asks
/// Central's population registry live (<see cref="DeskRegistryLookup"/>). Found: a new case with the registry's record
/// and the form pre-filled from it. Not found, deceased, or Central out of reach: the regulation's "the data of the
/// person cannot be obtained", with the reason; nothing is queued. The IIN is posted, never put in a URL.
/// </summary>
public sealed class CitizenModel(
    IStringLocalizer<SharedResource> t, DeskRegistryLookup registry, DeskCases cases, StaffStore staff, DeskStepClock clock, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    [BindProperty]
    public string? Iin { get; set; }

    /// <summary>The process-4 refusal or the input problem, as a code (<c>data-problem</c>) and its words.</summary>
    public string? ProblemCode { get; private set; }
    public string? ProblemText { get; private set; }

    public IActionResult OnGet()
    {
        if (!DeskServices.All.Contains(Service) || staff.Clinic() is null) return Redirect(DeskPageModel.StartPath);
        clock.StopBeforeCase(HttpContext, StepCatalogue.ServiceChoice, Service); // table 2, action 2
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!DeskServices.All.Contains(Service) || staff.Clinic() is null) return Redirect(DeskPageModel.StartPath);
        var typed = Iin?.Trim() ?? "";
        if (typed.Length == 0) return Problem("iin-missing", t["Desk.Citizen.Error.Missing"]);
        if (!Core.Identity.Iin.TryParse(typed, out var iin)) return Problem("iin-invalid", t["Desk.Citizen.Error.Invalid"]);

        // Table 2, action 3: timed only when the registry answered (no answer at all is Central's outage, not a registry time).
        var lookup = await clock.TimeAsync(StepCatalogue.RegistryLookup, Service!, () => registry.FindAsync(iin, HttpContext.RequestAborted),
            l => l.Outcome is not DeskLookupOutcome.Unavailable);
        switch (lookup.Outcome)
        {
            case DeskLookupOutcome.Found:
                cases.Set(HttpContext, new DeskCase(Guid.NewGuid(), Service!, lookup.Citizen!, time.GetUtcNow()));
                return Redirect(DeskServices.FormPath(Service!));
            case DeskLookupOutcome.NotInRegistry:
                return Problem("not-in-registry", t["Desk.Process4", t["Desk.Process4.NotInRegistry"]]);
            case DeskLookupOutcome.Deceased:
                return Problem("deceased", t["Desk.Process4", t["Desk.Process4.Deceased"]]);
            default:
                return Problem("registry-unavailable", t["Desk.Process4", t["Desk.Process4.Unavailable"]]);
        }
    }

    private PageResult Problem(string code, string text)
    {
        ProblemCode = code;
        ProblemText = text;
        return Page();
    }
}
