using Kiosk.Web.Infrastructure;
using Kiosk.Web.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Pages.Staff;

/// <summary>
/// The operator's sign-in (issue 4 item 6): a name and password checked against <c>Operators:Accounts</c> (PasswordHasher
/// hashes); failures are throttled per name and per address, logged without the password. A success sets the staff
/// cookie (its own, short-lived) and goes to the staff page, or to the staff path it was sent from.
/// </summary>
public sealed class SignInModel(
    IStringLocalizer<SharedResource> t, OperatorAccounts accounts, StaffThrottle throttle, IOptions<OperatorOptions> options,
    ILogger<SignInModel> logger) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

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
        var keys = StaffThrottle.Keys(Name, HttpContext.Connection.RemoteIpAddress?.ToString());
        if (throttle.RetryAfter(keys) is { } wait)
        {
            logger.LogWarning("Operator sign-in refused: too many failed attempts ({Minutes} min left)", Math.Ceiling(wait.TotalMinutes));
            return Refuse("throttled", string.Format(t["Staff.SignIn.Error.Throttled"].Value, Math.Ceiling(wait.TotalMinutes)));
        }
        if (string.IsNullOrWhiteSpace(Name) || string.IsNullOrEmpty(Password) || Name.Length > 64 || Password.Length > 256)
            return Refuse("missing", t["Staff.SignIn.Error.Missing"].Value);

        var account = accounts.Verify(Name, Password);
        if (account is null)
        {
            throttle.RecordFailure(keys);
            // The name an operator typed is a staff login, not a citizen's data; the password is never logged.
            logger.LogWarning("Operator sign-in refused for {Operator}: wrong name or password{Accounts}",
                Name.Trim(), accounts.Any ? "" : " (no operator accounts are configured: Operators:Accounts)");
            return Refuse("wrong", t["Staff.SignIn.Error.Wrong"].Value);
        }
        throttle.Forget(keys);
        await HttpContext.SignInAsync(StaffAuthentication.CookieScheme, StaffAuthentication.OperatorPrincipal(account),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = false });
        logger.LogInformation("Operator {Operator} signed in to the staff page for {Minutes} min", account, options.Value.SessionMinutes);
        return LocalRedirect(ReturnUrl ?? "/staff");
    }

    private PageResult Refuse(string code, string message)
    {
        Password = null;
        ErrorCode = code;
        Error = message;
        Response.StatusCode = code == "throttled" ? StatusCodes.Status429TooManyRequests : StatusCodes.Status200OK;
        return Page();
    }

    /// <summary>Only a staff page of this node: never another host, never a citizen screen.</summary>
    private static string? SafeReturn(string? url) =>
        KioskEndpoints.IsLocalPath(url) && url!.StartsWith("/staff", StringComparison.OrdinalIgnoreCase)
        && !url.StartsWith(StaffAuthentication.SignInPath, StringComparison.OrdinalIgnoreCase)
            ? url
            : null;
}
