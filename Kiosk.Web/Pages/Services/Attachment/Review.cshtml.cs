using Kiosk.Node;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.SignIn;
using Kiosk.Web.Requests;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Services.Attachment;

/// <summary>Review and sign an attachment (issue 5 item 2): the clinic, the reason, the new address and district; the
/// signing is the step every service shares (<see cref="SigningPageModel"/>).</summary>
[RequestSizeLimit(SignInInput.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = SignInInput.MaxRequestBytes, MemoryBufferThreshold = (int)SignInInput.MaxRequestBytes)]
public sealed class ReviewModel(IStringLocalizer<SharedResource> t, RequestSigning signing, ReferenceStore reference) : SigningPageModel(t, signing)
{
    public const string PagePath = "/services/attachment/review";

    public AttachmentDraft Draft { get; private set; } = null!;

    public KioskClinic? Clinic { get; private set; }

    public string? DistrictName { get; private set; }

    protected override string Service => SigningServices.Attachment;

    protected override string FormPath => IndexModel.PagePath;

    protected override string AcceptedPath => AcceptedModel.PagePath;

    protected override PendingRequest? LoadPending()
    {
        if (HttpContext.GetCitizenItem<AttachmentDraft>() is not { } draft) return null;
        Draft = draft;
        Clinic = reference.Clinic(draft.ClinicId);
        if (draft.NewDistrict is { } code && reference.Districts().FirstOrDefault(d => d.Code == code) is { } d)
            DistrictName = KioskLanguages.Current switch { "kk" => d.NameKk, "en" => d.NameEn, _ => d.NameRu };
        return new PendingRequest(draft.RequestId, draft.ToDetails());
    }

    protected override void ClearDraft()
    {
        HttpContext.SetCitizenItem<AttachmentDraft>(null);
        HttpContext.SetCitizenItem<AttachmentReasonChoice>(null);
        // The attachment is about to change: the appointment screen must ask Central again, not use what it knew.
        HttpContext.SetCitizenItem<CitizenClinic>(null);
        HttpContext.SetCitizenItem<Appointment.AppointmentBrowse>(null);
    }

    public string Language => KioskLanguages.Current;
}
