using Kiosk.Node;
using Kiosk.Web.Pages.SignIn;
using Kiosk.Web.Requests;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Services.Appointment;

/// <summary>
/// Cancel a booking (issue 5 item 1): "Cancel" on the status screen posts the booking's request id here
/// (<c>handler=Start</c>, antiforgery); when the booking is the citizen's, accepted, still in the future and not being
/// cancelled already (<see cref="CitizenAppointments.Cancellable"/>), a cancellation draft is made and this page shows
/// what will be cancelled; signing (kind <c>appointment</c>, <c>action</c> <c>cancel</c>) is the shared step.
/// </summary>
[RequestSizeLimit(SignInInput.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = SignInInput.MaxRequestBytes, MemoryBufferThreshold = (int)SignInInput.MaxRequestBytes)]
public sealed class CancelModel(IStringLocalizer<SharedResource> t, RequestSigning signing, ReferenceStore reference,
    CitizenAppointments appointments, TimeProvider time) : SigningPageModel(t, signing)
{
    public const string PagePath = "/services/appointment/cancel";

    public CancellationDraft Draft { get; private set; } = null!;

    public KioskDoctor? Doctor { get; private set; }

    public KioskClinic? Clinic { get; private set; }

    protected override string Service => SigningServices.AppointmentCancel;

    protected override string FormPath => Status.IndexModel.PagePath;

    protected override string AcceptedPath => CancelAcceptedModel.PagePath;

    public IActionResult OnPostStart(Guid requestId)
    {
        if (HttpContext.GetCitizen() is not { } citizen) return RedirectToPage("/Start/Index");
        if (appointments.Cancellable(citizen.Iin, requestId, time.GetUtcNow()) is not { } booking) return Redirect(Status.IndexModel.PagePath);
        var current = HttpContext.GetCitizenItem<CancellationDraft>();
        var id = current?.CancelsRequestId == requestId ? current.RequestId : Guid.NewGuid();
        HttpContext.SetCitizenItem(new CancellationDraft(id, requestId, booking.ClinicId, booking.DoctorId, booking.SlotId, booking.SlotStart));
        return Redirect(PagePath);
    }

    protected override PendingRequest? LoadPending()
    {
        if (HttpContext.GetCitizenItem<CancellationDraft>() is not { } draft) return null;
        Draft = draft;
        Doctor = reference.Doctor(draft.DoctorId);
        Clinic = reference.Clinic(draft.ClinicId);
        return new PendingRequest(draft.RequestId, draft.ToDetails());
    }

    protected override void ClearDraft() => HttpContext.SetCitizenItem<CancellationDraft>(null);
}
