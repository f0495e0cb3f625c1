using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Kiosk.Core.Staff;

/// <summary>
/// Staff passwords with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512; the hash
/// carries its salt, iteration count and format version). New passwords are made here, never chosen in code: 20
/// characters from an alphabet without look-alikes (about 100 bits), grouped for reading aloud once.
/// </summary>
public static class StaffPasswords
{
    public const int MinLength = 12;
    public const int MaxLength = 256;

    /// <summary>Identity's hasher is generic over a user type it never looks at.</summary>
    private sealed class Holder;

    private static readonly PasswordHasher<Holder> Hasher = new();
    private static readonly Holder Nobody = new();
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(Nobody, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));

    // No 0/O, 1/l/I: a password printed once is copied by hand.
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return Hasher.HashPassword(Nobody, password);
    }

    /// <summary>True when <paramref name="password"/> matches; a hash that is not Identity's (or none) never matches.</summary>
    public static bool Verify(string? hash, string? password)
    {
        // No hash: check a dummy one anyway, so an unknown or disabled account costs the same time as a wrong password.
        var usable = !string.IsNullOrWhiteSpace(hash);
        try
        {
            var result = Hasher.VerifyHashedPassword(Nobody, usable ? hash!.Trim() : DummyHash.Value, password ?? "");
            return usable && result != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="hash"/> looks like a PasswordHasher hash (version 2 or 3 marker, base64).</summary>
    public static bool IsHash(string? hash)
    {
        if (string.IsNullOrWhiteSpace(hash)) return false;
        Span<byte> buffer = new byte[hash.Length];
        return Convert.TryFromBase64String(hash.Trim(), buffer, out var written) && written > 16 && buffer[0] is 0x00 or 0x01;
    }

    /// <summary>A new random password: four groups of five, e.g. <c>k7Pqs-3mZtw-…</c>.</summary>
    public static string Generate()
    {
        var chars = new char[23];
        var at = 0;
        for (var group = 0; group < 4; group++)
        {
            if (group > 0) chars[at++] = '-';
            for (var i = 0; i < 5; i++) chars[at++] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return new string(chars);
    }

    /// <summary>Null when <paramref name="password"/> may be set; else why not (for the admin command).</summary>
    public static string? Problem(string? password) =>
        string.IsNullOrEmpty(password) ? "the password is empty"
        : password.Length < MinLength ? $"the password is shorter than {MinLength} characters"
        : password.Length > MaxLength ? $"the password is longer than {MaxLength} characters"
        : null;
}
