using AngleSharp.Dom;
using Ganss.Xss;

namespace Kiosk.Core.Notices;

/// <summary>What a notice's links become.</summary>
public enum NoticeLinks
{
    /// <summary>Central's copy: <c>&lt;a href="https://…" rel="noopener noreferrer"&gt;</c>, to the clinic's site only.</summary>
    Keep,

    /// <summary>The kiosk's screen: the link's words followed by its address as plain text, nothing to tap (docs/notices.md "Links on a kiosk").</summary>
    AsText,
}

/// <summary>The sanitised HTML and a short list of what was taken out (for the operator who wrote it; never shown to a citizen).</summary>
public sealed record SanitizedHtml(string Html, IReadOnlyList<string> Removed);

/// <summary>
/// The one sanitiser of a notice's body (issue 12 item 4; docs/notices.md), built on HtmlSanitizer with an allow-list
/// and nothing else: paragraphs, ordered and unordered lists and their items, bold (<c>b</c>, <c>strong</c>), line
/// breaks, and links (<c>a href</c>) to the target clinics' own web sites over https. Every other element goes: the
/// harmless containers (<c>div</c>, <c>span</c>, headings, <c>em</c>, tables, …) leave their text behind, while
/// elements whose content is code, a document or a form (script, style, iframe, object, embed, SVG, MathML, form,
/// template, noscript, textarea, select, …) go with all they hold. No attribute survives but a link's <c>href</c>; a
/// link gets <c>rel="noopener noreferrer"</c>, never a <c>target</c>; a link to anywhere else leaves only its words.
/// Central runs it when a notice is saved and the kiosk again before it shows one (on what it received), so a notice
/// that was written into a database some other way is cleaned all the same.
/// </summary>
public static class NoticeHtml
{
    /// <summary>Elements a notice keeps (lower case, HTML namespace).</summary>
    public static readonly IReadOnlySet<string> AllowedTags = new HashSet<string>(StringComparer.Ordinal) { "p", "ul", "ol", "li", "b", "strong", "br", "a" };

    /// <summary>The rel every kept link carries: the clinic's site learns nothing of the page and cannot reach back into it.</summary>
    public const string LinkRel = "noopener noreferrer";

    /// <summary>How many removals <see cref="SanitizedHtml.Removed"/> names at most.</summary>
    public const int MaxRemovedListed = 20;

    // Elements whose content is not a citizen's text (code, styles, embedded documents, forms, foreign markup): removed
    // with everything inside them. Any other element that is not allowed is unwrapped: its children stay and are
    // judged in turn.
    private static readonly HashSet<string> DropWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "noframes", "object", "embed", "applet",
        "param", "svg", "math", "form", "input", "button", "select", "option", "optgroup", "datalist", "textarea",
        "output", "title", "head", "base", "meta", "link", "xmp", "plaintext", "listing", "noembed", "img", "image",
        "picture", "source", "video", "audio", "track", "canvas", "map", "area", "portal", "dialog", "slot", "marquee",
    };

    /// <summary>
    /// Cleans <paramref name="html"/>: what <see cref="AllowedTags"/> allows stays, links only to
    /// <paramref name="linkHosts"/> (the target clinics' web-site hosts, see <see cref="ClinicWebsite.Hosts"/>).
    /// Sanitising its own output again gives the same output.
    /// </summary>
    public static SanitizedHtml Sanitize(string? html, IReadOnlySet<string> linkHosts, NoticeLinks links = NoticeLinks.Keep)
    {
        ArgumentNullException.ThrowIfNull(linkHosts);
        if (string.IsNullOrWhiteSpace(html)) return new SanitizedHtml("", []);
        var removed = new List<string>();
        // Unwrapping can leave a tree the HTML parser would never build (an <li> straight inside an <li>, say), which a
        // browser would then parse into another one. So the cleaned text is cleaned again, parsed afresh as a browser
        // would, until it no longer changes: what was checked is what a browser builds.
        var clean = Pass(html, linkHosts, NoticeLinks.Keep, removed);
        for (var i = 0; i < MaxPasses; i++)
        {
            var again = Pass(clean, linkHosts, NoticeLinks.Keep, removed);
            if (again == clean) break;
            clean = again;
        }
        if (links == NoticeLinks.AsText) clean = Pass(clean, linkHosts, NoticeLinks.AsText, removed);
        return new SanitizedHtml(clean, removed);
    }

    private const int MaxPasses = 4;

    private static string Pass(string html, IReadOnlySet<string> linkHosts, NoticeLinks links, List<string> removed)
    {
        void Note(string what)
        {
            if (removed.Count < MaxRemovedListed && !removed.Contains(what, StringComparer.Ordinal)) removed.Add(what);
        }

        var sanitizer = new HtmlSanitizer(Options()) { KeepChildNodes = true };
        sanitizer.RemovingTag += (_, e) =>
        {
            var tag = e.Tag;
            // Foreign content (SVG, MathML) by namespace too, whatever its element is called.
            if (DropWithContent.Contains(tag.LocalName) || (tag.NamespaceUri is { Length: > 0 } ns && ns != NamespaceNames.HtmlUri))
                while (tag.FirstChild is { } child) tag.RemoveChild(child);
            Note("<" + tag.LocalName + ">");
        };
        sanitizer.RemovingAttribute += (_, e) =>
        {
            // A link's href that was refused is told by FilterUrl; the rel this sanitiser itself writes is not news.
            if (e.Attribute.LocalName is "href" or "rel" && e.Tag.LocalName == "a") return;
            Note(e.Attribute.LocalName + "=");
        };
        sanitizer.FilterUrl += (_, e) =>
        {
            if (e.Tag.LocalName != "a" || LinkTarget(e.OriginalUrl, linkHosts) is not { } target)
            {
                Note("link " + Shorten(e.OriginalUrl));
                e.SanitizedUrl = null;
                return;
            }
            e.SanitizedUrl = target.AbsoluteUri;
        };
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is not IElement element) return;
            if (element.LocalName != "a")
            {
                // href is the one attribute allowed, and only a link may have it.
                foreach (var attribute in element.Attributes.ToList()) element.RemoveAttribute(attribute.NamespaceUri, attribute.LocalName);
                return;
            }
            var a = element;
            foreach (var attribute in a.Attributes.Where(x => x.LocalName != "href").ToList()) a.RemoveAttribute(attribute.NamespaceUri, attribute.LocalName);
            var href = a.GetAttribute("href");
            if (href is null || LinkTarget(href, linkHosts) is not { } target)
            {
                // A link with nowhere allowed to go leaves its words (an empty one leaves nothing: an empty text node,
                // since no replacement at all would keep the element).
                foreach (var child in a.ChildNodes.ToList()) e.ReplacementNodes.Add(child);
                if (e.ReplacementNodes.Count == 0) e.ReplacementNodes.Add(e.Document.CreateTextNode(""));
                return;
            }
            if (links == NoticeLinks.Keep)
            {
                a.SetAttribute("rel", LinkRel);
                return;
            }
            e.ReplacementNodes.Add(TextLink(e.Document, a, target));
        };
        return sanitizer.Sanitize(html).Trim();
    }

    /// <summary>The text of a notice's HTML, as a person reads it (entities decoded, tags gone): for length checks and logs of sizes.</summary>
    public static string TextOf(string html)
    {
        if (string.IsNullOrEmpty(html)) return "";
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        var document = parser.ParseDocument("<!DOCTYPE html><body></body>");
        var body = document.Body!;
        var nodes = parser.ParseFragment(html, body);
        return string.Concat(nodes.Select(n => n.TextContent)).Trim();
    }

    /// <summary>The link's address when it is an allowed one: absolute https to one of the hosts, default port, no user info.</summary>
    internal static Uri? LinkTarget(string? href, IReadOnlySet<string> hosts)
    {
        if (string.IsNullOrWhiteSpace(href) || href.Length > 2048) return null;
        // A browser drops tabs and newlines inside a URL and trims spaces; so do we, so "java\tscript:" is judged as the
        // browser would see it (and refused: it is not https).
        var cleaned = new string(href.Where(ch => ch is not ('\t' or '\n' or '\r')).ToArray()).Trim();
        if (!cleaned.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) return null;
        if (cleaned.Contains('\\', StringComparison.Ordinal)) return null; // browsers read "\" as "/" in the authority
        if (!Uri.TryCreate(cleaned, UriKind.Absolute, out var uri) || !ClinicWebsite.IsSafeHttps(uri)) return null;
        return hosts.Contains(ClinicWebsite.Host(uri)) ? uri : null;
    }

    /// <summary>The address as a kiosk shows it: host and path, without "https://" and without a lone "/".</summary>
    public static string DisplayAddress(Uri uri)
    {
        var path = uri.GetComponents(UriComponents.PathAndQuery, UriFormat.Unescaped);
        return uri.Host + (path == "/" ? "" : path);
    }

    private static INode TextLink(IDocument document, IElement a, Uri target)
    {
        var address = DisplayAddress(target);
        var words = a.TextContent.Trim();
        var span = document.CreateElement("span");
        span.ClassName = "notice-link";
        if (words.Length > 0 && !string.Equals(words, address, StringComparison.OrdinalIgnoreCase)
                             && !string.Equals(words, target.AbsoluteUri, StringComparison.OrdinalIgnoreCase))
        {
            foreach (var child in a.ChildNodes.ToList()) span.AppendChild(child);
            span.AppendChild(document.CreateTextNode(" "));
        }
        var shown = document.CreateElement("span");
        shown.ClassName = "notice-link__address";
        shown.TextContent = address;
        span.AppendChild(shown);
        return span;
    }

    private static string Shorten(string? url)
    {
        var text = (url ?? "").Trim();
        text = new string(text.Where(ch => !char.IsControl(ch)).ToArray());
        return text.Length > 60 ? text[..60] + "…" : text;
    }

    private static HtmlSanitizerOptions Options()
    {
        var o = HtmlSanitizerOptions.Empty();
        foreach (var tag in AllowedTags) o.AllowedTags.Add(tag);
        o.AllowedAttributes.Add("href");
        o.UriAttributes.Add("href");
        o.AllowedSchemes.Add("https");
        return o;
    }
}
