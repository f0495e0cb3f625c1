using Kiosk.Web.Pages.SignIn;
using Kiosk.Web.Requests;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Services.HomeCall;

/// <summary>
/// Review and sign a home call (issue 4 item 1, DESIGN §3.1 step 3): shows exactly what the request document will say;
/// the signing itself is the step every service shares (<see cref="SigningPageModel"/>).
/// </summary>
[RequestSizeLimit(SignInInput.MaxRequestBytes)]
// The whole form stays in memory: a key file is never buffered to a temporary file.
[RequestFormLimits(MultipartBodyLengthLimit = SignInInput.MaxRequestBytes, MemoryBufferThreshold = (int)SignInInput.MaxRequestBytes)]
public sealed class ReviewModel(IStringLocalizer<SharedResource> t, RequestSigning signing) : SigningPageModel(t, signing)
{
    public const string PagePath = "/services/home-call/review";

    public HomeCallDraft Draft { get; private set; } = null!;

    protected override string Service => SigningServices.HomeCall;

    protected override string FormPath => IndexModel.PagePath;

    protected override string AcceptedPath => AcceptedModel.PagePath;

    protected override PendingRequest? LoadPending()
    {
        if (HttpContext.GetCitizenItem<HomeCallDraft>() is not { } draft) return null;
        Draft = draft;
        return new PendingRequest(draft.RequestId, draft.ToDetails());
    }

    protected override void ClearDraft() => HttpContext.SetCitizenItem<HomeCallDraft>(null);

    public string ReasonText => Text[$"HomeCall.Reason.{Draft.ReasonCode}"];

    public string PhoneText => HomeCallForm.DisplayPhone(Draft.Phone);
}
