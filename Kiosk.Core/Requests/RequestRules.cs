using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kiosk.Core.Requests;

/// <summary>
/// The value rules of request documents (docs/request-document.md, "Rules"), shared by the constructors and the
/// parser: a value that breaks one throws <see cref="ArgumentException"/> naming the field.
/// </summary>
internal static partial class RequestRules
{
    /// <summary>Instants are written in UTC with exactly three fractional digits.</summary>
    public const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>
    /// Free text: 1..<paramref name="maxLength"/> UTF-16 code units, no leading or trailing white space, no control
    /// characters (so one line), no unpaired surrogates, Unicode NFC. The form trims and normalises; the document refuses.
    /// </summary>
    public static string Text(string? value, string field, int maxLength)
    {
        if (value is null) throw Bad(field, "is missing");
        if (value.Length == 0) throw Bad(field, "is empty");
        if (value.Length > maxLength) throw Bad(field, $"is longer than {maxLength} characters");
        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])) throw Bad(field, "starts or ends with white space");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c)) throw Bad(field, $"contains the control character U+{(int)c:X4}");
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) throw Bad(field, "contains an unpaired surrogate");
        }
        if (!value.IsNormalized(NormalizationForm.FormC)) throw Bad(field, "is not in Unicode normalisation form C");
        return value;
    }

    public static string Phone(string? value, string field)
    {
        if (value is null) throw Bad(field, "is missing");
        if (!PhonePattern().IsMatch(value)) throw Bad(field, "is not + followed by 8 to 15 digits");
        return value;
    }

    public static string OneOf(string? value, string field, IReadOnlyList<string> allowed)
    {
        if (value is null) throw Bad(field, "is missing");
        if (!allowed.Contains(value, StringComparer.Ordinal)) throw Bad(field, $"is not one of {string.Join(", ", allowed)}");
        return value;
    }

    public static string KioskId(string? value, string field)
    {
        if (value is null) throw Bad(field, "is missing");
        if (!KioskIdPattern().IsMatch(value)) throw Bad(field, "is not 1 to 64 of A-Z a-z 0-9 . _ - starting with a letter or digit");
        return value;
    }

    public static long Id(long value, string field) => value > 0 ? value : throw Bad(field, "is not a positive integer");

    public static Guid RequestId(Guid value, string field) => value != Guid.Empty ? value : throw Bad(field, "is the nil UUID");

    /// <summary>The instant in UTC, cut to whole milliseconds (what <see cref="InstantFormat"/> can carry).</summary>
    public static DateTimeOffset Instant(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    public static string FormatInstant(DateTimeOffset value) => value.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    public static bool TryParseInstant(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, InstantFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static string FormatRequestId(Guid value) => value.ToString("D"); // lower-case hex, with hyphens

    public static bool TryParseRequestId(string text, out Guid value)
    {
        value = default;
        return RequestIdPattern().IsMatch(text) && Guid.TryParseExact(text, "D", out value);
    }

    /// <summary>A district code of Central's reference data: 1–32 of <c>A-Z a-z 0-9 _ -</c>, starting with a letter or digit.</summary>
    public static string DistrictCode(string? value, string field)
    {
        if (value is null) throw Bad(field, "is missing");
        if (!DistrictCodePattern().IsMatch(value)) throw Bad(field, "is not 1 to 32 of A-Z a-z 0-9 _ - starting with a letter or digit");
        return value;
    }

    public static ArgumentException Bad(string field, string what) => new($"{field} {what}.", field);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DistrictCodePattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex KioskIdPattern();

    [GeneratedRegex(@"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\z", RegexOptions.CultureInvariant)]
    private static partial Regex RequestIdPattern();
}
