using System.Diagnostics.CodeAnalysis;

namespace Kiosk.Core.Identity;

public enum Sex { Male, Female }

/// <summary>Why a string is not an IIN. Stable names: they are logged and mapped to translated messages.</summary>
public enum IinError
{
    None,
    Empty,
    WrongLength,
    NotDigits,
    BadCenturyDigit,
    BadBirthDate,
    NoCheckDigit,
    CheckDigitMismatch,
}

/// <summary>
/// Individual identification number (ИИН): YYMMDD, a century-and-sex digit, four serial digits, a check digit.
/// A value of this type has passed every structural check; it is still only as good as its weak check digit, so a
/// typed IIN must be confirmed against the registry's name and birth date.
/// </summary>
public readonly record struct Iin : ISpanParsable<Iin>
{
    private readonly string? _value;

    private Iin(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("Default Iin has no value.");

    public DateOnly BirthDate
    {
        get
        {
            var v = Value;
            var century = CenturyOf(v[6])!.Value;
            return new DateOnly(century + Two(v, 0), Two(v, 2), Two(v, 4));
        }
    }

    public Sex Sex => (Value[6] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>The form slips and status screens show: the first six digits (the birth date) hidden.</summary>
    public string Masked => "******" + Value[6..];

    public override string ToString() => Value;

    public static IinError Validate(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return IinError.Empty;
        if (s.Length != 12) return IinError.WrongLength;
        if (!CheckDigit.AllDigits(s)) return IinError.NotDigits;
        if (CenturyOf(s[6]) is not { } century) return IinError.BadCenturyDigit;
        var year = century + Two(s, 0);
        var month = Two(s, 2);
        var day = Two(s, 4);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return IinError.BadBirthDate;
        var check = CheckDigit.Compute(s[..11]);
        if (check is null) return IinError.NoCheckDigit;
        return check.Value == s[11] - '0' ? IinError.None : IinError.CheckDigitMismatch;
    }

    public static bool TryParse([NotNullWhen(true)] string? s, out Iin iin) => TryParse(s, out iin, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, out Iin iin, out IinError error)
    {
        error = s is null ? IinError.Empty : Validate(s);
        iin = error == IinError.None ? new Iin(s!) : default;
        return error == IinError.None;
    }

    public static Iin Parse(string s) =>
        TryParse(s, out var iin, out var error) ? iin : throw new FormatException($"Not a valid IIN: {error}.");

    public static Iin Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Iin result) =>
        TryParse(s, out result);

    public static Iin Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s.ToString());

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Iin result) =>
        TryParse(s.ToString(), out result);

    /// <summary>
    /// Builds a valid IIN from a birth date, sex and a serial (0..9999), moving to the next serial when no check digit
    /// exists for one. Used by the demo-data generator and tests; never to guess a real person's number.
    /// </summary>
    public static Iin Create(DateOnly birthDate, Sex sex, int serial)
    {
        var centuryDigit = birthDate.Year switch
        {
            >= 1800 and < 1900 => 1,
            >= 1900 and < 2000 => 3,
            >= 2000 and < 2100 => 5,
            _ => throw new ArgumentOutOfRangeException(nameof(birthDate), "IINs cover 1800–2099."),
        } + (sex == Sex.Female ? 1 : 0);
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var s = $"{birthDate:yyMMdd}{centuryDigit}{(serial + attempt) % 10_000:D4}";
            if (CheckDigit.Compute(s) is { } d) return new Iin(s + d);
        }
        throw new InvalidOperationException("No serial gives a check digit.");
    }

    private static int? CenturyOf(char c) => c switch
    {
        '1' or '2' => 1800,
        '3' or '4' => 1900,
        '5' or '6' => 2000,
        _ => null,
    };

    private static int Two(ReadOnlySpan<char> s, int at) => (s[at] - '0') * 10 + (s[at + 1] - '0');
}
