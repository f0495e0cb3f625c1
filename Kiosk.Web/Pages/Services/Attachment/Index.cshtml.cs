using System.Globalization;
using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.SignIn;
using Kiosk.Web.Pages.Start;
using Kiosk.Web.Requests;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Services.Attachment;

/// <summary>
/// «Прикрепление к медицинской организации ПМСП» (issue 5 item 2) at <c>/services/attachment</c>: the clinic the
/// citizen is attached to (from Central, asked on every visit), then step 1, the reason (voluntary; change of
/// residence with the new address and its district; first attachment), and step 2, the clinics that serve the district
/// (the new one on a change of residence, else the registry's) from the kiosk's reference data with address, hours and
/// how many people each serves. Choosing one makes the draft and goes to the review. Without Central the kiosk cannot
/// say the current clinic or district, so every clinic it knows is offered and Central decides.
/// </summary>
public sealed class IndexModel(IStringLocalizer<SharedResource> t, ReferenceStore reference, CitizenClinicLookup clinics) : PageModel
{
    public const string PagePath = "/services/attachment";

    public string DisplayName { get; private set; } = "";

    public string MaskedIin { get; private set; } = "";

    public CitizenClinic Known { get; private set; } = CitizenClinic.Unknown;

    public KioskClinic? Current { get; private set; }

    /// <summary>The reason given in step 1 (null: step 1).</summary>
    public AttachmentReasonChoice? Choice { get; private set; }

    public IReadOnlyList<KioskClinic> Clinics { get; private set; } = [];

    public IReadOnlyList<ReferenceDistrictRow> Districts { get; private set; } = [];

    /// <summary>The reasons offered: first attachment only to someone Central knows as unattached (or when it cannot say).</summary>
    public IReadOnlyList<string> Reasons { get; private set; } = AttachmentReasons.All;

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? NewAddress { get; set; }

    [BindProperty]
    public string? NewDistrict { get; set; }

    public List<ShownProblem> Problems { get; } = [];

    public string Language => KioskLanguages.Current;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        Kiosk.Web.Feedback.StepClock.Start(HttpContext, Kiosk.Core.Feedback.StepCatalogue.Form, SigningServices.Attachment);
        // Central is asked afresh at step 1; step 2 uses the session's answer.
        Known = HttpContext.GetCitizenItem<AttachmentReasonChoice>() is null
            ? await clinics.RefreshAsync(HttpContext)
            : await clinics.KnownAsync(HttpContext);
        Show();
        if (Choice is { } choice)
        {
            Reason = choice.Reason;
            NewAddress = choice.NewAddress;
            NewDistrict = choice.NewDistrict;
        }
        return Page();
    }

    /// <summary>Step 1: the reason (and on a change of residence the new address and district).</summary>
    public async Task<IActionResult> OnPostReasonAsync()
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        var (choice, problems) = AttachmentForm.Check(Reason, NewAddress, NewDistrict, reference.Districts().Select(d => d.Code).ToHashSet());
        if (choice is null)
        {
            Known = await clinics.KnownAsync(HttpContext);
            HttpContext.SetCitizenItem<AttachmentReasonChoice>(null);
            Show();
            foreach (var (field, code) in problems) Problems.Add(new ShownProblem(code, Message(code), field));
            return Page();
        }
        HttpContext.SetCitizenItem(choice);
        return Redirect(PagePath);
    }

    /// <summary>Back to step 1.</summary>
    public IActionResult OnPostChangeReason()
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        HttpContext.SetCitizenItem<AttachmentReasonChoice>(null);
        return Redirect(PagePath);
    }

    /// <summary>Step 2: a clinic of the list shown; makes the draft.</summary>
    public async Task<IActionResult> OnPostClinicAsync(long clinicId)
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        Known = await clinics.KnownAsync(HttpContext);
        Show();
        if (Choice is not { } choice || Clinics.All(c => c.Id != clinicId) || clinicId == Known.ClinicId) return Redirect(PagePath);
        var current = HttpContext.GetCitizenItem<AttachmentDraft>();
        var draft = new AttachmentDraft(Guid.NewGuid(), clinicId, choice.Reason, choice.NewAddress, choice.NewDistrict);
        // The same choice again keeps its request id (a retry of the signature); another choice is another request.
        if (current is not null && current with { RequestId = draft.RequestId } == draft) draft = current;
        HttpContext.SetCitizenItem(draft);
        return Redirect(ReviewModel.PagePath);
    }

    public IReadOnlyList<ClinicHoursRow> HoursOf(long clinicId) => reference.HoursOf(clinicId);

    public string DistrictName(string? code) =>
        Districts.FirstOrDefault(d => d.Code == code) is { } d ? (Language switch { "kk" => d.NameKk, "en" => d.NameEn, _ => d.NameRu }) : code ?? "";

    public IReadOnlyList<ShownProblem> ErrorsFor(string field) => Problems.Where(p => p.Field == field).ToList();

    private void Show()
    {
        Current = Known.ClinicId is { } id ? reference.Clinic(id) : null;
        Districts = reference.Districts();
        Choice = HttpContext.GetCitizenItem<AttachmentReasonChoice>();
        if (Known.FromCentral)
            Reasons = Known.ClinicId is null ? [AttachmentReasons.FirstAttachment, AttachmentReasons.ChangeOfResidence]
                : [AttachmentReasons.Voluntary, AttachmentReasons.ChangeOfResidence];
        if (Choice is { } choice && !Reasons.Contains(choice.Reason)) Choice = null;
        if (Choice is null) return;
        var district = Choice.NewDistrict ?? Known.District;
        Clinics = district is not null ? reference.ClinicsServing(district).Items : reference.Clinics().Items;
    }

    private string Message(string code) => code switch
    {
        AttachmentForm.Codes.ReasonMissing => t["Attachment.Error.ReasonMissing"],
        AttachmentForm.Codes.AddressMissing => t["HomeCall.Error.AddressMissing"],
        AttachmentForm.Codes.AddressTooShort => t["HomeCall.Error.AddressTooShort"],
        AttachmentForm.Codes.AddressTooLong => t["HomeCall.Error.AddressTooLong", AttachmentDetails.MaxAddressLength],
        AttachmentForm.Codes.DistrictMissing => t["Attachment.Error.DistrictMissing"],
        _ => code,
    };

    private bool Load()
    {
        var citizen = HttpContext.GetCitizen();
        if (citizen is null) return false;
        if (citizen.ServiceCode != ServiceMenu.Attachment.Code) HttpContext.ChooseService(ServiceMenu.Attachment.Code);
        DisplayName = citizen.DisplayName(CultureInfo.CurrentCulture);
        MaskedIin = citizen.Iin.Masked;
        return true;
    }
}
