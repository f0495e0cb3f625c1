using Kiosk.Node;
using Kiosk.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Staff;

/// <summary>
/// The kiosk's staff page (issue 4 item 6): whether Central is reached, the outbox, the last push and pull, recent
/// errors, the dead letters with a retry, the clock warning. Operators only (the folder's policy); every action is a
/// POST with its antiforgery token (Razor Pages check it).
/// </summary>
public sealed class IndexModel(SyncStatusReader status, OutboxStore outbox, TimeProvider time, ILogger<IndexModel> logger) : PageModel
{
    public SyncDetails Details { get; private set; } = null!;

    /// <summary>After a retry: the request put back in the queue (a request id is no personal data).</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Retried { get; set; }

    public void OnGet() => Details = status.ReadDetails();

    public IActionResult OnPostRetry(Guid requestId)
    {
        if (outbox.RetryDead(requestId, time.GetUtcNow()))
        {
            logger.LogInformation("An operator put dead letter {RequestId} back in the queue", requestId);
            return RedirectToPage(new { retried = requestId.ToString("D") });
        }
        return RedirectToPage();
    }
}
