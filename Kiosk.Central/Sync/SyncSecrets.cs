using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Kiosk.Central.Sync;

/// <summary>
/// The secrets of the sync protocol: kiosk credentials (256 random bits, base64url), one-time enrollment codes (100
/// random bits in Crockford base32, grouped for typing) and the operator token. Central keeps only SHA-256 hashes of the
/// first two: a plain hash is enough for a secret of that entropy (no dictionary to try), and it lets a credential be
/// looked up and compared in constant time.
/// </summary>
public static class SyncSecrets
{
    private const string Base32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford: no I, L, O, U

    /// <summary>A new kiosk credential: 32 random bytes, base64url without padding (43 characters).</summary>
    public static string NewCredential() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new enrollment code: 20 base32 characters (100 bits) as five groups of four, e.g. <c>7K2M-…</c>.</summary>
    public static string NewEnrollmentCode()
    {
        var chars = RandomNumberGenerator.GetItems<char>(Base32, 20);
        return string.Join('-', Enumerable.Range(0, 5).Select(i => new string(chars, i * 4, 4)));
    }

    /// <summary>An enrollment code as typed: hyphens and spaces dropped, upper case, and the look-alikes O→0, I/L→1.</summary>
    public static string NormaliseCode(string code)
    {
        var s = new StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (c is '-' or ' ') continue;
            var u = char.ToUpperInvariant(c);
            s.Append(u switch { 'O' => '0', 'I' or 'L' => '1', _ => u });
        }
        return s.ToString();
    }

    /// <summary>SHA-256 of the UTF-8 text, lower-case hex.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares two hashes (hex) in constant time.</summary>
    public static bool HashEquals(string? a, string? b)
    {
        if (a is null || b is null) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
    }

    /// <summary>Compares a presented secret with the expected one in constant time (through their hashes, so lengths do not leak).</summary>
    public static bool SecretEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>A credential Central accepts from configuration: 32–256 characters of the base64url alphabet.</summary>
    public static bool IsWellFormedCredential(string? s) =>
        s is { Length: >= 32 and <= 256 } && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
