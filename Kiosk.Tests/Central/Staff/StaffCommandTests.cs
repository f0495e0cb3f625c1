using Kiosk.Central.Staff;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Storage;
using Kiosk.Tests.Support;
using static Kiosk.Tests.Central.Staff.CentralStaffKit;

namespace Kiosk.Tests.Central.Staff;

/// <summary><c>Kiosk.Central staff …</c> (issue 12 item 1) against a real database file, as an admin runs it.</summary>
public sealed class StaffCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("staff-command");
    private string DatabaseArg => $"--Storage:DatabasePath={_dir.File("central.db")}";

    public void Dispose() => _dir.Dispose();

    private (int Code, string Out, string Err) Run(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = StaffCommand.Run([.. args, DatabaseArg], new StringReader(input), output, error, TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }

    private StaffRegister Register() =>
        new(new SqliteDatabase(new StorageOptions { DatabasePath = _dir.File("central.db") }), TimeProvider.System);

    [Fact]
    public void Add_prints_a_new_password_once_and_stores_only_its_hash()
    {
        var (code, output, _) = Run("", "add", "--iin", RegistrarIin, "--name", "Серикова Айгуль", "--bin", ClinicBin, "--roles", "registrar,operator");
        Assert.Equal(0, code);
        var password = System.Text.RegularExpressions.Regex.Match(output, @"nothing keeps it\): (\S+)").Groups[1].Value;
        Assert.Null(StaffPasswords.Problem(password));
        var (account, _) = Register().Find(Iin.Parse(RegistrarIin))!.Value;
        Assert.Equal("Серикова Айгуль", account.Name);
        Assert.Equal(ClinicBin, account.Organisation.Value);
        Assert.Equal(["operator", "registrar"], account.Roles.Order());
        Assert.True(StaffPasswords.Verify(account.PasswordHash, password));
        Assert.DoesNotContain(password, File.ReadAllText(_dir.File("central.db"), System.Text.Encoding.Latin1));

        var list = Run("", "list");
        Assert.Contains($"{RegistrarIin}  {ClinicBin}  operator registrar", list.Out);
        Assert.Contains("active", list.Out);
        Assert.DoesNotContain(password, list.Out);
    }

    [Fact]
    public void A_moved_operator_keeps_their_password_hash()
    {
        var oldHash = StaffPasswords.Hash("the operator's old password");
        var (code, output, _) = Run(oldHash, "add", "--iin", OperatorIin, "--name", "Old Operator", "--bin", ProviderBin, "--roles", "operator",
            "--password-hash-stdin");
        Assert.Equal(0, code);
        Assert.DoesNotContain("Password (shown", output);
        Assert.True(StaffPasswords.Verify(Register().Find(Iin.Parse(OperatorIin))!.Value.Account.PasswordHash, "the operator's old password"));
        Assert.Equal(StaffCommand.Usage, Run("not a hash", "add", "--iin", BothIin, "--name", "X", "--bin", ProviderBin, "--roles", "operator",
            "--password-hash-stdin").Code);
    }

    [Fact]
    public void Disable_enable_and_reset_password_change_the_account_and_say_so()
    {
        Run("a chosen password 123\n", "add", "--iin", OperatorIin, "--name", "Op", "--bin", ProviderBin, "--roles", "operator", "--password-stdin");
        Assert.True(StaffPasswords.Verify(Register().Find(Iin.Parse(OperatorIin))!.Value.Account.PasswordHash, "a chosen password 123"));

        Assert.Equal(0, Run("", "disable", "--iin", OperatorIin).Code);
        Assert.True(Register().Find(Iin.Parse(OperatorIin))!.Value.Account.Disabled);
        Assert.Contains("disabled", Run("", "list").Out);
        Assert.Equal(0, Run("", "enable", "--iin", OperatorIin).Code);
        Assert.False(Register().Find(Iin.Parse(OperatorIin))!.Value.Account.Disabled);

        Register().SaveLockout(Iin.Parse(OperatorIin), new StaffLockout(0, DateTimeOffset.UtcNow.AddMinutes(10)));
        var (code, output, _) = Run("", "reset-password", "--iin", OperatorIin);
        Assert.Equal(0, code);
        var password = System.Text.RegularExpressions.Regex.Match(output, @"nothing keeps it\): (\S+)").Groups[1].Value;
        var (account, lockout) = Register().Find(Iin.Parse(OperatorIin))!.Value;
        Assert.True(StaffPasswords.Verify(account.PasswordHash, password));
        Assert.False(StaffPasswords.Verify(account.PasswordHash, "a chosen password 123"));
        Assert.Equal(StaffLockout.None, lockout);
    }

    [Theory]
    [InlineData("add", "--iin", "850315300129", "--name", "X", "--bin", "010440000015", "--roles", "operator")] // IIN check digit
    [InlineData("add", "--iin", "850315300128", "--name", "X", "--bin", "010440000016", "--roles", "operator")] // BIN check digit
    [InlineData("add", "--iin", "850315300128", "--name", "X", "--bin", "010440000015", "--roles", "admin")]
    [InlineData("add", "--iin", "850315300128", "--name", "", "--bin", "010440000015", "--roles", "operator")]
    [InlineData("add", "--iin", "850315300128", "--name", "X", "--bin", "010440000015")]
    [InlineData("disable")]
    [InlineData("rename", "--iin", "850315300128")]
    [InlineData("list", "--verbose")]
    public void Bad_arguments_are_refused_with_the_usage(params string[] args)
    {
        var (code, _, error) = Run("", args);
        Assert.Equal(StaffCommand.Usage, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains("Kiosk.Central staff <command>", error);
    }

    [Fact]
    public void A_short_password_on_standard_input_an_existing_account_and_an_unknown_one_are_refused()
    {
        Assert.Equal(StaffCommand.Usage,
            Run("short\n", "add", "--iin", OperatorIin, "--name", "Op", "--bin", ProviderBin, "--roles", "operator", "--password-stdin").Code);
        Assert.Equal(0, Run("", "add", "--iin", OperatorIin, "--name", "Op", "--bin", ProviderBin, "--roles", "operator").Code);
        var again = Run("", "add", "--iin", OperatorIin, "--name", "Op", "--bin", ProviderBin, "--roles", "operator");
        Assert.Equal(StaffCommand.Failure, again.Code);
        Assert.Contains("exists", again.Err);
        Assert.Equal(StaffCommand.Failure, Run("", "disable", "--iin", RegistrarIin).Code);
        Assert.Equal(StaffCommand.Failure, Run("", "reset-password", "--iin", RegistrarIin).Code);
    }
}
