using Kiosk.Central.Operators;
using Kiosk.Central.Staff;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Pages.Staff;

/// <summary>
/// Central's staff sign-in (diagram 2, process 1: IIN and password): the register's account with the operator role,
/// its lockout (<see cref="StaffSignInRule"/>), and a throttle per address. A success goes to the page that sent the
/// operator here (a local path only), else the fleet.
/// </summary>
public sealed class SignInModel(StaffSignIn signIn, OperatorSignInThrottle throttle, IOptions<StaffOptions> options, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Iin { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }
    public string? ErrorCode { get; private set; }

    public void OnGet() => ReturnUrl = SafeReturn(ReturnUrl);

    public async Task<IActionResult> OnPostAsync()
    {
        ReturnUrl = SafeReturn(ReturnUrl);
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "";
        if (throttle.RetryAfter(address) is { } wait)
            return Refuse("throttled", $"Too many failed sign-ins from this computer. Try again in {Minutes(wait)} min.", StatusCodes.Status429TooManyRequests);
        if (string.IsNullOrWhiteSpace(Iin) || string.IsNullOrEmpty(Password) || Password.Length > StaffPasswords.MaxLength)
            return Refuse("missing", "Enter your IIN (12 digits) and your password.", StatusCodes.Status200OK);
        if (!Core.Identity.Iin.TryParse(Iin.Trim(), out var iin))
        {
            throttle.RecordFailure(address);
            return Refuse("wrong", "Wrong IIN or password.", StatusCodes.Status401Unauthorized);
        }

        var (decision, account) = signIn.Decide(iin, Password);
        switch (decision.Outcome)
        {
            case StaffSignInOutcome.SignedIn:
                throttle.Forget(address);
                await OperatorPages.SignInAsync(HttpContext, account!, time.GetUtcNow());
                return LocalRedirect(ReturnUrl ?? OperatorPages.FleetPath);
            case StaffSignInOutcome.Locked:
                return Refuse("locked",
                    $"Too many wrong passwords: this account is locked for {Minutes(decision.LockedUntil!.Value - time.GetUtcNow())} min " +
                    $"({options.Value.MaxFailures} wrong passwords in a row lock it for {options.Value.LockoutMinutes} min). An admin can end the lock with staff reset-password.",
                    StatusCodes.Status423Locked);
            case StaffSignInOutcome.Disabled:
                return Refuse("disabled", "This account is disabled. Ask the administrator of the staff register.", StatusCodes.Status403Forbidden);
            case StaffSignInOutcome.NoRole:
                return Refuse("no-role", "This account is not an operator's: registrars sign in at their clinic's kiosk node.", StatusCodes.Status403Forbidden);
            default:
                throttle.RecordFailure(address);
                return Refuse("wrong", "Wrong IIN or password.", StatusCodes.Status401Unauthorized);
        }
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

    /// <summary>Only a page of this site, never the sign-in itself or another host.</summary>
    private static string? SafeReturn(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.StartsWith(OperatorPages.SignInPath, StringComparison.OrdinalIgnoreCase) && url.Length <= 512
            ? url
            : null;
}
