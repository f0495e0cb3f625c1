using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.Start;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.SignIn;

/// <summary>
/// "Sign in with your EDS" for the service chosen on the start screen. EDS checking is not built yet (issue 3): the
/// POST checks only what the form can show and then says plainly that sign-in is not available. Nobody is signed in.
/// </summary>
[RequestSizeLimit(SignInInput.MaxRequestBytes)]
// The whole form stays in memory: a key file (or whatever else was picked) is never buffered to a temporary file.
[RequestFormLimits(MultipartBodyLengthLimit = SignInInput.MaxRequestBytes, MemoryBufferThreshold = (int)SignInInput.MaxRequestBytes)]
public sealed class IndexModel(IStringLocalizer<SharedResource> t, ILogger<IndexModel> logger) : PageModel
{
    public ServiceChoice Service { get; private set; } = ServiceMenu.HomeCall;

    [BindProperty]
    public IFormFile? KeyFile { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    /// <summary>The form was complete, and the kiosk told the citizen that EDS sign-in is not available yet.</summary>
    public bool NotAvailable { get; private set; }

    public IActionResult OnGet() => LoadChosenService() ? Page() : RedirectToPage("/Start/Index");

    public IActionResult OnPost()
    {
        if (!LoadChosenService()) return RedirectToPage("/Start/Index");
        foreach (var (field, key) in SignInInput.Validate(KeyFile?.Length, Password))
            ModelState.AddModelError(field, t[key]);
        Password = null;
        if (!ModelState.IsValid) return Page();

        // Replaced by the EDS check of issue 3. Until then: no key is opened and no session is started.
        logger.LogInformation("EDS sign-in was asked for ({Service}); it is not available on this node yet", Service.Code);
        NotAvailable = true;
        return Page();
    }

    public IReadOnlyList<string> ErrorsFor(string field) =>
        ModelState.TryGetValue(field, out var entry) ? entry.Errors.Select(e => e.ErrorMessage).ToList() : [];

    private bool LoadChosenService()
    {
        var choice = ServiceMenu.Find(HttpContext.Session.GetChosenService());
        if (choice is null) return false;
        Service = choice;
        return true;
    }
}
