using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Staff;

/// <summary>
/// Checks an operator's name and password against <see cref="OperatorOptions.Accounts"/> with ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> (PBKDF2; the hash carries its own salt and iteration count). An unknown name
/// costs the same as a wrong password (a dummy hash is checked), so timing does not say which names exist.
/// </summary>
public sealed class OperatorAccounts(IOptionsMonitor<OperatorOptions> options)
{
    /// <summary>Identity's hasher is generic over a user type it never looks at.</summary>
    public sealed class Operator;

    private static readonly PasswordHasher<Operator> Hasher = new();
    private static readonly Operator Nobody = new();
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N")));

    public static string Hash(string password) => Hasher.HashPassword(Nobody, password);

    /// <summary>Whether any account is configured.</summary>
    public bool Any => options.CurrentValue.Accounts.Count > 0;

    /// <summary>The account's own spelling of its name when <paramref name="password"/> is its password; otherwise null.</summary>
    public string? Verify(string? name, string? password)
    {
        var accounts = options.CurrentValue.Accounts;
        var key = name?.Trim() ?? "";
        var found = key.Length > 0 ? accounts.FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase)) : default;
        var hash = found.Key is not null && !string.IsNullOrWhiteSpace(found.Value) ? found.Value.Trim() : DummyHash.Value;
        PasswordVerificationResult result;
        try
        {
            result = Hasher.VerifyHashedPassword(Nobody, hash, password ?? "");
        }
        catch (FormatException)
        {
            result = PasswordVerificationResult.Failed; // not a PasswordHasher hash: that account cannot sign in
        }
        return found.Key is not null && result != PasswordVerificationResult.Failed ? found.Key : null;
    }
}
