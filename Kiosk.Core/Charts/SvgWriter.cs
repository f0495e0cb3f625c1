using System.Globalization;
using System.Text;
using System.Xml;

namespace Kiosk.Core.Charts;

/// <summary>
/// Writes a small, static, accessible SVG image (issue 12 items 5–6): <c>role="img"</c> with a <c>&lt;title&gt;</c> and a
/// <c>&lt;desc&gt;</c> that screen readers announce, presentation attributes only (no <c>style</c>, so a strict CSP
/// applies cleanly), and nothing that runs or loads: no script, no event attributes, no links, no external references,
/// no <c>foreignObject</c>. Every text goes through <see cref="XmlWriter"/>, which escapes it, after
/// <see cref="Clean"/> has dropped what XML cannot hold. The result has no XML declaration, so it can be served as
/// <c>image/svg+xml</c> or inlined into an HTML page as it is.
/// </summary>
public sealed class SvgWriter
{
    public const string Namespace = "http://www.w3.org/2000/svg";

    /// <summary>The longest label the charts write; longer ones end in "…".</summary>
    public const int MaxLabelLength = 120;

    private readonly StringBuilder _text = new();
    private readonly XmlWriter _xml;
    private readonly string _idPrefix;

    /// <param name="idPrefix">Prefix of every id the image defines (its title, description and patterns), so that two
    /// charts inlined into one page do not clash: letters, digits and '-' only.</param>
    public SvgWriter(int width, int height, string title, string description, string idPrefix, string language = "en")
    {
        if (idPrefix.Length is 0 or > 32 || !idPrefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || !char.IsAsciiLetter(idPrefix[0]))
            throw new ArgumentException("The id prefix must be 1–32 of A-Z a-z 0-9 - starting with a letter.", nameof(idPrefix));
        _idPrefix = idPrefix;
        _xml = XmlWriter.Create(_text, new XmlWriterSettings
        {
            OmitXmlDeclaration = true,
            Indent = false,
            CheckCharacters = true,
            NewLineHandling = NewLineHandling.Entitize,
            ConformanceLevel = ConformanceLevel.Document,
        });
        _xml.WriteStartElement("svg", Namespace);
        Attr("width", width);
        Attr("height", height);
        _xml.WriteAttributeString("viewBox", $"0 0 {N(width)} {N(height)}");
        _xml.WriteAttributeString("role", "img");
        _xml.WriteAttributeString("aria-labelledby", Id("title") + " " + Id("desc"));
        _xml.WriteAttributeString("lang", language);
        _xml.WriteAttributeString("font-family", "DejaVu Sans, Noto Sans, Arial, sans-serif");
        _xml.WriteStartElement("title", Namespace);
        _xml.WriteAttributeString("id", Id("title"));
        _xml.WriteString(Clean(title, 300));
        _xml.WriteEndElement();
        _xml.WriteStartElement("desc", Namespace);
        _xml.WriteAttributeString("id", Id("desc"));
        _xml.WriteString(Clean(description, 20_000));
        _xml.WriteEndElement();
        // A white ground: the image reads the same on any page and when opened alone.
        Rect(0, 0, width, height, "#ffffff");
    }

    /// <summary>An id of this image (prefixed).</summary>
    public string Id(string name) => _idPrefix + "-" + name;

    /// <summary>A reference to a pattern defined with <see cref="HatchPattern"/>.</summary>
    public string PatternFill(string name) => $"url(#{Id(name)})";

    /// <summary>Defines a pattern: <paramref name="background"/> with thin <paramref name="ink"/> diagonal lines (or dots).</summary>
    public void HatchPattern(string name, string background, string ink, bool dots = false)
    {
        _xml.WriteStartElement("defs", Namespace);
        _xml.WriteStartElement("pattern", Namespace);
        _xml.WriteAttributeString("id", Id(name));
        _xml.WriteAttributeString("patternUnits", "userSpaceOnUse");
        Attr("width", 8);
        Attr("height", 8);
        Rect(0, 0, 8, 8, background);
        if (dots)
        {
            _xml.WriteStartElement("circle", Namespace);
            Attr("cx", 4);
            Attr("cy", 4);
            Attr("r", 1.6);
            _xml.WriteAttributeString("fill", ink);
            _xml.WriteEndElement();
        }
        else
        {
            _xml.WriteStartElement("path", Namespace);
            _xml.WriteAttributeString("d", "M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4");
            _xml.WriteAttributeString("stroke", ink);
            Attr("stroke-width", 1.5);
            _xml.WriteEndElement();
        }
        _xml.WriteEndElement();
        _xml.WriteEndElement();
    }

    /// <summary>Opens a group with <c>data-*</c> attributes (names checked, values cleaned), for readers of the markup and tests.</summary>
    public void StartGroup(params (string Name, string? Value)[] data)
    {
        _xml.WriteStartElement("g", Namespace);
        foreach (var (name, value) in data) Data(name, value);
    }

    public void EndGroup() => _xml.WriteEndElement();

    public void Rect(double x, double y, double width, double height, string fill, string? stroke = null, params (string Name, string? Value)[] data)
    {
        _xml.WriteStartElement("rect", Namespace);
        Attr("x", x);
        Attr("y", y);
        Attr("width", Math.Max(0, width));
        Attr("height", Math.Max(0, height));
        _xml.WriteAttributeString("fill", fill);
        if (stroke is not null)
        {
            _xml.WriteAttributeString("stroke", stroke);
            Attr("stroke-width", 1);
        }
        foreach (var (name, value) in data) Data(name, value);
        _xml.WriteEndElement();
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 2, bool dashed = false)
    {
        _xml.WriteStartElement("line", Namespace);
        Attr("x1", x1);
        Attr("y1", y1);
        Attr("x2", x2);
        Attr("y2", y2);
        _xml.WriteAttributeString("stroke", stroke);
        Attr("stroke-width", width);
        if (dashed) _xml.WriteAttributeString("stroke-dasharray", "6 4");
        _xml.WriteEndElement();
    }

    /// <summary>A line of text at (x, y) (the baseline), cleaned and escaped.</summary>
    public void Text(double x, double y, string? text, double size = 14, bool bold = false, string fill = "#101418", string anchor = "start",
        params (string Name, string? Value)[] data)
    {
        _xml.WriteStartElement("text", Namespace);
        Attr("x", x);
        Attr("y", y);
        Attr("font-size", size);
        if (bold) _xml.WriteAttributeString("font-weight", "bold");
        _xml.WriteAttributeString("fill", fill);
        if (anchor != "start") _xml.WriteAttributeString("text-anchor", anchor);
        foreach (var (name, value) in data) Data(name, value);
        _xml.WriteString(Clean(text, MaxLabelLength));
        _xml.WriteEndElement();
    }

    /// <summary>Closes the image and gives its markup.</summary>
    public string Finish()
    {
        _xml.WriteEndElement();
        _xml.Flush();
        _xml.Dispose();
        return _text.ToString();
    }

    /// <summary>
    /// A text fit for the image: characters XML 1.0 cannot hold (controls, lone surrogates, U+FFFE/U+FFFF) and line
    /// breaks become spaces, runs of white space one space, at most <paramref name="max"/> characters. Markup characters
    /// stay: the writer escapes them.
    /// </summary>
    public static string Clean(string? text, int max = MaxLabelLength)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new StringBuilder(Math.Min(text.Length, max + 1));
        var space = false;
        for (var i = 0; i < text.Length && builder.Length < max + 1; i++)
        {
            var c = text[i];
            string? piece;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                piece = text.Substring(i, 2);
                i++;
            }
            else if (char.IsSurrogate(c) || !XmlConvert.IsXmlChar(c) || char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u2028' or '\u2029')
            {
                piece = null;
            }
            else
            {
                piece = c.ToString();
            }
            if (piece is null)
            {
                space = builder.Length > 0;
                continue;
            }
            if (space) builder.Append(' ');
            space = false;
            builder.Append(piece);
        }
        if (builder.Length > max)
        {
            var cut = max - 1;
            if (cut > 0 && char.IsLowSurrogate(builder[cut])) cut--;
            builder.Length = cut;
            builder.Append('…');
        }
        return builder.ToString();
    }

    private void Data(string name, string? value)
    {
        if (value is null) return;
        if (name.Length is 0 or > 32 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            throw new ArgumentException("A data attribute's name is a-z 0-9 - only.", nameof(name));
        _xml.WriteAttributeString("data-" + name, Clean(value, 200));
    }

    private void Attr(string name, double value) => _xml.WriteAttributeString(name, N(value));

    /// <summary>A coordinate: invariant culture, at most two decimals.</summary>
    public static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
