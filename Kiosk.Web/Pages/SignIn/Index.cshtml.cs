using System.Security.Cryptography;
using Kiosk.Core.Eds;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.Start;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.SignIn;

/// <summary>One problem as the page shows it: its code (for <c>data-problem</c>), its message, and its field.</summary>
public sealed record ShownProblem(string Code, string Message, string Field);

/// <summary>
/// "Sign in with your EDS" for the service chosen on the start screen (issue 3 item 3). GET issues a fresh nonce,
/// kept in the session and in the form; POST takes it out of the session whatever happens next, checks the form,
/// then lets <see cref="EdsSignIn"/> open the key file in memory, check the certificate and prove possession of the
/// key over that nonce. A success starts a new signed-in session (the anonymous one is cleared and its cookie
/// dropped) and goes to the chosen service; a failure shows each problem with its code.
/// </summary>
[RequestSizeLimit(SignInInput.MaxRequestBytes)]
// The whole form stays in memory: a key file (or whatever else was picked) is never buffered to a temporary file.
[RequestFormLimits(MultipartBodyLengthLimit = SignInInput.MaxRequestBytes, MemoryBufferThreshold = (int)SignInInput.MaxRequestBytes)]
public sealed class IndexModel(IStringLocalizer<SharedResource> t, EdsSignIn signIn, UsedNonces usedNonces, ILogger<IndexModel> logger)
    : PageModel
{
    public ServiceChoice Service { get; private set; } = ServiceMenu.HomeCall;

    [BindProperty]
    public IFormFile? KeyFile { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    /// <summary>The nonce the form came back with.</summary>
    [BindProperty(Name = SignInInput.NonceField)]
    public string? PostedNonce { get; set; }

    /// <summary>The nonce issued with this rendering of the form.</summary>
    public string FormNonce { get; private set; } = "";

    public List<ShownProblem> Problems { get; } = [];

    public IActionResult OnGet()
    {
        if (!LoadChosenService()) return RedirectToPage("/Start/Index");
        if (HttpContext.GetCitizen() is { } citizen) return Redirect(ServicePath(citizen.ServiceCode));
        Kiosk.Web.Feedback.StepClock.SignInShown(HttpContext); // the sign-in step starts (table 1, action 1)
        return Form();
    }

    public IActionResult OnPost()
    {
        try
        {
            if (!LoadChosenService()) return RedirectToPage("/Start/Index");
            // Single use: whatever this post comes to, the nonce it was issued with is gone.
            var issued = HttpContext.Session.TakeSignInNonce();

            foreach (var (_, code) in SignInInput.Validate(KeyFile?.Length, Password)) Show(code);
            if (Problems.Count > 0) return Form();

            if (issued is null || !SameNonce(issued, PostedNonce) || !usedNonces.TryClaim(issued))
            {
                logger.LogInformation("EDS sign-in refused: {Problem} (the form's nonce was used already or never issued)",
                    SignInProblems.FormExpired);
                Show(SignInProblems.FormExpired);
                return Form();
            }

            var bytes = new byte[KeyFile!.Length];
            try
            {
                using (var stream = KeyFile.OpenReadStream()) stream.ReadExactly(bytes);
                var attempt = signIn.Attempt(bytes, Password, issued, HttpContext.Session.Id, Service.Code);
                if (attempt.Citizen is { } citizen)
                {
                    Kiosk.Web.Feedback.StepClock.SignedIn(HttpContext, citizen.ServiceCode); // table 1, action 1
                    StartSignedInSession(citizen);
                    return Redirect(ServicePath(citizen.ServiceCode));
                }
                foreach (var code in attempt.Problems) Show(code, attempt.RetryAfter);
                return Form();
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

    public static string ServicePath(string code) => $"/services/{Uri.EscapeDataString(code)}";

    /// <summary>
    /// Against session fixation: the anonymous session (its chosen service, the used nonce) is cleared and its cookie
    /// dropped, and the signed-in session gets a brand-new token of its own.
    /// </summary>
    private void StartSignedInSession(SignedInCitizen citizen)
    {
        HttpContext.Session.Clear();
        HttpContext.Response.Cookies.Delete(KioskSession.CookieName, new CookieOptions
        {
            Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = Request.IsHttps,
        });
        HttpContext.StartCitizenSession(citizen);
    }

    private PageResult Form()
    {
        var nonce = ProofOfPossession.CreateNonce();
        HttpContext.Session.SetSignInNonce(nonce);
        FormNonce = Convert.ToBase64String(nonce);
        return Page();
    }

    private void Show(string code, TimeSpan? retryAfter = null)
    {
        var key = SignInInput.MessageKey(code);
        string message;
        if (code == SignInProblems.TooManyAttempts)
            message = t[key!, (int)Math.Max(1, Math.Ceiling((retryAfter ?? TimeSpan.FromMinutes(1)).TotalMinutes))];
        else
            message = key is null ? EdsMessages.For(code, KioskLanguages.Current) : t[key];
        Problems.Add(new ShownProblem(code, message, SignInInput.FieldOf(code)));
    }

    private static bool SameNonce(byte[] issued, string? posted)
    {
        if (string.IsNullOrEmpty(posted)) return false;
        var buffer = new byte[ProofOfPossession.NonceBytes];
        return Convert.TryFromBase64String(posted, buffer, out var written)
               && written == issued.Length
               && CryptographicOperations.FixedTimeEquals(buffer.AsSpan(0, written), issued);
    }

    private bool LoadChosenService()
    {
        var choice = ServiceMenu.Find(HttpContext.Session.GetChosenService()) ?? ServiceMenu.Find(HttpContext.GetCitizen()?.ServiceCode);
        if (choice is null) return false;
        Service = choice;
        return true;
    }
}
