namespace Kiosk.Core.Identity;

/// <summary>
/// The check digit shared by IIN and BIN (DESIGN §4): a = Σ dᵢ·i mod 11 over the first 11 digits; when that is 10 a
/// second pass uses the weights 3..11,1,2; when the second pass is 10 too no check digit exists and the number is
/// invalid. The scheme is weak: digit 11 weighs 11 ≡ 0 in the first pass, so a slip there usually goes unnoticed.
/// </summary>
public static class CheckDigit
{
    private static readonly int[] SecondPassWeights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

    /// <summary>The check digit for 11 ASCII digits, or null when both passes give 10.</summary>
    public static int? Compute(ReadOnlySpan<char> first11)
    {
        if (first11.Length != 11) throw new ArgumentException("Exactly 11 digits are needed.", nameof(first11));
        var sum = 0;
        for (var i = 0; i < 11; i++) sum += (first11[i] - '0') * (i + 1);
        var a = sum % 11;
        if (a != 10) return a;
        sum = 0;
        for (var i = 0; i < 11; i++) sum += (first11[i] - '0') * SecondPassWeights[i];
        a = sum % 11;
        return a == 10 ? null : a;
    }

    /// <summary>True when the span is 12 ASCII digits whose last one is the check digit of the first 11.</summary>
    public static bool IsValid(ReadOnlySpan<char> twelve) =>
        twelve.Length == 12 && AllDigits(twelve) && Compute(twelve[..11]) is { } d && d == twelve[11] - '0';

    internal static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }
}
