using Kiosk.Node;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.SignIn;
using Kiosk.Web.Requests;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Services.Appointment;

/// <summary>Review and sign an appointment (issue 5 item 1): the clinic, doctor, speciality, room, date and time; the
/// signing is the step every service shares (<see cref="SigningPageModel"/>).</summary>
[RequestSizeLimit(SignInInput.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = SignInInput.MaxRequestBytes, MemoryBufferThreshold = (int)SignInInput.MaxRequestBytes)]
public sealed class ReviewModel(IStringLocalizer<SharedResource> t, RequestSigning signing, ReferenceStore reference) : SigningPageModel(t, signing)
{
    public const string PagePath = "/services/appointment/review";

    public AppointmentDraft Draft { get; private set; } = null!;

    public KioskDoctor? Doctor { get; private set; }

    public KioskClinic? Clinic { get; private set; }

    protected override string Service => SigningServices.Appointment;

    protected override string FormPath => IndexModel.PagePath;

    protected override string AcceptedPath => AcceptedModel.PagePath;

    protected override PendingRequest? LoadPending()
    {
        if (HttpContext.GetCitizenItem<AppointmentDraft>() is not { } draft) return null;
        Draft = draft;
        Doctor = reference.Doctor(draft.DoctorId);
        Clinic = reference.Clinic(draft.ClinicId);
        return new PendingRequest(draft.RequestId, draft.ToDetails());
    }

    protected override void ClearDraft()
    {
        HttpContext.SetCitizenItem<AppointmentDraft>(null);
        HttpContext.SetCitizenItem<AppointmentBrowse>(null);
    }

    public string Language => KioskLanguages.Current;
}
