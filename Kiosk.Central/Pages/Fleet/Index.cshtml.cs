using System.Globalization;
using Kiosk.Central.Sync;
using Kiosk.Core.Time;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Central.Pages.Fleet;

/// <summary>
/// Central's fleet page for operators (issue 4 item 6): every kiosk of the register with its clinic, last heartbeat
/// and figures. Every value is HTML-encoded by Razor.
/// </summary>
public sealed class IndexModel(Sync.Fleet fleet, TimeProvider time) : PageModel
{
    public FleetAnswer Fleet { get; private set; } = null!;

    public void OnGet() => Fleet = fleet.List();

    public string Local(DateTimeOffset at) => AstanaTime.ToLocal(at).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public string Age(DateTimeOffset at) => Duration((long)Math.Max(0, (time.GetUtcNow() - at).TotalSeconds));

    public string Num(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "–";

    public static string Duration(long seconds) =>
        (seconds >= 86400 ? $"{seconds / 86400}d " : "") + TimeSpan.FromSeconds(seconds % 86400).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
}
