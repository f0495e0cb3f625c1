using Kiosk.Web.Requests;

namespace Kiosk.Web.Pages.Services.HomeCall;

/// <summary>
/// "Request accepted" for a home call (DESIGN §3.1 step 4): the shared receipt (<see cref="ReceiptPageModel"/>) — the
/// request number, the service, when it was signed, the status "queued" — and what happens next.
/// </summary>
public sealed class AcceptedModel : ReceiptPageModel
{
    public const string PagePath = "/services/home-call/accepted";

    protected override string Service => SigningServices.HomeCall;

    protected override string FormPath => IndexModel.PagePath;
}
