using Kiosk.Core.Slips;
using Kiosk.Node.Slips;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Staff;

/// <summary>
/// Slip check for staff at the kiosk (issue 6 item 4): the text of a slip's QR code (a hand scanner types it, or the
/// on-screen keyboard) checked offline against the keys this kiosk holds (<see cref="SlipKeyCache"/>). The token is
/// posted, never put in a URL, and not logged; the answer is shown on the same response.
/// </summary>
public sealed class SlipsModel(SlipKeyCache keys, ILogger<SlipsModel> logger) : PageModel
{
    [BindProperty]
    public string? QrText { get; set; }

    public SlipVerification? Result { get; private set; }

    public DateTimeOffset? KeysCachedAt { get; private set; }

    public void OnGet() => KeysCachedAt = keys.CachedAt();

    public IActionResult OnPost()
    {
        KeysCachedAt = keys.CachedAt();
        if (string.IsNullOrWhiteSpace(QrText))
        {
            ModelState.AddModelError(nameof(QrText), "Staff.Slips.Empty");
            return Page();
        }
        Result = SlipToken.Verify(QrText, keys.Keys());
        // Staff are named by nothing here: their name is personal data too.
        logger.LogInformation("Staff checked a slip: {Valid} {Problem} key {Kid}",
            Result.Valid, Result.Problems.FirstOrDefault() ?? "none", Result.Kid ?? "-");
        return Page();
    }
}
