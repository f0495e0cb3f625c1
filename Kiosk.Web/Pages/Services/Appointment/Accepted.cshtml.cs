using Kiosk.Web.Requests;

namespace Kiosk.Web.Pages.Services.Appointment;

/// <summary>"Request accepted" for an appointment: the shared receipt and what happens next.</summary>
public sealed class AcceptedModel : ReceiptPageModel
{
    public const string PagePath = "/services/appointment/accepted";

    protected override string Service => SigningServices.Appointment;

    protected override string FormPath => IndexModel.PagePath;
}
