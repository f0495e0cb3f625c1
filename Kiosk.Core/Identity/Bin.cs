using System.Diagnostics.CodeAnalysis;

namespace Kiosk.Core.Identity;

/// <summary>The 5th digit of a BIN: what kind of organisation registered.</summary>
public enum BinEntityType
{
    ResidentLegalEntity = 4,
    NonResidentLegalEntity = 5,
    JointIndividualEntrepreneurship = 6,
}

public enum BinError { None, Empty, WrongLength, NotDigits, BadMonth, BadTypeDigit, NoCheckDigit, CheckDigitMismatch }

/// <summary>
/// Business identification number (БИН): YYMM of registration, the entity-type digit (4, 5 or 6), an attribute digit,
/// five serial digits and the same check digit as the IIN.
/// </summary>
public readonly record struct Bin
{
    private readonly string? _value;

    private Bin(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("Default Bin has no value.");

    public BinEntityType EntityType => (BinEntityType)(Value[4] - '0');

    /// <summary>Year and month of registration as the BIN encodes them (two-digit year).</summary>
    public (int YearOfCentury, int Month) Registered => ((Value[0] - '0') * 10 + Value[1] - '0', (Value[2] - '0') * 10 + Value[3] - '0');

    public override string ToString() => Value;

    public static BinError Validate(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return BinError.Empty;
        if (s.Length != 12) return BinError.WrongLength;
        if (!CheckDigit.AllDigits(s)) return BinError.NotDigits;
        var month = (s[2] - '0') * 10 + s[3] - '0';
        if (month is < 1 or > 12) return BinError.BadMonth;
        if (s[4] is not ('4' or '5' or '6')) return BinError.BadTypeDigit;
        var check = CheckDigit.Compute(s[..11]);
        if (check is null) return BinError.NoCheckDigit;
        return check.Value == s[11] - '0' ? BinError.None : BinError.CheckDigitMismatch;
    }

    public static bool TryParse([NotNullWhen(true)] string? s, out Bin bin, out BinError error)
    {
        error = s is null ? BinError.Empty : Validate(s);
        bin = error == BinError.None ? new Bin(s!) : default;
        return error == BinError.None;
    }

    public static bool TryParse([NotNullWhen(true)] string? s, out Bin bin) => TryParse(s, out bin, out _);

    public static Bin Parse(string s) =>
        TryParse(s, out var bin, out var error) ? bin : throw new FormatException($"Not a valid BIN: {error}.");
}
