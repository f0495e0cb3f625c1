using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Web.Desk;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.Services.Attachment;
using Kiosk.Web.Pages.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Desk;

/// <summary>
/// An attachment filed by the registrar (diagram 2, process 5): to this clinic, for the reason the citizen gives —
/// voluntary, change of residence (with the new address and its district) or a first attachment — checked as the
/// kiosk's form is (<see cref="AttachmentForm"/>). Central decides: the clinic serves the district, the yearly limit.
/// </summary>
public sealed class AttachmentModel(IStringLocalizer<SharedResource> t, DeskCases cases, StaffStore staff, ReferenceStore reference)
    : DeskPageModel(cases, staff)
{
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? NewAddress { get; set; }
    [BindProperty] public string? NewDistrict { get; set; }
    [BindProperty] public bool IdentityChecked { get; set; }

    public List<ShownProblem> Problems { get; } = [];
    public IReadOnlyList<ReferenceDistrictRow> Districts { get; private set; } = [];
    public string? ClinicName => Clinic is { } k ? reference.Clinic(k.Id)?.Name(KioskLanguages.Current) : null;
    public string? CitizenClinicName => Case.Citizen.ClinicId is { } id ? reference.Clinic(id)?.Name(KioskLanguages.Current) : null;
    public bool AlreadyHere => Clinic is { } k && Case.Citizen.ClinicId == k.Id;

    public IActionResult OnGet()
    {
        if (LoadCase(DeskServices.Attachment) is { } away) return away;
        StartStep(Kiosk.Core.Feedback.StepCatalogue.DeskForm); // table 2, action 5 (the form half)
        Districts = reference.Districts();
        IdentityChecked = Case.IdentityChecked;
        if (Case.Details is AttachmentDetails d) (Reason, NewAddress, NewDistrict) = (d.Reason, d.NewAddress, d.NewDistrict);
        else Reason = Case.Citizen.ClinicId is null ? AttachmentReasons.FirstAttachment : null;
        return Page();
    }

    public IActionResult OnPost()
    {
        if (LoadCase(DeskServices.Attachment) is { } away) return away;
        Districts = reference.Districts();
        var (choice, problems) = AttachmentForm.Check(Reason, NewAddress, NewDistrict, Districts.Select(d => d.Code).ToList());
        foreach (var (field, code) in problems) Problems.Add(new ShownProblem(code, Message(code), field));
        if (!IdentityChecked) Problems.Add(new ShownProblem("identity-unchecked", t["Desk.Error.IdentityUnchecked"], "Identity"));
        if (choice is null || Problems.Count > 0 || Clinic is null) return Page();
        Keep(StopStep(Case with { IdentityChecked = true, Details = new AttachmentDetails(Clinic.Id, choice.Reason, choice.NewAddress, choice.NewDistrict) }, Kiosk.Core.Feedback.StepCatalogue.DeskForm));
        return Redirect(ReviewModel.PagePath);
    }

    public IReadOnlyList<ShownProblem> ErrorsFor(string field) => Problems.Where(p => p.Field == field).ToList();

    private string Message(string code) => code switch
    {
        AttachmentForm.Codes.ReasonMissing => t["Attachment.Error.ReasonMissing"],
        AttachmentForm.Codes.AddressMissing => t["HomeCall.Error.AddressMissing"],
        AttachmentForm.Codes.AddressTooShort => t["HomeCall.Error.AddressTooShort"],
        AttachmentForm.Codes.AddressTooLong => t["HomeCall.Error.AddressTooLong", AttachmentDetails.MaxAddressLength],
        AttachmentForm.Codes.DistrictMissing => t["Attachment.Error.DistrictMissing"],
        _ => code,
    };
}
