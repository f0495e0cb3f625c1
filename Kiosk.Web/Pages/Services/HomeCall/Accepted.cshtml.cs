using System.Globalization;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Services.HomeCall;

/// <summary>
/// "Request accepted" (DESIGN §3.1 step 4): shown only once the signed request and its outbox row are committed. The
/// request number (short form of its UUID), the service, when it was signed (kiosk time, Asia/Almaty), the status
/// "queued" and what happens next. The receipt lives in the signed-in session, not in the URL.
/// </summary>
public sealed class AcceptedModel : PageModel
{
    public const string PagePath = "/services/home-call/accepted";

    private static readonly TimeZoneInfo KioskZone = FindZone();

    public HomeCallReceipt Receipt { get; private set; } = null!;

    public string SignedAtText { get; private set; } = "";

    public IActionResult OnGet()
    {
        if (HttpContext.GetCitizen() is null) return RedirectToPage("/Start/Index");
        if (HttpContext.GetCitizenItem<HomeCallReceipt>() is not { } receipt) return Redirect(IndexModel.PagePath);
        Receipt = receipt;
        var local = TimeZoneInfo.ConvertTime(receipt.SignedAt, KioskZone);
        SignedAtText = local.ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
        return Page();
    }

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Almaty");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Local;
        }
    }
}
