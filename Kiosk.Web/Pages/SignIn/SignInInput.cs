namespace Kiosk.Web.Pages.SignIn;

/// <summary>
/// The checks the kiosk can make on the sign-in form before it opens anything: a key file was chosen, it is not
/// empty and not larger than a PKCS#12 key file can be, and a password was typed. Messages are resource keys.
/// </summary>
public static class SignInInput
{
    /// <summary>An AUTH_RSA256_*.p12 file is a few KiB; anything over 64 KiB is not a key file.</summary>
    public const long MaxKeyFileBytes = 64 * 1024;

    /// <summary>The largest request body the sign-in page reads; a larger file gets the ordinary "too large" page.</summary>
    public const long MaxRequestBytes = 1024 * 1024;

    public const string KeyFileField = "KeyFile";
    public const string PasswordField = "Password";

    public static IEnumerable<(string Field, string MessageKey)> Validate(long? keyFileLength, string? password)
    {
        if (keyFileLength is null) yield return (KeyFileField, "SignIn.Error.FileMissing");
        else if (keyFileLength == 0) yield return (KeyFileField, "SignIn.Error.FileEmpty");
        else if (keyFileLength > MaxKeyFileBytes) yield return (KeyFileField, "SignIn.Error.FileTooLarge");

        if (string.IsNullOrEmpty(password)) yield return (PasswordField, "SignIn.Error.PasswordMissing");
    }
}
