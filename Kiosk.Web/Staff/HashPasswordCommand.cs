namespace Kiosk.Web.Staff;

/// <summary>
/// <c>Kiosk.Web hash-password</c>: reads a password from standard input (its first line) and prints its
/// PasswordHasher hash, the value for <c>Operators:Accounts:&lt;name&gt;</c>. The password is never an argument, so it
/// does not show in the process list or the shell's history.
/// </summary>
public static class HashPasswordCommand
{
    public const string Name = "hash-password";
    public const int MinLength = 12;

    public static int Run(TextReader input, TextWriter output, TextWriter error)
    {
        var password = input.ReadLine();
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            error.WriteLine($"Give the operator's password (at least {MinLength} characters) on standard input, e.g.: " +
                            "printf '%s\\n' \"$PASSWORD\" | Kiosk.Web hash-password");
            return 2;
        }
        output.WriteLine(OperatorAccounts.Hash(password));
        return 0;
    }
}
