using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Staff;

/// <summary>
/// Central's staff sign-in (its operator pages): diagram 2, process 1 — IIN and password — decided by
/// <see cref="StaffSignInRule"/> against the staff register, with the lockout kept in the register. Only operators
/// sign in here; a registrar signs in at their clinic's kiosk node.
/// </summary>
public sealed partial class StaffSignIn(StaffRegister register, IOptions<StaffOptions> options, TimeProvider time, ILogger<StaffSignIn> logger)
{
    public static IReadOnlyList<string> CentralRoles { get; } = [StaffRoles.Operator];

    public (StaffSignInDecision Decision, StaffAccount? Account) Decide(Iin iin, string password)
    {
        var now = time.GetUtcNow();
        var found = register.Find(iin);
        var o = options.Value;
        var decision = StaffSignInRule.Decide(found?.Account, password, found?.Lockout ?? StaffLockout.None, now,
            new StaffLockoutPolicy(o.MaxFailures, TimeSpan.FromMinutes(o.LockoutMinutes)), CentralRoles);
        if (found is { } f && decision.Lockout != f.Lockout) register.SaveLockout(iin, decision.Lockout);
        // The outcome and counts only: never the IIN, the name or the password.
        switch (decision.Outcome)
        {
            case StaffSignInOutcome.SignedIn: LogSignedIn(); break;
            case StaffSignInOutcome.Locked: LogLocked(found?.Lockout.IsLocked(now) != true, o.LockoutMinutes); break;
            default: LogRefused(decision.Outcome.ToString(), found is not null, decision.Lockout.Failures); break;
        }
        return (decision, decision.Outcome == StaffSignInOutcome.SignedIn ? found!.Value.Account : null);
    }

    [LoggerMessage(LogLevel.Information, "Staff sign-in at Central: an operator signed in")]
    private partial void LogSignedIn();

    [LoggerMessage(LogLevel.Warning, "Staff sign-in at Central refused: {Outcome} (account exists: {Known}, wrong passwords in a row: {Failures})")]
    private partial void LogRefused(string outcome, bool known, int failures);

    [LoggerMessage(LogLevel.Warning, "Staff sign-in at Central refused: the account is locked (just locked now: {JustLocked}; lock {Minutes} min)")]
    private partial void LogLocked(bool justLocked, int minutes);
}
