namespace Kiosk.Core.Staff;

/// <summary>How many wrong passwords lock an account, and for how long (issue 12 item 1: 5, 15 minutes).</summary>
public sealed record StaffLockoutPolicy(int MaxFailures, TimeSpan LockoutPeriod)
{
    public static StaffLockoutPolicy Default { get; } = new(5, TimeSpan.FromMinutes(15));
}

/// <summary>
/// An account's wrong passwords in a row and, once they reached the limit, until when it is locked. Kept by the node
/// that checks passwords (the kiosk node, Central), in its database, so a restart does not forgive them.
/// </summary>
public sealed record StaffLockout(int Failures, DateTimeOffset? LockedUntil)
{
    public static StaffLockout None { get; } = new(0, null);

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

public enum StaffSignInOutcome
{
    SignedIn,

    /// <summary>No such account, or the password is wrong (alike to the person at the screen).</summary>
    Wrong,

    /// <summary>Too many wrong passwords: refused without looking at the password until the lock ends.</summary>
    Locked,

    /// <summary>The password is right but the account was disabled.</summary>
    Disabled,

    /// <summary>The password is right but the account holds none of the roles this place needs.</summary>
    NoRole,
}

/// <param name="Lockout">The account's lockout state to store (unchanged for an unknown account).</param>
/// <param name="LockedUntil">For <see cref="StaffSignInOutcome.Locked"/>: when the person may try again.</param>
public sealed record StaffSignInDecision(StaffSignInOutcome Outcome, StaffLockout Lockout, DateTimeOffset? LockedUntil = null);

/// <summary>
/// The staff sign-in of diagram 2, process 1, decided alike on every node: a locked account is refused before its
/// password is looked at; a wrong password counts, and the limit-th one in a row locks the account for the lockout
/// period (a lock that has run out starts the count afresh); a right one clears the count, and only then are a disabled
/// account and a missing role told apart from a wrong password. No storage here: the caller loads the account and its
/// lockout and stores the lockout it is given back.
/// </summary>
public static class StaffSignInRule
{
    public static StaffSignInDecision Decide(StaffAccount? account, string? password, StaffLockout lockout, DateTimeOffset now,
        StaffLockoutPolicy policy, IReadOnlyCollection<string> acceptedRoles)
    {
        if (lockout.IsLocked(now)) return new StaffSignInDecision(StaffSignInOutcome.Locked, lockout, lockout.LockedUntil);
        if (lockout.LockedUntil is not null) lockout = StaffLockout.None; // the lock ran out

        if (!StaffPasswords.Verify(account?.PasswordHash, password))
        {
            if (account is null) return new StaffSignInDecision(StaffSignInOutcome.Wrong, lockout);
            var failures = lockout.Failures + 1;
            if (failures >= policy.MaxFailures)
            {
                var until = now + policy.LockoutPeriod;
                return new StaffSignInDecision(StaffSignInOutcome.Locked, new StaffLockout(0, until), until);
            }
            return new StaffSignInDecision(StaffSignInOutcome.Wrong, new StaffLockout(failures, null));
        }
        if (account!.Disabled) return new StaffSignInDecision(StaffSignInOutcome.Disabled, StaffLockout.None);
        if (!acceptedRoles.Any(account.Holds)) return new StaffSignInDecision(StaffSignInOutcome.NoRole, StaffLockout.None);
        return new StaffSignInDecision(StaffSignInOutcome.SignedIn, StaffLockout.None);
    }
}
