using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using CsCheck;
using Kiosk.Core.Notices;

namespace Kiosk.Tests.Notices;

/// <summary>
/// The notice sanitiser (<see cref="NoticeHtml"/>) against a broad hostile corpus in the style of OWASP's XSS filter
/// evasion cheat sheet, checked the way a browser would see the result: the output is parsed again as HTML and every
/// element, attribute and link in it must be one the allow-list permits; parsing and serialising the output must give
/// it back unchanged (what was checked is what a browser builds: no mutation XSS), and sanitising it again changes
/// nothing.
/// </summary>
public sealed class NoticeHtmlTests
{
    private const string Site = "emhana-1.astana.kz";
    private static readonly IReadOnlySet<string> Hosts = new HashSet<string> { Site };

    /// <summary>(what it tries, the payload). The marker "PWNED" stands for code that must never survive as code.</summary>
    public static readonly TheoryData<string, string> Hostile = new()
    {
        { "script", "<script>alert('PWNED')</script><p>ok</p>" },
        { "script, upper case", "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>ok" },
        { "script split by a null-ish tag", "<scr<script>ipt>alert('PWNED')</script>ok" },
        { "img onerror", "<img src=x onerror=alert('PWNED')>ok" },
        { "img onerror, no quotes, slash", "<img/src=x/onerror=alert('PWNED')>ok" },
        { "body onload", "<body onload=alert('PWNED')>ok" },
        { "svg onload", "<svg onload=alert('PWNED')>ok" },
        { "svg script", "<svg><script>alert('PWNED')</script></svg>ok" },
        { "svg a xlink:href", "<svg><a xlink:href=\"javascript:alert('PWNED')\"><text x=20 y=20>tap</text></a></svg>ok" },
        { "svg animate href", "<svg><animate attributeName=href to=javascript:alert('PWNED') /><a><text>tap</text></a></svg>ok" },
        { "svg foreignObject", "<svg><foreignObject><p onclick=alert('PWNED')>x</p></foreignObject></svg>ok" },
        { "svg set onbegin", "<svg><set onbegin=alert('PWNED') attributeName=x to=1 /></svg>ok" },
        { "math", "<math><mtext><table><mglyph><style><img src=x onerror=alert('PWNED')></style></mglyph></table></mtext></math>ok" },
        { "math href", "<math href=\"javascript:alert('PWNED')\">tap</math>ok" },
        { "a javascript:", "<a href=\"javascript:alert('PWNED')\">tap</a>" },
        { "a javascript: mixed case", "<a href=\"JaVaScRiPt:alert('PWNED')\">tap</a>" },
        { "a javascript: tab", "<a href=\"jav\tascript:alert('PWNED')\">tap</a>" },
        { "a javascript: entity tab", "<a href=\"jav&#x09;ascript:alert('PWNED')\">tap</a>" },
        { "a javascript: entity newline", "<a href=\"jav&#x0A;ascript:alert('PWNED')\">tap</a>" },
        { "a javascript: leading space", "<a href=\" javascript:alert('PWNED')\">tap</a>" },
        { "a javascript: leading control", "<a href=\"&#14;javascript:alert('PWNED')\">tap</a>" },
        { "a javascript: decimal entities", "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('PWNED')\">tap</a>" },
        { "a javascript: padded decimal entities", "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert('PWNED')\">tap</a>" },
        { "a javascript: hex entities", "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert('PWNED')\">tap</a>" },
        { "a javascript: named entity colon", "<a href=\"javascript&colon;alert('PWNED')\">tap</a>" },
        { "a javascript: backtick", "<a href=`javascript:alert('PWNED')`>tap</a>" },
        { "a data:", "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgnUFdORUQnKTwvc2NyaXB0Pg==\">tap</a>" },
        { "a vbscript:", "<a href=\"vbscript:msgbox('PWNED')\">tap</a>" },
        { "a onmouseover", "<a href=\"https://emhana-1.astana.kz/\" onmouseover=\"alert('PWNED')\">tap</a>" },
        { "a target _blank", "<a href=\"https://emhana-1.astana.kz/\" target=\"_blank\" rel=\"opener\">tap</a>" },
        { "a ping", "<a href=\"https://emhana-1.astana.kz/\" ping=\"https://evil.example/PWNED\">tap</a>" },
        { "a other host", "<a href=\"https://evil.example/PWNED\">tap</a>" },
        { "a protocol-relative", "<a href=\"//evil.example/PWNED\">tap</a>" },
        { "a relative path", "<a href=\"/PWNED\">tap</a>" },
        { "a http", "<a href=\"http://emhana-1.astana.kz/PWNED\">tap</a>" },
        { "a user info", "<a href=\"https://emhana-1.astana.kz@evil.example/PWNED\">tap</a>" },
        { "a look-alike suffix", "<a href=\"https://emhana-1.astana.kz.evil.example/PWNED\">tap</a>" },
        { "a other port", "<a href=\"https://emhana-1.astana.kz:8443/PWNED\">tap</a>" },
        { "a backslashes", "<a href=\"https:\\\\evil.example\\PWNED\">tap</a>" },
        { "a IP address", "<a href=\"https://10.0.0.1/PWNED\">tap</a>" },
        { "iframe", "<iframe src=\"https://evil.example/PWNED\"></iframe>ok" },
        { "iframe srcdoc", "<iframe srcdoc=\"&lt;script&gt;alert('PWNED')&lt;/script&gt;\"></iframe>ok" },
        { "frameset", "<frameset><frame src=\"https://evil.example/PWNED\"></frameset>ok" },
        { "object", "<object data=\"https://evil.example/PWNED.swf\" type=\"application/x-shockwave-flash\"></object>ok" },
        { "embed", "<embed src=\"https://evil.example/PWNED.swf\">ok" },
        { "style @import", "<style>@import url(https://evil.example/PWNED.css);</style>ok" },
        { "style expression", "<style>p{background:url(javascript:alert('PWNED'))}</style><p>ok</p>" },
        { "style attribute url", "<p style=\"background:url(javascript:alert('PWNED'))\">ok</p>" },
        { "style attribute expression", "<p style=\"width:expression(alert('PWNED'))\">ok</p>" },
        { "style attribute escaped", "<p style=\"background:\\75\\72\\6C(javascript:alert('PWNED'))\">ok</p>" },
        { "link stylesheet", "<link rel=stylesheet href=\"https://evil.example/PWNED.css\">ok" },
        { "form action", "<form action=\"https://evil.example/PWNED\"><input name=q><button formaction=\"javascript:alert('PWNED')\">go</button></form>ok" },
        { "input autofocus onfocus", "<input autofocus onfocus=alert('PWNED')>ok" },
        { "select onfocus", "<select autofocus onfocus=alert('PWNED')></select>ok" },
        { "textarea", "<textarea autofocus onfocus=alert('PWNED')></textarea>ok" },
        { "details ontoggle", "<details open ontoggle=alert('PWNED')><summary>x</summary></details>ok" },
        { "video source onerror", "<video><source onerror=\"alert('PWNED')\"></video>ok" },
        { "audio src onerror", "<audio src=x onerror=alert('PWNED')>ok" },
        { "base href", "<base href=\"https://evil.example/PWNED/\">ok" },
        { "meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/PWNED\">ok" },
        { "meta refresh data", "<meta http-equiv=\"refresh\" content=\"0;url=data:text/html,&lt;script&gt;alert('PWNED')&lt;/script&gt;\">ok" },
        { "noscript mutation", "<noscript><p title=\"</noscript><img src=x onerror=alert('PWNED')>\"></noscript>ok" },
        { "noscript style mutation", "<noscript><style></noscript><img src=x onerror=alert('PWNED')></style></noscript>ok" },
        { "template", "<template><script>alert('PWNED')</script></template>ok" },
        { "xmp", "<xmp><script>alert('PWNED')</script></xmp>ok" },
        { "listing mutation", "<listing>&lt;img src=x onerror=alert('PWNED')&gt;</listing>ok" },
        { "comment mutation", "<!--<img src=\"--><img src=x onerror=alert('PWNED')//\">ok" },
        { "cdata", "<![CDATA[<img src=x onerror=alert('PWNED')>]]>ok" },
        { "unclosed attribute", "<p title=\"x onmouseover=alert('PWNED')//\">ok</p>" },
        { "p with href", "<p href=\"javascript:alert('PWNED')\">ok</p>" },
        { "b with onclick", "<b onclick=\"alert('PWNED')\">ok</b>" },
        { "id and class clobbering", "<p id=\"location\" class=\"x\" name=\"cookie\">ok</p><form name=\"PWNED\"></form>" },
        { "data attribute", "<p data-x=\"PWNED\">ok</p>" },
        { "marquee", "<marquee onstart=alert('PWNED')>ok</marquee>" },
        { "dialog open", "<dialog open onclose=alert('PWNED')>ok</dialog>" },
        { "nested a", "<a href=\"https://emhana-1.astana.kz/\"><a href=\"javascript:alert('PWNED')\">tap</a></a>" },
        { "portal", "<portal src=\"https://evil.example/PWNED\"></portal>ok" },
        { "applet", "<applet code=\"PWNED.class\"></applet>ok" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_hostile_payload_leaves_only_allowed_elements_attributes_and_links(string what, string payload)
    {
        foreach (var mode in new[] { NoticeLinks.Keep, NoticeLinks.AsText })
        {
            var clean = NoticeHtml.Sanitize(payload, Hosts, mode).Html;
            AssertOnlyAllowed(clean, mode, $"{what} ({mode}): {clean}");
            // No code of the payload survives anywhere in the markup, as code or as an attribute.
            Assert.DoesNotContain("javascript:", clean, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("evil.example", clean, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<script", clean, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("alert(", Attributes(clean), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void The_output_is_stable_when_parsed_again_and_when_sanitised_again(string what, string payload)
    {
        var clean = NoticeHtml.Sanitize(payload, Hosts).Html;
        Assert.True(clean == Reserialise(clean), $"{what}: a browser would build something else from {clean}: {Reserialise(clean)}");
        Assert.Equal(clean, NoticeHtml.Sanitize(clean, Hosts).Html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script><p>after</p>", "<p>after</p>")]
    [InlineData("<img src=x onerror=alert(1)>text", "text")]
    [InlineData("<svg onload=alert(1)><a href=\"https://emhana-1.astana.kz/\">in svg</a></svg>text", "text")]
    [InlineData("<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>text", "text")]
    [InlineData("<style>@import url(x.css)</style>text", "text")]
    [InlineData("<p style=\"background:url(javascript:alert(1))\">styled</p>", "<p>styled</p>")]
    [InlineData("<a href=\"javascript:alert(1)\">words</a>", "words")]
    [InlineData("<a href=\"https://evil.example/\">words</a>", "words")]
    [InlineData("<a href=\"//evil.example/\">words</a>", "words")]
    [InlineData("<div>Word <span style=\"color:red\">kept</span> <em>too</em></div>", "Word kept too")]
    [InlineData("<table><tr><td>cell</td></tr></table>", "cell")]
    [InlineData("<form action=\"x\"><input value=a><button>go</button></form>text", "text")]
    public void Code_goes_with_its_content_and_harmless_containers_leave_their_words(string payload, string expected) =>
        Assert.Equal(expected, NoticeHtml.Sanitize(payload, Hosts).Html);

    [Fact]
    public void What_a_notice_may_hold_passes_unchanged()
    {
        const string allowed = "<p>Приём <b>с 8:00</b> и <strong>до 20:00</strong>.<br>Адрес прежний.</p>" +
                               "<ul><li>один</li><li>два</li></ul><ol><li>первый</li></ol>";
        Assert.Equal(allowed, NoticeHtml.Sanitize(allowed, Hosts).Html);
    }

    [Fact]
    public void A_link_to_the_clinics_site_stays_with_rel_and_without_target_or_handlers()
    {
        var result = NoticeHtml.Sanitize(
            "<a href=\"https://EMHANA-1.astana.kz/flu?x=1\" target=\"_blank\" rel=\"opener\" onclick=\"x()\">Подробнее</a>", Hosts);
        Assert.Equal("<a href=\"https://emhana-1.astana.kz/flu?x=1\" rel=\"noopener noreferrer\">Подробнее</a>", result.Html);
        Assert.Contains("target=", result.Removed);
        Assert.Contains("onclick=", result.Removed);
        Assert.DoesNotContain("rel=", result.Removed); // the sanitiser's own rel is not news to the operator
    }

    [Fact]
    public void Without_a_known_site_no_link_survives()
    {
        var result = NoticeHtml.Sanitize("<a href=\"https://emhana-1.astana.kz/\">сайт</a>", new HashSet<string>());
        Assert.Equal("сайт", result.Html);
        Assert.Equal(["link https://emhana-1.astana.kz/"], result.Removed);
    }

    [Fact]
    public void On_the_kiosk_a_link_becomes_its_words_and_its_address_as_text()
    {
        var stored = NoticeHtml.Sanitize("<p>График: <a href=\"https://emhana-1.astana.kz/holidays\">на праздники</a></p>", Hosts).Html;
        Assert.Equal(
            "<p>График: <span class=\"notice-link\">на праздники <span class=\"notice-link__address\">emhana-1.astana.kz/holidays</span></span></p>",
            NoticeHtml.Sanitize(stored, Hosts, NoticeLinks.AsText).Html);
        // Words that are the address itself are not said twice.
        Assert.Equal("<span class=\"notice-link\"><span class=\"notice-link__address\">emhana-1.astana.kz</span></span>",
            NoticeHtml.Sanitize("<a href=\"https://emhana-1.astana.kz/\">emhana-1.astana.kz</a>", Hosts, NoticeLinks.AsText).Html);
    }

    [Fact]
    public void The_operator_hears_what_was_removed()
    {
        var result = NoticeHtml.Sanitize("<script>x</script><img src=x onerror=y><a href=\"https://evil.example/\">z</a><p style=\"color:red\">w</p>", Hosts);
        Assert.Equal(["<script>", "<img>", "link https://evil.example/", "style="], result.Removed);
    }

    /// <summary>Random soup of tags, attributes, URLs and text: whatever comes in, only the allow-list comes out, stably.</summary>
    [Fact]
    public void Random_markup_soup_always_comes_out_allowed_and_stable()
    {
        string[] tags = ["p", "b", "a", "script", "svg", "math", "style", "img", "iframe", "noscript", "template", "li", "ul", "div", "table", "textarea", "form", "select", "option", "xmp", "title", "br", "strong"];
        string[] attributes = ["href", "onclick", "onerror", "style", "src", "srcdoc", "xlink:href", "formaction", "title", "id", "target", "rel"];
        string[] values =
        [
            "https://emhana-1.astana.kz/a", "javascript:alert(1)", "JAVASCRIPT:x", "//evil.example", "https://evil.example/", "x\" onerror=\"y",
            "</noscript><img src=x onerror=1>", "data:text/html,x", "&#106;avascript:1", "https://emhana-1.astana.kz@evil.example/",
        ];
        var piece = Gen.OneOf(
            Gen.Select(Gen.OneOf(tags), Gen.OneOf(attributes), Gen.OneOf(values), (t, a, v) => $"<{t} {a}=\"{v}\">"),
            Gen.OneOf(tags).Select(t => $"</{t}>"),
            Gen.OneOf(new[] { "text", "ә і ң", "<", ">", "&", "\"", "'", "<!--", "-->", "<![CDATA[", "]]>", "<?x", "&lt;script&gt;" }));
        piece.Array[1, 25].Select(parts => string.Concat(parts)).Sample(soup =>
        {
            foreach (var mode in new[] { NoticeLinks.Keep, NoticeLinks.AsText })
            {
                var clean = NoticeHtml.Sanitize(soup, Hosts, mode).Html;
                AssertOnlyAllowed(clean, mode, $"{soup} → {clean}");
            }
            var kept = NoticeHtml.Sanitize(soup, Hosts).Html;
            Assert.Equal(kept, Reserialise(kept));
            Assert.Equal(kept, NoticeHtml.Sanitize(kept, Hosts).Html);
        }, iter: 5_000);
    }

    // ---- checks ---------------------------------------------------------------------------------------------------

    private static readonly HtmlParser Parser = new();

    private static INodeList Parse(string html)
    {
        var document = Parser.ParseDocument("<!DOCTYPE html><html><body></body></html>");
        return Parser.ParseFragment(html, document.Body!);
    }

    private static string Reserialise(string html) => string.Concat(Parse(html).Select(n => n.ToHtml()));

    private static string Attributes(string html) =>
        string.Join(" ", Parse(html).SelectMany(Descendants).OfType<IElement>().SelectMany(e => e.Attributes).Select(a => a.Name + "=" + a.Value));

    private static IEnumerable<INode> Descendants(INode node) => node.ChildNodes.SelectMany(Descendants).Prepend(node);

    /// <summary>Every element and attribute of <paramref name="html"/>, as a browser parses it, is one the mode allows.</summary>
    internal static void AssertOnlyAllowed(string html, NoticeLinks mode, string what)
    {
        foreach (var node in Parse(html).SelectMany(Descendants))
        {
            if (node is IComment) Assert.Fail($"a comment survived: {what}");
            if (node is not IElement element) continue;
            Assert.True(element.NamespaceUri == AngleSharp.Dom.NamespaceNames.HtmlUri, $"foreign element <{element.LocalName}>: {what}");
            var name = element.LocalName;
            if (mode == NoticeLinks.AsText && name == "span")
            {
                var attribute = Assert.Single(element.Attributes);
                Assert.Equal("class", attribute.Name);
                Assert.Contains(attribute.Value, new[] { "notice-link", "notice-link__address" });
                continue;
            }
            Assert.True(NoticeHtml.AllowedTags.Contains(name) && !(mode == NoticeLinks.AsText && name == "a"), $"<{name}> survived: {what}");
            if (name != "a")
            {
                Assert.True(element.Attributes.Length == 0, $"<{name}> kept attributes {string.Join(",", element.Attributes.Select(a => a.Name))}: {what}");
                continue;
            }
            Assert.Equal(["href", "rel"], element.Attributes.Select(a => a.Name).Order());
            Assert.Equal(NoticeHtml.LinkRel, element.GetAttribute("rel"));
            var href = new Uri(element.GetAttribute("href")!);
            Assert.Equal(("https", Site, 443, ""), (href.Scheme, href.Host, href.Port, href.UserInfo));
        }
    }
}
