using Kiosk.Web.Requests;

namespace Kiosk.Web.Pages.Services.Attachment;

/// <summary>"Request accepted" for an attachment: the shared receipt and what happens next.</summary>
public sealed class AcceptedModel : ReceiptPageModel
{
    public const string PagePath = "/services/attachment/accepted";

    protected override string Service => SigningServices.Attachment;

    protected override string FormPath => IndexModel.PagePath;
}
