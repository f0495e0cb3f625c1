using System.Globalization;
using Kiosk.Web.Central;
using Kiosk.Web.Pages.SignIn;
using Kiosk.Web.Pages.Start;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Services.HomeCall;

/// <summary>
/// The home-call form (issue 4 item 1), where the citizen lands after signing in for this service: the name from the
/// certificate (read-only), the actual address, a contact phone, the reason and an optional note. POST cleans and
/// checks the form (<see cref="HomeCallForm"/>); a good form becomes the session's draft and the browser goes to the
/// review (post/redirect/get); a bad one comes back with each problem. The address starts as the population registry
/// holds it, asked of Central for the signed-in citizen's own IIN (<see cref="RegistryAddressLookup"/>, at most ~2 s);
/// when Central cannot say, it starts empty and the citizen types it.
/// </summary>
public sealed class IndexModel(IStringLocalizer<SharedResource> t, RegistryAddressLookup registry) : PageModel
{
    public const string PagePath = "/services/home-call";

    public string DisplayName { get; private set; } = "";

    public string MaskedIin { get; private set; } = "";

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public List<ShownProblem> Problems { get; } = [];

    /// <summary>True when <see cref="Address"/> was pre-filled from the population registry.</summary>
    public bool AddressFromRegistry { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        Kiosk.Web.Feedback.StepClock.Start(HttpContext, Kiosk.Core.Feedback.StepCatalogue.Form, Kiosk.Web.Requests.SigningServices.HomeCall);
        if (HttpContext.GetCitizenItem<HomeCallDraft>() is { } draft)
        {
            Address = draft.Address;
            Phone = draft.Phone;
            Reason = draft.ReasonCode;
            Note = draft.Note;
        }
        else if (await registry.FindAsync(HttpContext.GetCitizen()!.Iin, HttpContext.RequestAborted) is { } known)
        {
            Address = known.Address;
            AddressFromRegistry = true;
        }
        return Page();
    }

    public IActionResult OnPost()
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        var requestId = HttpContext.GetCitizenItem<HomeCallDraft>()?.RequestId ?? Guid.NewGuid();
        var (draft, problems) = HomeCallForm.Check(requestId, Address, Phone, Reason, Note);
        if (draft is null)
        {
            foreach (var (field, code) in problems) Problems.Add(new ShownProblem(code, Message(code), field));
            return Page();
        }
        HttpContext.SetCitizenItem(draft);
        return Redirect(ReviewModel.PagePath);
    }

    public IReadOnlyList<ShownProblem> ErrorsFor(string field) => Problems.Where(p => p.Field == field).ToList();

    private string Message(string code) => HomeCallForm.Message(t, code);

    /// <summary>The signed-in citizen (choosing this service for the session), or false.</summary>
    private bool Load()
    {
        var citizen = HttpContext.GetCitizen();
        if (citizen is null) return false;
        if (citizen.ServiceCode != ServiceMenu.HomeCall.Code) HttpContext.ChooseService(ServiceMenu.HomeCall.Code);
        DisplayName = citizen.DisplayName(CultureInfo.CurrentCulture);
        MaskedIin = citizen.Iin.Masked;
        return true;
    }
}
