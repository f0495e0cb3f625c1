using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Node.Staff;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Staff;

/// <summary>
/// The staff sign-in at this node (regulation diagram 2, process 1: IIN and password): the accounts Central sent this
/// node (<see cref="StaffStore"/>), decided by <see cref="StaffSignInRule"/> with the lockout kept in the node's file,
/// so a restart forgives nothing. Registrars and operators both sign in here. Logs say what happened, never who.
/// </summary>
public sealed partial class NodeStaffSignIn(StaffStore store, IOptions<StaffSessionOptions> options, TimeProvider time, ILogger<NodeStaffSignIn> logger)
{
    public static IReadOnlyList<string> NodeRoles { get; } = [StaffRoles.Registrar, StaffRoles.Operator];

    public (StaffSignInDecision Decision, StaffAccount? Account) Decide(Iin iin, string password)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        var account = store.Find(iin);
        var before = account is null ? StaffLockout.None : store.Lockout(iin);
        var decision = StaffSignInRule.Decide(account, password, before, now,
            new StaffLockoutPolicy(o.MaxFailures, TimeSpan.FromMinutes(o.LockoutMinutes)), NodeRoles);
        if (account is not null && decision.Lockout != before) store.SaveLockout(iin, decision.Lockout);
        switch (decision.Outcome)
        {
            case StaffSignInOutcome.SignedIn: LogSignedIn(StaffRoles.Format(account!.Roles)); break;
            case StaffSignInOutcome.Locked: LogLocked(!before.IsLocked(now), o.LockoutMinutes); break;
            default: LogRefused(decision.Outcome.ToString(), account is not null, decision.Lockout.Failures, store.Count()); break;
        }
        return (decision, decision.Outcome == StaffSignInOutcome.SignedIn ? account : null);
    }

    [LoggerMessage(LogLevel.Information, "Staff sign-in at the node: signed in ({Roles})")]
    private partial void LogSignedIn(string roles);

    [LoggerMessage(LogLevel.Warning, "Staff sign-in at the node refused: {Outcome} (account known here: {Known}, wrong passwords in a row: {Failures}, accounts known: {Accounts})")]
    private partial void LogRefused(string outcome, bool known, int failures, int accounts);

    [LoggerMessage(LogLevel.Warning, "Staff sign-in at the node refused: the account is locked (just locked now: {JustLocked}; lock {Minutes} min)")]
    private partial void LogLocked(bool justLocked, int minutes);
}
