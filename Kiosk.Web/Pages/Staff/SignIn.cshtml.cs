using Kiosk.Core.Feedback;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Node.Staff;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Pages.Staff;

/// <summary>
/// The staff sign-in at the node (regulation diagram 2, process 1; issue 12 item 1): IIN and password of an account
/// Central sent this node; 5 wrong passwords in a row lock it for 15 minutes (kept in the node's file); failures from
/// one address are throttled too. A success sets the staff cookie and goes to the page it was sent from when the role
/// allows it, else to the operator's status page or the registrar's desk.
/// </summary>
public sealed class SignInModel(
    IStringLocalizer<SharedResource> t, NodeStaffSignIn signIn, StaffStore store, StaffThrottle throttle, IOptions<StaffSessionOptions> options,
    Kiosk.Web.Desk.DeskStepClock clock, TimeProvider time) : PageModel
{
    public const string DeskPath = "/desk";
    public const string StatusPath = "/staff";

    [BindProperty]
    public string? Iin { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Sent here by the staff pages' idle sign-out.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Idle { get; set; }

    public int IdleMinutes => options.Value.IdleMinutes;

    public string? Error { get; private set; }
    public string? ErrorCode { get; private set; }

    public void OnGet()
    {
        ReturnUrl = SafeReturn(ReturnUrl);
        clock.StartBeforeCase(HttpContext, StepCatalogue.StaffSignIn); // table 2, action 1
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ReturnUrl = SafeReturn(ReturnUrl);
        var address = StaffThrottle.Key(HttpContext.Connection.RemoteIpAddress?.ToString());
        if (throttle.RetryAfter(address) is { } wait)
            return Refuse("throttled", t["Staff.SignIn.Error.Throttled", Minutes(wait)], StatusCodes.Status429TooManyRequests);
        var typed = Iin?.Trim();
        if (string.IsNullOrEmpty(typed) || string.IsNullOrEmpty(Password) || Password.Length > StaffPasswords.MaxLength)
            return Refuse("missing", t["Staff.SignIn.Error.Missing"], StatusCodes.Status200OK);
        if (!Core.Identity.Iin.TryParse(typed, out var iin))
            return Refuse("bad-iin", t["Staff.SignIn.Error.BadIin"], StatusCodes.Status200OK);

        var (decision, account) = signIn.Decide(iin, Password);
        switch (decision.Outcome)
        {
            case StaffSignInOutcome.SignedIn:
                throttle.Forget(address);
                // Table 2 times the provider's employee serving a citizen: a registrar's sign-in, not an operator's.
                clock.StopBeforeCase(HttpContext, StepCatalogue.StaffSignIn, service: null, record: account!.Holds(StaffRoles.Registrar));
                await StaffAuthentication.SignInAsync(HttpContext, account!, time.GetUtcNow());
                return LocalRedirect(Landing(account!));
            case StaffSignInOutcome.Locked:
                return Refuse("locked", t["Staff.SignIn.Error.Locked", Minutes(decision.LockedUntil!.Value - time.GetUtcNow()),
                    options.Value.MaxFailures, options.Value.LockoutMinutes], StatusCodes.Status423Locked);
            case StaffSignInOutcome.Disabled:
                return Refuse("disabled", t["Staff.SignIn.Error.Disabled"], StatusCodes.Status403Forbidden);
            case StaffSignInOutcome.NoRole:
                return Refuse("no-role", t["Staff.SignIn.Error.NoRole"], StatusCodes.Status403Forbidden);
            default:
                throttle.RecordFailure(address);
                // Before the first staff list from Central nobody can sign in: say so, it is not the person's mistake.
                return store.Count() == 0
                    ? Refuse("no-accounts", t["Staff.SignIn.Error.NoAccounts"], StatusCodes.Status401Unauthorized)
                    : Refuse("wrong", t["Staff.SignIn.Error.Wrong"], StatusCodes.Status401Unauthorized);
        }
    }

    /// <summary>The page asked for when the account's roles allow it; else the account's own start page.</summary>
    private string Landing(StaffAccount account)
    {
        if (ReturnUrl is { } back)
        {
            var allowed = back.StartsWith(DeskPath, StringComparison.OrdinalIgnoreCase) ? account.Holds(StaffRoles.Registrar)
                : back.StartsWith("/staff/slips", StringComparison.OrdinalIgnoreCase) || account.Holds(StaffRoles.Operator);
            if (allowed) return back;
        }
        return account.Holds(StaffRoles.Registrar) && !account.Holds(StaffRoles.Operator) ? DeskPath : StatusPath;
    }

    private PageResult Refuse(string code, string message, int status)
    {
        Password = null;
        ErrorCode = code;
        Error = message;
        Response.StatusCode = status;
        return Page();
    }

    private static int Minutes(TimeSpan wait) => (int)Math.Max(1, Math.Ceiling(wait.TotalMinutes));

    /// <summary>Only a staff or desk page of this node: never another host, never a citizen screen.</summary>
    private static string? SafeReturn(string? url) =>
        KioskEndpoints.IsLocalPath(url)
        && (url!.StartsWith(StatusPath, StringComparison.OrdinalIgnoreCase) || url.StartsWith(DeskPath, StringComparison.OrdinalIgnoreCase))
        && !url.StartsWith(StaffAuthentication.SignInPath, StringComparison.OrdinalIgnoreCase)
            ? url
            : null;
}
