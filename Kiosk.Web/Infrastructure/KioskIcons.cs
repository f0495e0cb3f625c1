using Microsoft.AspNetCore.Html;

namespace Kiosk.Web.Infrastructure;

/// <summary>
/// Line icons drawn for the kiosk, inlined as SVG (no icon font, nothing fetched). Decorative: every icon stands
/// beside a text that says the same, so each is hidden from assistive technology.
/// </summary>
public static class KioskIcons
{
    private static readonly Dictionary<string, string> Paths = new(StringComparer.Ordinal)
    {
        // The kiosk's mark: a medical cross in a rounded square.
        ["logo"] = """<rect x="3" y="3" width="18" height="18" rx="5"/><path d="M12 7.5v9M7.5 12h9" stroke-width="2.6"/>""",
        // A house with a medical cross.
        ["home-call"] = """<path d="M3 11.5 12 4l9 7.5"/><path d="M5.5 9.5V20h13V9.5"/><path d="M12 11v6M9 14h6"/>""",
        // A calendar page with a tick.
        ["appointment"] = """<rect x="3.5" y="5" width="17" height="15.5" rx="2"/><path d="M3.5 10h17M8 3v4M16 3v4"/><path d="m9 15 2 2 4-4"/>""",
        // A clinic building with a cross and a door.
        ["attachment"] = """<path d="M4 21V6.5L12 3l8 3.5V21"/><path d="M2.5 21h19"/><path d="M12 7.5v5M9.5 10h5"/><path d="M10 21v-4.5h4V21"/>""",
        // A document under a magnifying glass.
        ["status"] = """<path d="M13.5 3H6.5A1.5 1.5 0 0 0 5 4.5v15A1.5 1.5 0 0 0 6.5 21h4"/><path d="M13.5 3 19 8.5V11"/><path d="M13.5 3v5.5H19"/><circle cx="15.5" cy="16" r="3.2"/><path d="m18 18.5 2.5 2.5"/>""",
        // A question mark in a circle.
        ["help"] = """<circle cx="12" cy="12" r="9"/><path d="M9.3 9.3a2.8 2.8 0 1 1 3.9 2.6c-.7.3-1.2 1-1.2 1.8v.6"/><path d="M12 17.3v.2"/>""",
        // A door with an arrow leaving it: sign out.
        ["exit"] = """<path d="M14 4H6.5A1.5 1.5 0 0 0 5 5.5v13A1.5 1.5 0 0 0 6.5 20H14"/><path d="M10 12h10"/><path d="m16.5 8.5 3.5 3.5-3.5 3.5"/>""",
        // A house.
        ["home"] = """<path d="M3 11.5 12 4l9 7.5"/><path d="M5.5 9.5V20h13V9.5"/><path d="M10 20v-5.5h4V20"/>""",
        // A telephone handset.
        ["phone"] = """<path d="M6.5 3.5h3l1.7 4.3-2.2 1.5a11 11 0 0 0 5.7 5.7l1.5-2.2 4.3 1.7v3a2 2 0 0 1-2.2 2A16.5 16.5 0 0 1 4.5 5.7a2 2 0 0 1 2-2.2z"/>""",
        // A key.
        ["key"] = """<circle cx="7.5" cy="15.5" r="4"/><path d="m10.4 12.6 9.1-9.1M16.5 6.5l2.5 2.5M14 9l2 2"/>""",
        // A USB stick.
        ["usb"] = """<rect x="7" y="9" width="10" height="12" rx="1.5"/><path d="M9 9V3.5h6V9"/><path d="M11 5.5v1.5M13 5.5v1.5"/>""",
        // A printed slip with a QR-like mark.
        ["slip"] = """<path d="M6 3h12v18l-2-1.5-2 1.5-2-1.5-2 1.5-2-1.5L6 21z"/><rect x="9" y="6.5" width="6" height="6" rx=".5"/><path d="M9 16h6"/>""",
        // Clinic notices on the start screen: a loudspeaker.
        ["notice"] = """<path d="M3.5 10v4a1 1 0 0 0 1 1h2.5l6 4.5v-15L7 9H4.5a1 1 0 0 0-1 1z"/><path d="M16.5 9a4 4 0 0 1 0 6"/><path d="M19 6.5a7.5 7.5 0 0 1 0 11"/>""",
    };

    public static IHtmlContent Get(string name, string cssClass = "icon") =>
        new HtmlString(
            $"""<svg class="{cssClass}" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">{Paths[name]}</svg>""");
}
