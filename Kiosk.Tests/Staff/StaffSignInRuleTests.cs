using Kiosk.Core.Identity;
using Kiosk.Core.Staff;

namespace Kiosk.Tests.Staff;

/// <summary>The staff sign-in rule shared by Central and the kiosk node (issue 12 item 1), on a fixed clock.</summary>
public sealed class StaffSignInRuleTests
{
    private const string Password = "a staff password 1234";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);
    private static readonly StaffLockoutPolicy Policy = StaffLockoutPolicy.Default;
    private static readonly string[] Desk = [StaffRoles.Registrar];

    private static StaffAccount Account(string roles = "registrar", bool disabled = false, string? hash = null) =>
        new(Iin.Parse("850315300128"), "Иванова Анна", Bin.Parse("010440000015"), StaffRoles.Parse(roles)!,
            disabled ? null : hash ?? StaffPasswords.Hash(Password), disabled);

    [Fact]
    public void The_right_password_signs_in_and_clears_the_count()
    {
        var d = StaffSignInRule.Decide(Account(), Password, new StaffLockout(3, null), Now, Policy, Desk);
        Assert.Equal(StaffSignInOutcome.SignedIn, d.Outcome);
        Assert.Equal(StaffLockout.None, d.Lockout);
    }

    [Fact]
    public void Five_wrong_passwords_in_a_row_lock_the_account_for_fifteen_minutes_and_then_even_the_right_one_is_refused()
    {
        var account = Account();
        var lockout = StaffLockout.None;
        for (var i = 1; i <= 4; i++)
        {
            var wrong = StaffSignInRule.Decide(account, "wrong " + i, lockout, Now, Policy, Desk);
            Assert.Equal(StaffSignInOutcome.Wrong, wrong.Outcome);
            Assert.Equal(i, wrong.Lockout.Failures);
            lockout = wrong.Lockout;
        }
        var fifth = StaffSignInRule.Decide(account, "wrong 5", lockout, Now, Policy, Desk);
        Assert.Equal(StaffSignInOutcome.Locked, fifth.Outcome);
        Assert.Equal(Now.AddMinutes(15), fifth.LockedUntil);

        var right = StaffSignInRule.Decide(account, Password, fifth.Lockout, Now.AddMinutes(14).AddSeconds(59), Policy, Desk);
        Assert.Equal(StaffSignInOutcome.Locked, right.Outcome);
        Assert.Equal(fifth.Lockout, right.Lockout); // attempts during the lock neither count nor extend it

        var after = StaffSignInRule.Decide(account, Password, fifth.Lockout, Now.AddMinutes(15), Policy, Desk);
        Assert.Equal(StaffSignInOutcome.SignedIn, after.Outcome);
    }

    [Fact]
    public void A_lock_that_ran_out_starts_the_count_afresh()
    {
        var ranOut = new StaffLockout(0, Now.AddMinutes(-1));
        var d = StaffSignInRule.Decide(Account(), "wrong", ranOut, Now, Policy, Desk);
        Assert.Equal(StaffSignInOutcome.Wrong, d.Outcome);
        Assert.Equal(new StaffLockout(1, null), d.Lockout);
    }

    [Fact]
    public void A_success_between_wrong_passwords_resets_the_count()
    {
        var d = StaffSignInRule.Decide(Account(), Password, new StaffLockout(4, null), Now, Policy, Desk);
        Assert.Equal(StaffSignInOutcome.SignedIn, d.Outcome);
        var next = StaffSignInRule.Decide(Account(), "wrong", d.Lockout, Now, Policy, Desk);
        Assert.Equal(1, next.Lockout.Failures);
    }

    [Fact]
    public void An_unknown_account_is_told_apart_from_nothing_and_counts_nothing()
    {
        var d = StaffSignInRule.Decide(null, Password, StaffLockout.None, Now, Policy, Desk);
        Assert.Equal(StaffSignInOutcome.Wrong, d.Outcome);
        Assert.Equal(StaffLockout.None, d.Lockout);
    }

    [Fact]
    public void A_disabled_account_is_only_named_disabled_to_someone_who_knows_no_password_for_it_so_it_signs_in_nobody()
    {
        // A disabled account reaches the node without a hash: no password matches, so it reads as wrong.
        var disabled = Account(disabled: true);
        Assert.Equal(StaffSignInOutcome.Wrong, StaffSignInRule.Decide(disabled, Password, StaffLockout.None, Now, Policy, Desk).Outcome);
        // Where the hash is still known (Central's own register), the right password learns that it is disabled.
        var withHash = Account() with { Disabled = true };
        Assert.Equal(StaffSignInOutcome.Disabled, StaffSignInRule.Decide(withHash, Password, StaffLockout.None, Now, Policy, Desk).Outcome);
        Assert.Equal(StaffSignInOutcome.Wrong, StaffSignInRule.Decide(withHash, "wrong", StaffLockout.None, Now, Policy, Desk).Outcome);
    }

    [Fact]
    public void An_account_without_a_role_of_this_place_is_refused_after_its_password()
    {
        var op = Account("operator");
        Assert.Equal(StaffSignInOutcome.NoRole, StaffSignInRule.Decide(op, Password, StaffLockout.None, Now, Policy, Desk).Outcome);
        Assert.Equal(StaffSignInOutcome.SignedIn,
            StaffSignInRule.Decide(op, Password, StaffLockout.None, Now, Policy, [StaffRoles.Operator, StaffRoles.Registrar]).Outcome);
    }

    [Theory]
    [InlineData("registrar", "registrar")]
    [InlineData("operator,registrar", "operator registrar")]
    [InlineData(" Registrar ; operator ", "operator registrar")]
    [InlineData("registrar registrar", "registrar")]
    public void Roles_are_read_loosely_and_stored_sorted(string text, string stored) =>
        Assert.Equal(stored, StaffRoles.Format(StaffRoles.Parse(text)!));

    [Theory]
    [InlineData("")]
    [InlineData("admin")]
    [InlineData("registrar,root")]
    public void Unknown_roles_are_refused(string text) => Assert.Null(StaffRoles.Parse(text));

    [Fact]
    public void Passwords_are_made_random_and_hashed_with_PasswordHasher()
    {
        var a = StaffPasswords.Generate();
        var b = StaffPasswords.Generate();
        Assert.NotEqual(a, b);
        Assert.Matches("^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$", a);
        Assert.Null(StaffPasswords.Problem(a));
        var hash = StaffPasswords.Hash(a);
        Assert.True(StaffPasswords.IsHash(hash));
        Assert.True(StaffPasswords.Verify(hash, a));
        Assert.False(StaffPasswords.Verify(hash, b));
        Assert.False(StaffPasswords.Verify("not a hash", a));
        Assert.False(StaffPasswords.Verify(null, a));
        Assert.False(StaffPasswords.IsHash("plain text"));
        // The kiosk's old Operators:Accounts values were PasswordHasher hashes too: they carry over (docs/staff.md).
        var old = new Microsoft.AspNetCore.Identity.PasswordHasher<object>().HashPassword(new object(), "old operator password");
        Assert.True(StaffPasswords.IsHash(old));
        Assert.True(StaffPasswords.Verify(old, "old operator password"));
    }
}
