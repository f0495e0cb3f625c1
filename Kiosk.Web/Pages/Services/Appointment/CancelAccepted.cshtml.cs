using Kiosk.Web.Requests;

namespace Kiosk.Web.Pages.Services.Appointment;

/// <summary>"Request accepted" for a cancellation: the shared receipt and what happens next.</summary>
public sealed class CancelAcceptedModel : ReceiptPageModel
{
    public const string PagePath = "/services/appointment/cancel/accepted";

    protected override string Service => SigningServices.AppointmentCancel;

    protected override string FormPath => Status.IndexModel.PagePath;
}
