using System.Globalization;
using System.Security.Cryptography;
using Kiosk.Core.Eds;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.SignIn;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Services.HomeCall;

/// <summary>
/// Review and sign (issue 4 item 1, DESIGN §3.1 step 3): shows exactly what the request document will say and asks for
/// the signing key file (RSA256_… or ECDSA256_…, not the AUTH_ one) and its password. POST hands the file, in memory,
/// to <see cref="HomeCallSigning"/>; a refusal comes back with each problem (<c>data-problem</c>) and the draft kept;
/// success clears the draft and goes to the accepted page (post/redirect/get) only after the transaction committed.
/// </summary>
[RequestSizeLimit(SignInInput.MaxRequestBytes)]
// The whole form stays in memory: a key file is never buffered to a temporary file.
[RequestFormLimits(MultipartBodyLengthLimit = SignInInput.MaxRequestBytes, MemoryBufferThreshold = (int)SignInInput.MaxRequestBytes)]
public sealed class ReviewModel(IStringLocalizer<SharedResource> t, HomeCallSigning signing) : PageModel
{
    public const string PagePath = "/services/home-call/review";

    public string DisplayName { get; private set; } = "";

    public string MaskedIin { get; private set; } = "";

    public HomeCallDraft Draft { get; private set; } = null!;

    [BindProperty]
    public IFormFile? KeyFile { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public List<ShownProblem> Problems { get; } = [];

    public IActionResult OnGet() => Load() ?? Page();

    public IActionResult OnPost()
    {
        try
        {
            // A second tap on "Sign and send" after the first one was accepted finds no draft: show the receipt, not
            // an empty form that would invite the citizen to call the doctor twice.
            if (HttpContext.GetCitizen() is not null && HttpContext.GetCitizenItem<HomeCallDraft>() is null &&
                HttpContext.GetCitizenItem<HomeCallReceipt>() is not null)
                return Redirect(AcceptedModel.PagePath);
            if (Load() is { } away) return away;
            foreach (var (field, code) in SignInInput.Validate(KeyFile?.Length, Password)) Show(code, field);
            if (Problems.Count > 0) return Page();

            var bytes = new byte[KeyFile!.Length];
            try
            {
                using (var stream = KeyFile.OpenReadStream()) stream.ReadExactly(bytes);
                var outcome = signing.Sign(HttpContext.GetCitizen()!, Draft, KioskLanguages.Current, bytes, Password);
                if (outcome.Receipt is { } receipt)
                {
                    HttpContext.SetCitizenItem<HomeCallDraft>(null);
                    HttpContext.SetCitizenItem(receipt);
                    return Redirect(AcceptedModel.PagePath);
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

    public string ReasonText => t[$"HomeCall.Reason.{Draft.ReasonCode}"];

    public string PhoneText => HomeCallForm.DisplayPhone(Draft.Phone);

    public string ShortNumber => HomeCallReceipt.ShortForm(Draft.RequestId);

    private void Show(string code, string field, TimeSpan? retryAfter = null)
    {
        string message = code switch
        {
            SignInProblems.FileMissing => t["HomeCall.Sign.Error.FileMissing"],
            SignInProblems.FileEmpty => t["HomeCall.Sign.Error.FileEmpty"],
            SignInProblems.PasswordMissing => t["SignIn.Error.PasswordMissing"],
            SignInProblems.TrustUnavailable => t["HomeCall.Sign.Error.TrustUnavailable"],
            HomeCallSigning.DocumentInvalid => t["HomeCall.Sign.Error.Invalid"],
            SignInProblems.TooManyAttempts => t["HomeCall.Sign.Error.TooManyAttempts",
                (int)Math.Max(1, Math.Ceiling((retryAfter ?? TimeSpan.FromMinutes(1)).TotalMinutes))],
            _ => EdsMessages.For(code, KioskLanguages.Current),
        };
        Problems.Add(new ShownProblem(code, message, field));
    }

    /// <summary>Null when there is a signed-in citizen with a draft; otherwise where to go instead.</summary>
    private IActionResult? Load()
    {
        var citizen = HttpContext.GetCitizen();
        if (citizen is null) return RedirectToPage("/Start/Index");
        if (HttpContext.GetCitizenItem<HomeCallDraft>() is not { } draft) return Redirect(IndexModel.PagePath);
        Draft = draft;
        DisplayName = citizen.DisplayName(CultureInfo.CurrentCulture);
        MaskedIin = citizen.Iin.Masked;
        return null;
    }
}
