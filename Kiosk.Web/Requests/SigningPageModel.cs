using System.Globalization;
using System.Security.Cryptography;
using Kiosk.Core.Eds;
using Kiosk.Core.Feedback;
using Kiosk.Core.Requests;
using Kiosk.Web.Feedback;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.SignIn;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Requests;

/// <summary>The request a review page is about to sign: its id (the idempotency key, kept across retries) and details.</summary>
public sealed record PendingRequest(Guid RequestId, RequestDetails Details);

/// <summary>What the signing form (partial <c>Pages/Services/Signing/_SignForm.cshtml</c>) needs of its page: the
/// problems of each field. The citizens' review pages and the registrar's desk share the form.</summary>
public interface ISigningForm
{
    IReadOnlyList<ShownProblem> ErrorsFor(string field);
}

/// <summary>
/// The review-and-sign step every service shares (DESIGN §3.1 step 3): shows what the request will say (the page's
/// own markup) and asks for the signing key file (RSA256_… or ECDSA256_…, not the AUTH_ one) and its password
/// (partial <c>Pages/Services/Signing/_SignForm.cshtml</c>). POST hands the file, in memory, to
/// <see cref="RequestSigning"/>; a refusal comes back with each problem (<c>data-problem</c>) and the draft kept;
/// success clears the draft, keeps the receipt in the session and goes to the accepted page (post/redirect/get), only
/// after the transaction committed. A service's page says where its draft is, where its form and accepted page are.
/// Derived pages must carry the request-size attributes (see <see cref="SignInInput.MaxRequestBytes"/>).
/// </summary>
public abstract class SigningPageModel(IStringLocalizer<SharedResource> t, RequestSigning signing) : PageModel, ISigningForm
{
    /// <summary>The page's texts, for the derived pages' own summaries.</summary>
    protected IStringLocalizer<SharedResource> Text { get; } = t;

    public string DisplayName { get; private set; } = "";

    public string MaskedIin { get; private set; } = "";

    [BindProperty]
    public IFormFile? KeyFile { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public List<ShownProblem> Problems { get; } = [];

    /// <summary>The receipt's flow (<see cref="SigningServices"/>).</summary>
    protected abstract string Service { get; }

    /// <summary>Where to go when there is no draft (the service's form).</summary>
    protected abstract string FormPath { get; }

    protected abstract string AcceptedPath { get; }

    /// <summary>The draft to sign, read from the session (and kept by the page for its markup); null: none.</summary>
    protected abstract PendingRequest? LoadPending();

    /// <summary>Drops the draft once its request is signed and queued.</summary>
    protected abstract void ClearDraft();

    public PendingRequest Pending { get; private set; } = null!;

    public string ShortNumber => RequestReceipt.ShortForm(Pending.RequestId);

    public virtual IActionResult OnGet()
    {
        if (Load() is { } away) return away;
        // Step times (issue 12 item 6, table 1): the form ends where the review is first reached; sign and send starts.
        StepClock.Stop(HttpContext, StepCatalogue.Form, Service, Pending.Details.Kind);
        StepClock.Start(HttpContext, StepCatalogue.SignAndSend, Service);
        return Page();
    }

    public IActionResult OnPost()
    {
        try
        {
            // A second tap on "Sign and send" after the first one was accepted finds no draft: show the receipt, not
            // an empty form that would invite the citizen to ask twice.
            if (HttpContext.GetCitizen() is not null && LoadPending() is null && HttpContext.GetReceipt(Service) is not null)
                return Redirect(AcceptedPath);
            if (Load() is { } away) return away;
            foreach (var (field, code) in SignInInput.Validate(KeyFile?.Length, Password)) Show(code, field);
            if (Problems.Count > 0) return Page();

            var bytes = new byte[KeyFile!.Length];
            try
            {
                using (var stream = KeyFile.OpenReadStream()) stream.ReadExactly(bytes);
                var outcome = signing.Sign(HttpContext.GetCitizen()!, Service, Pending.RequestId, Pending.Details, KioskLanguages.Current, bytes, Password);
                if (outcome.Receipt is { } receipt)
                {
                    StepClock.Stop(HttpContext, StepCatalogue.SignAndSend, Service, Pending.Details.Kind); // table 1, action 5
                    StepClock.Reset(HttpContext, Service);
                    ClearDraft();
                    HttpContext.SetReceipt(receipt);
                    return Redirect(AcceptedPath);
                }
                foreach (var code in outcome.Problems) Show(code, SignInInput.FieldOf(code), outcome.RetryAfter);
                return Page();
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }
        finally
        {
            Password = null;
        }
    }

    public IReadOnlyList<ShownProblem> ErrorsFor(string field) => Problems.Where(p => p.Field == field).ToList();

    private void Show(string code, string field, TimeSpan? retryAfter = null) =>
        Problems.Add(new ShownProblem(code, ProblemMessage(Text, code, retryAfter), field));

    /// <summary>The words of a signing problem in the current language (the desk's signature uses them too).</summary>
    public static string ProblemMessage(IStringLocalizer<SharedResource> t, string code, TimeSpan? retryAfter) =>
        code switch
        {
            SignInProblems.FileMissing => t["HomeCall.Sign.Error.FileMissing"],
            SignInProblems.FileEmpty => t["HomeCall.Sign.Error.FileEmpty"],
            SignInProblems.PasswordMissing => t["SignIn.Error.PasswordMissing"],
            SignInProblems.TrustUnavailable => t["HomeCall.Sign.Error.TrustUnavailable"],
            RequestSigning.DocumentInvalid => t["HomeCall.Sign.Error.Invalid"],
            SignInProblems.TooManyAttempts => t["HomeCall.Sign.Error.TooManyAttempts",
                (int)Math.Max(1, Math.Ceiling((retryAfter ?? TimeSpan.FromMinutes(1)).TotalMinutes))],
            _ => EdsMessages.For(code, KioskLanguages.Current),
        };

    /// <summary>Null when there is a signed-in citizen with a draft; otherwise where to go instead.</summary>
    private IActionResult? Load()
    {
        var citizen = HttpContext.GetCitizen();
        if (citizen is null) return RedirectToPage("/Start/Index");
        if (LoadPending() is not { } pending) return Redirect(FormPath);
        Pending = pending;
        DisplayName = citizen.DisplayName(CultureInfo.CurrentCulture);
        MaskedIin = citizen.Iin.Masked;
        return null;
    }
}

/// <summary>
/// "Request accepted" (DESIGN §3.1 step 4), the same for every service: shown only once the signed request and its
/// outbox row are committed; the receipt lives in the signed-in session, not in the URL (partial
/// <c>Pages/Services/Signing/_Receipt.cshtml</c>).
/// </summary>
public abstract class ReceiptPageModel : PageModel
{
    protected abstract string Service { get; }

    protected abstract string FormPath { get; }

    public RequestReceipt Receipt { get; private set; } = null!;

    public virtual IActionResult OnGet()
    {
        if (HttpContext.GetCitizen() is null) return RedirectToPage("/Start/Index");
        if (HttpContext.GetReceipt(Service) is not { } receipt) return Redirect(FormPath);
        Receipt = receipt;
        return Page();
    }
}
