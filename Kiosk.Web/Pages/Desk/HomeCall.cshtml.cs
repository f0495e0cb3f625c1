using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Web.Desk;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.Services.HomeCall;
using Kiosk.Web.Pages.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Desk;

/// <summary>
/// The home call filled in by the registrar (diagram 2, process 5): the address starts as the registry holds it, the
/// registrar completes the phone, the reason and a note, and confirms the citizen's identity document. Checked as the
/// kiosk's form is (<see cref="HomeCallForm"/>); a good form goes to the review and signature.
/// </summary>
public sealed class HomeCallModel(IStringLocalizer<SharedResource> t, DeskCases cases, StaffStore staff, ReferenceStore reference)
    : DeskPageModel(cases, staff)
{
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public bool IdentityChecked { get; set; }

    public List<ShownProblem> Problems { get; } = [];

    public string? ClinicName => Case.Citizen.ClinicId is { } id ? reference.Clinic(id)?.Name(KioskLanguages.Current) : null;

    public IActionResult OnGet()
    {
        if (LoadCase(DeskServices.HomeCall) is { } away) return away;
        StartStep(Kiosk.Core.Feedback.StepCatalogue.DeskForm); // table 2, action 5 (the form half)
        IdentityChecked = Case.IdentityChecked;
        if (Case.Details is Kiosk.Core.Requests.HomeCallDetails d)
            (Address, Phone, Reason, Note) = (d.Address, d.Phone, d.ReasonCode, d.Note);
        else
            Address = Case.Citizen.Address;
        return Page();
    }

    public IActionResult OnPost()
    {
        if (LoadCase(DeskServices.HomeCall) is { } away) return away;
        var (draft, problems) = HomeCallForm.Check(Case.RequestId, Address, Phone, Reason, Note);
        foreach (var (field, code) in problems) Problems.Add(new ShownProblem(code, Message(code), field));
        if (!IdentityChecked) Problems.Add(new ShownProblem("identity-unchecked", t["Desk.Error.IdentityUnchecked"], "Identity"));
        if (draft is null || Problems.Count > 0) return Page();
        Keep(StopStep(Case with { IdentityChecked = true, Details = draft.ToDetails() }, Kiosk.Core.Feedback.StepCatalogue.DeskForm));
        return Redirect(ReviewModel.PagePath);
    }

    public IReadOnlyList<ShownProblem> ErrorsFor(string field) => Problems.Where(p => p.Field == field).ToList();

    private string Message(string code) => HomeCallForm.Message(t, code);
}
