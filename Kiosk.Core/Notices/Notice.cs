using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kiosk.Core.Notices;

/// <summary>A text of a notice in the kiosk's three languages; an empty string where a language has none.</summary>
public sealed record NoticeText(string Kk, string Ru, string En)
{
    public static readonly NoticeText Empty = new("", "", "");

    public string For(string language) => language switch { "kk" => Kk, "ru" => Ru, "en" => En, _ => "" };
}

/// <summary>One language's version of a notice, as a screen shows it.</summary>
/// <param name="Language">kk, ru or en: the version's own language (it may differ from the screen's, see <see cref="NoticeLanguages.Pick"/>).</param>
public sealed record NoticeVersion(string Language, string Title, string Body);

/// <summary>The languages of a notice and the choice of the version a screen shows.</summary>
public static class NoticeLanguages
{
    public static readonly IReadOnlyList<string> All = ["kk", "ru", "en"];

    /// <summary>
    /// The version to show in <paramref name="language"/>: that language's when it has a title, else Russian's, else the
    /// first of Kazakh, English that has one (docs/notices.md "Languages"). Title and body always come from the same
    /// language, never a title in one and a body in another. Null when no language has a title.
    /// </summary>
    public static NoticeVersion? Pick(NoticeText title, NoticeText body, string language)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(body);
        foreach (var candidate in new[] { language, "ru", "kk", "en" })
        {
            var t = title.For(candidate);
            if (!string.IsNullOrWhiteSpace(t)) return new NoticeVersion(candidate, t, body.For(candidate));
        }
        return null;
    }
}

/// <summary>A notice's validity: from <paramref name="From"/> (inclusive) to <paramref name="To"/> (exclusive), instants in UTC.</summary>
public readonly record struct NoticeWindow(DateTimeOffset From, DateTimeOffset To)
{
    public bool Contains(DateTimeOffset instant) => From <= instant && instant < To;

    public bool IsOver(DateTimeOffset instant) => instant >= To;
}

/// <summary>What an operator asks to save: the texts as written (HTML bodies not yet cleaned), the window, the clinics.</summary>
public sealed record NoticeDraft(NoticeText Title, NoticeText Body, DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo, IReadOnlyList<long>? ClinicIds);

/// <param name="Field">Which input it is about: <c>title.kk</c>, <c>body.ru</c>, <c>validFrom</c>, <c>validTo</c>, <c>clinicIds</c>, <c>title</c>.</param>
/// <param name="Code">A stable code a page can translate: required, too-long, html, control-characters, body-without-title, order, over, window-too-long, unknown-clinic, too-many.</param>
/// <param name="Message">The same in English, for the API's caller.</param>
public sealed record NoticeFieldError(string Field, string Code, string Message);

/// <summary>A notice that passed <see cref="NoticeRules.Check"/>: titles normalised, bodies sanitised, clinics distinct and sorted.</summary>
public sealed record CleanNotice(NoticeText Title, NoticeText Body, NoticeWindow Window, IReadOnlyList<long> ClinicIds);

/// <param name="Removed">Per language (kk, ru, en), what the sanitiser took out of the body: the operator hears of it, nothing is refused for it.</param>
public sealed record NoticeCheck(CleanNotice? Notice, IReadOnlyList<NoticeFieldError> Errors, IReadOnlyDictionary<string, IReadOnlyList<string>> Removed)
{
    public bool Ok => Notice is not null;
}

/// <summary>
/// The rules of a clinic notice (issue 12 item 4; docs/notices.md), the same at Central's API and, later, its page:
/// <list type="bullet">
/// <item>a title is plain text: whitespace collapsed, no control characters, nothing that looks like a tag, at most
/// <see cref="MaxTitleLength"/> characters;</item>
/// <item>a body is limited HTML (<see cref="NoticeHtml"/>), at most <see cref="MaxBodyInputLength"/> characters as
/// written and <see cref="MaxBodyLength"/> once cleaned; a language with a body needs a title; at least one language
/// has a title;</item>
/// <item>the window: both ends given, from before to, not over yet, at most <see cref="MaxWindow"/> long;</item>
/// <item>at least one target clinic, each one Central knows, at most <see cref="MaxClinics"/>.</item>
/// </list>
/// Links in the body may go only to the target clinics' own web sites.
/// </summary>
public static partial class NoticeRules
{
    public const int MaxTitleLength = 120;
    public const int MaxBodyInputLength = 20_000;
    public const int MaxBodyLength = 4_000;
    public const int MaxClinics = 100;
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    /// <param name="clinicWebsites">Every clinic Central knows, with its web site (null: none yet).</param>
    public static NoticeCheck Check(NoticeDraft draft, DateTimeOffset now, IReadOnlyDictionary<long, string?> clinicWebsites)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(clinicWebsites);
        var errors = new List<NoticeFieldError>();
        var removed = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

        // Clinics first: their sites are where links may go.
        var clinics = (draft.ClinicIds ?? []).Distinct().Order().ToList();
        if (clinics.Count == 0)
            errors.Add(new("clinicIds", "required", "Choose at least one clinic the notice is for."));
        else if (clinics.Count > MaxClinics)
            errors.Add(new("clinicIds", "too-many", $"At most {MaxClinics} clinics per notice."));
        var unknown = clinics.Where(id => !clinicWebsites.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
            errors.Add(new("clinicIds", "unknown-clinic",
                "No such clinic: " + string.Join(", ", unknown.Take(10).Select(id => id.ToString(CultureInfo.InvariantCulture))) + "."));
        var hosts = ClinicWebsite.Hosts(clinics.Where(clinicWebsites.ContainsKey).Select(id => clinicWebsites[id]));

        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        var bodies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var language in NoticeLanguages.All)
        {
            var (title, titleError) = NormaliseTitle(draft.Title?.For(language));
            if (titleError is not null) errors.Add(titleError with { Field = "title." + language });
            titles[language] = title;

            var raw = draft.Body?.For(language) ?? "";
            var body = "";
            if (raw.Length > MaxBodyInputLength)
                errors.Add(new("body." + language, "too-long", $"The text is too long: at most {MaxBodyInputLength} characters as written."));
            else if (!string.IsNullOrWhiteSpace(raw))
            {
                var clean = NoticeHtml.Sanitize(raw, hosts);
                if (clean.Removed.Count > 0) removed[language] = clean.Removed;
                body = NoticeHtml.TextOf(clean.Html).Length == 0 ? "" : clean.Html;
                if (body.Length > MaxBodyLength)
                    errors.Add(new("body." + language, "too-long", $"The text is too long: at most {MaxBodyLength} characters of HTML once cleaned."));
            }
            bodies[language] = body;
            if (body.Length > 0 && title.Length == 0 && titleError is null)
                errors.Add(new("title." + language, "body-without-title", "A text in this language needs a title too."));
        }
        if (titles.Values.All(t => t.Length == 0) && !errors.Any(e => e.Field.StartsWith("title.", StringComparison.Ordinal)))
            errors.Add(new("title", "required", "Write the title in at least one language (Russian, Kazakh or English)."));

        if (draft.ValidFrom is null) errors.Add(new("validFrom", "required", "Say from when the notice is shown."));
        if (draft.ValidTo is null) errors.Add(new("validTo", "required", "Say until when the notice is shown."));
        if (draft.ValidFrom is { } from && draft.ValidTo is { } to)
        {
            if (to <= from) errors.Add(new("validTo", "order", "The end must come after the start."));
            else if (to - from > MaxWindow) errors.Add(new("validTo", "window-too-long", $"A notice is shown for at most {MaxWindow.TotalDays:0} days."));
            else if (to <= now) errors.Add(new("validTo", "over", "The end has passed already."));
        }

        if (errors.Count > 0) return new NoticeCheck(null, errors, removed);
        var notice = new CleanNotice(
            new NoticeText(titles["kk"], titles["ru"], titles["en"]),
            new NoticeText(bodies["kk"], bodies["ru"], bodies["en"]),
            new NoticeWindow(draft.ValidFrom!.Value.ToUniversalTime(), draft.ValidTo!.Value.ToUniversalTime()),
            clinics);
        return new NoticeCheck(notice, [], removed);
    }

    /// <summary>A title as plain text: trimmed, runs of whitespace as one space; an error for control characters, tags or length.</summary>
    public static (string Title, NoticeFieldError? Error) NormaliseTitle(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return ("", null);
        if (title.Length > MaxTitleLength * 4)
            return ("", new("title", "too-long", $"A title has at most {MaxTitleLength} characters."));
        var text = new StringBuilder(title.Length);
        foreach (var ch in title)
        {
            if (char.IsWhiteSpace(ch)) { text.Append(' '); continue; }
            if (char.IsControl(ch) || (char.GetUnicodeCategory(ch) == UnicodeCategory.Format && ch != '\u200D'))
                return ("", new("title", "control-characters", "A title cannot hold control or invisible formatting characters."));
            text.Append(ch);
        }
        var normalised = Spaces().Replace(text.ToString(), " ").Trim();
        if (TagLike().IsMatch(normalised))
            return ("", new("title", "html", "A title is plain text: no HTML tags."));
        if (normalised.Length > MaxTitleLength)
            return ("", new("title", "too-long", $"A title has at most {MaxTitleLength} characters."));
        return (normalised, null);
    }

    [GeneratedRegex(" {2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();

    // "<" followed by a letter, "/", "!" or "?": the start of a tag, an end tag, a comment or a processing instruction.
    // "a < b" and "<->" stay allowed.
    [GeneratedRegex("<[A-Za-z/!?]", RegexOptions.CultureInvariant)]
    private static partial Regex TagLike();
}
