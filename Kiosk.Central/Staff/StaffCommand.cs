using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Storage;
using Microsoft.Extensions.Configuration;

namespace Kiosk.Central.Staff;

/// <summary>
/// <c>Kiosk.Central staff add|disable|enable|reset-password|list</c> (issue 12 item 1): the admin's command for the
/// staff register, run on Central's machine against its database (the same <c>Storage:DatabasePath</c> the service
/// uses; it may be running). A new or reset password is made here and printed once; nothing keeps it. For moving an
/// account whose hash exists already (the kiosk's old <c>Operators:Accounts</c>), <c>--password-hash-stdin</c> takes
/// that hash, so the person keeps their password. Passwords and hashes are read from standard input, never from
/// arguments, which any user of the machine can see in the process list.
/// </summary>
public static class StaffCommand
{
    public const string Name = "staff";
    public const int Usage = 2;
    public const int Failure = 1;

    public const string UsageText = """
        Kiosk.Central staff <command> [options] [--Storage:DatabasePath=<central.db>]
          add --iin <IIN> --name "<Surname Name>" --bin <BIN> --roles <registrar|operator|registrar,operator>
                [--password-stdin | --password-hash-stdin]
                                  a new account; prints its password once (unless one was given on standard input)
          disable --iin <IIN>     no sign-in anywhere; Central refuses requests the account files
          enable --iin <IIN>      undoes disable
          reset-password --iin <IIN> [--password-stdin]
                                  a new password (printed once), and the end of a lockout
          list                    every account: IIN, name, BIN, roles, state
        The database is Central's (default .data/central.db in the current folder; also Storage__DatabasePath).
        --bin is the organisation the person works for: a clinic's BIN, or the provider's own (Staff:ProviderBin).
        """;

    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error, TimeProvider time)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            output.WriteLine(UsageText);
            return args.Length == 0 ? Usage : 0;
        }
        var verb = args[0];
        var flags = new Dictionary<string, string?>(StringComparer.Ordinal);
        var configurationArgs = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "--password-stdin" or "--password-hash-stdin") flags[a] = "yes";
            else if (a is "--iin" or "--name" or "--bin" or "--roles")
            {
                if (i + 1 >= args.Length) return Bad(error, $"{a} needs a value.");
                flags[a] = args[++i];
            }
            else if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':')) configurationArgs.Add(a);
            else return Bad(error, $"unknown argument: {a}");
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine([.. configurationArgs]).Build();
        var storage = new StorageOptions
        {
            DatabasePath = Path.Combine(Environment.CurrentDirectory, ".data", "central.db"),
            Synchronous = SynchronousMode.Normal,
        };
        configuration.GetSection(StorageOptions.Section).Bind(storage);
        var db = new SqliteDatabase(storage);
        db.Prepare(MigrationSet.FromEmbeddedResources(typeof(CentralApp).Assembly), time);
        var register = new StaffRegister(db, time);

        switch (verb)
        {
            case "list":
                return List(register, output, time);
            case "add":
                return Add(register, flags, input, output, error);
            case "disable" or "enable":
            {
                if (ReadIin(flags, error) is not { } iin) return Usage;
                var done = register.SetDisabled(iin, verb == "disable") == StaffChange.Done;
                if (!done) return Fail(error, $"no account has the IIN {iin.Value}.");
                output.WriteLine(verb == "disable" ? $"Account {iin.Value} disabled." : $"Account {iin.Value} enabled.");
                return 0;
            }
            case "reset-password":
            {
                if (ReadIin(flags, error) is not { } iin) return Usage;
                if (NewPassword(flags, input, error) is not { } password) return Usage;
                if (register.ResetPassword(iin, StaffPasswords.Hash(password.Text)) != StaffChange.Done)
                    return Fail(error, $"no account has the IIN {iin.Value}.");
                output.WriteLine($"Password of {iin.Value} reset; its lockout, if any, ended.");
                if (password.Generated) PrintOnce(output, password.Text);
                return 0;
            }
            default:
                return Bad(error, $"unknown command: {verb}");
        }
    }

    private static int Add(StaffRegister register, Dictionary<string, string?> flags, TextReader input, TextWriter output, TextWriter error)
    {
        if (ReadIin(flags, error) is not { } iin) return Usage;
        var name = flags.GetValueOrDefault("--name")?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > StaffAccount.MaxNameLength || name.Any(char.IsControl))
            return Bad(error, $"--name must be 1–{StaffAccount.MaxNameLength} characters on one line.");
        if (!Bin.TryParse(flags.GetValueOrDefault("--bin"), out var bin, out var binError))
            return Bad(error, $"--bin is not a BIN ({binError}).");
        if (StaffRoles.Parse(flags.GetValueOrDefault("--roles")) is not { } roles)
            return Bad(error, $"--roles must name one or both of: {string.Join(", ", StaffRoles.All)}.");

        string hash;
        string? shown = null;
        if (flags.ContainsKey("--password-hash-stdin"))
        {
            var given = input.ReadLine()?.Trim();
            if (!StaffPasswords.IsHash(given)) return Bad(error, "standard input does not hold a PasswordHasher hash.");
            hash = given!;
        }
        else
        {
            if (NewPassword(flags, input, error) is not { } password) return Usage;
            hash = StaffPasswords.Hash(password.Text);
            if (password.Generated) shown = password.Text;
        }
        if (register.Add(iin, name, bin, roles, hash) != StaffChange.Done)
            return Fail(error, $"an account with the IIN {iin.Value} exists (use reset-password, enable or disable).");
        output.WriteLine($"Account {iin.Value} added: {name}, BIN {bin.Value}, roles {StaffRoles.Format(roles)}.");
        if (shown is not null) PrintOnce(output, shown);
        return 0;
    }

    private static int List(StaffRegister register, TextWriter output, TimeProvider time)
    {
        var accounts = register.List();
        output.WriteLine($"{"IIN",-12}  {"BIN",-12}  {"roles",-18}  {"state",-24}  name");
        foreach (var a in accounts)
        {
            var state = a.DisabledAt is not null ? "disabled"
                : a.LockedUntil is { } until && until > time.GetUtcNow() ? $"locked until {until:HH:mm} UTC"
                : "active";
            output.WriteLine($"{a.Iin,-12}  {a.Bin,-12}  {a.Roles,-18}  {state,-24}  {a.Name}");
        }
        output.WriteLine($"{accounts.Count} account(s).");
        return 0;
    }

    private static void PrintOnce(TextWriter output, string password) =>
        output.WriteLine($"Password (shown this once; give it to the person, nothing keeps it): {password}");

    private sealed record Password(string Text, bool Generated);

    private static Password? NewPassword(Dictionary<string, string?> flags, TextReader input, TextWriter error)
    {
        if (!flags.ContainsKey("--password-stdin")) return new Password(StaffPasswords.Generate(), true);
        var given = input.ReadLine();
        if (StaffPasswords.Problem(given) is { } problem)
        {
            error.WriteLine($"error: {problem}.");
            return null;
        }
        return new Password(given!, false);
    }

    private static Iin? ReadIin(Dictionary<string, string?> flags, TextWriter error)
    {
        if (Iin.TryParse(flags.GetValueOrDefault("--iin"), out var iin, out var problem)) return iin;
        Bad(error, $"--iin is not an IIN ({problem}).");
        return null;
    }

    private static int Bad(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        error.WriteLine(UsageText);
        return Usage;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return Failure;
    }
}
