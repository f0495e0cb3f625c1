using Kiosk.Core.Eds;
using Kiosk.Web.SignIn;

namespace Kiosk.Web.Pages.SignIn;

/// <summary>
/// The checks the kiosk can make on the sign-in form before it opens anything: a key file was chosen, it is not
/// empty and not larger than a PKCS#12 key file can be, and a password was typed. Each answer is a problem code.
/// </summary>
public static class SignInInput
{
    /// <summary>An AUTH_RSA256_*.p12 file is a few KiB; anything over 64 KiB is not a key file.</summary>
    public const long MaxKeyFileBytes = Pkcs12KeyFile.DefaultMaxBytes;

    /// <summary>The largest request body the sign-in page reads; a larger file gets the ordinary "too large" page.</summary>
    public const long MaxRequestBytes = 1024 * 1024;

    public const string KeyFileField = "KeyFile";
    public const string PasswordField = "Password";
    public const string NonceField = "Nonce";

    /// <summary>Problems about the form as a whole (the nonce, throttling, the trust list): shown in the summary only.</summary>
    public const string FormField = "";

    public static IEnumerable<(string Field, string Code)> Validate(long? keyFileLength, string? password)
    {
        if (keyFileLength is null) yield return (KeyFileField, SignInProblems.FileMissing);
        else if (keyFileLength == 0) yield return (KeyFileField, SignInProblems.FileEmpty);
        else if (keyFileLength > MaxKeyFileBytes) yield return (KeyFileField, Pkcs12KeyFile.Codes.TooLarge);

        if (string.IsNullOrEmpty(password)) yield return (PasswordField, SignInProblems.PasswordMissing);
    }

    /// <summary>Which field a problem belongs to: the password, the key file, or the form as a whole.</summary>
    public static string FieldOf(string code) => code switch
    {
        SignInProblems.PasswordMissing or Pkcs12KeyFile.Codes.WrongPassword => PasswordField,
        SignInProblems.TrustUnavailable or SignInProblems.TooManyAttempts or SignInProblems.FormExpired => FormField,
        _ => KeyFileField,
    };

    /// <summary>The resource key of a kiosk-only code's message; null for the codes <see cref="EdsMessages"/> words.</summary>
    public static string? MessageKey(string code) => code switch
    {
        SignInProblems.FileMissing => "SignIn.Error.FileMissing",
        SignInProblems.FileEmpty => "SignIn.Error.FileEmpty",
        SignInProblems.PasswordMissing => "SignIn.Error.PasswordMissing",
        SignInProblems.TrustUnavailable => "SignIn.Error.TrustUnavailable",
        SignInProblems.TooManyAttempts => "SignIn.Error.TooManyAttempts",
        SignInProblems.FormExpired => "SignIn.Error.FormExpired",
        SignInProblems.ProofFailed => "SignIn.Error.ProofFailed",
        _ => null,
    };
}
