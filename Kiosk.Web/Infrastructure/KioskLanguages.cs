using System.Globalization;

namespace Kiosk.Web.Infrastructure;

/// <param name="Code">The ISO 639-1 code used in <c>lang</c> attributes, configuration and the language form.</param>
/// <param name="Culture">The culture that formats dates and numbers and picks the resource file.</param>
/// <param name="NativeName">The language's name in itself, as its button shows it.</param>
public sealed record KioskLanguage(string Code, string Culture, string NativeName);

/// <summary>The kiosk's three languages, in the order the language switch shows them.</summary>
public static class KioskLanguages
{
    /// <summary>The cookie that remembers the chosen language until the inactivity reset deletes it.</summary>
    public const string CookieName = ".kiosk.lang";

    public static readonly IReadOnlyList<KioskLanguage> All =
    [
        new("kk", "kk-KZ", "Қазақша"),
        new("ru", "ru-RU", "Русский"),
        new("en", "en-US", "English"),
    ];

    public static KioskLanguage? Find(string? code) =>
        All.FirstOrDefault(l => string.Equals(l.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The language of the current request ("kk", "ru" or "en"), as set by request localization.</summary>
    public static string Current => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
}
