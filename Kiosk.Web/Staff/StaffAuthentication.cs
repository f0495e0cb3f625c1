using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Kiosk.Core.Staff;
using Kiosk.Node.Staff;
using Kiosk.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Staff;

/// <summary>
/// Who may use the staff pages, <c>/api/sync/status</c> and <c>/metrics</c> (issue 4 item 6, issue 12 item 1): a
/// member of staff signed in at <c>/staff/sign-in</c> with IIN and password (its own cookie, <see cref="CookieName"/>:
/// HttpOnly, SameSite=Strict, Secure outside Development, ended after <see cref="StaffSessionOptions.IdleMinutes"/>
/// without a request and <see cref="StaffSessionOptions.MaxSessionHours"/> after sign-in, apart from the citizen's
/// session), holding the role the page needs; or a monitoring system with
/// <c>Authorization: Bearer &lt;Monitoring:Token&gt;</c> for the status API and metrics. A session ends at its next
/// request when Central disables the account or takes a role away (the sync worker brings the change).
/// Refused: 401 with a JSON problem for the API and metrics, a redirect to the staff sign-in for pages.
/// </summary>
public static class StaffAuthentication
{
    /// <summary>The status API and metrics: an operator's session or the monitoring token.</summary>
    public const string Policy = "operator-or-monitoring";

    /// <summary>The sync status page and its actions: an operator's session only (a monitoring token reads, never acts).</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>The registrar's desk and the clinic's journals.</summary>
    public const string RegistrarPolicy = "registrar";

    /// <summary>What any member of staff may use (the slip check).</summary>
    public const string AnyStaffPolicy = "staff";

    public const string Scheme = "staff";
    public const string CookieScheme = "staff-cookie";
    public const string TokenScheme = "monitoring-token";
    public const string CookieName = ".kiosk.staff";
    public const string SignInPath = "/staff/sign-in";

    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services)
    {
        // The staff cookie is read on every request (not only on staff endpoints), so the antiforgery tokens of a
        // signed-in staff member's page are checked against the same user by the shared endpoints (the language switch).
        services.AddAuthentication(o => o.DefaultAuthenticateScheme = CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.IsEssential = true;
                o.Cookie.Path = "/";
                o.SlidingExpiration = true;
                o.LoginPath = SignInPath;
                o.AccessDeniedPath = SignInPath;
                o.Events.OnRedirectToLogin = ctx => IsMachineRequest(ctx.Request)
                    ? WriteUnauthorizedAsync(ctx.HttpContext, "Send Authorization: Bearer <Monitoring:Token>, or sign in at /staff/sign-in.")
                    : Redirect(ctx);
                o.Events.OnRedirectToAccessDenied = o.Events.OnRedirectToLogin;
                o.Events.OnValidatePrincipal = ValidateAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, MonitoringTokenHandler>(TokenScheme, null)
            .AddPolicyScheme(Scheme, null, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? TokenScheme : CookieScheme);
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<StaffSessionOptions>, IHostEnvironment>((o, staff, environment) =>
        {
            o.ExpireTimeSpan = TimeSpan.FromMinutes(staff.Value.IdleMinutes);
            o.Cookie.SecurePolicy = staff.Value.SecureCookies ?? !environment.IsDevelopment()
                ? CookieSecurePolicy.Always
                : CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(StaffRoles.Operator, MonitoringTokenHandler.MonitoringRole))
            .AddPolicy(OperatorPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole(StaffRoles.Operator))
            .AddPolicy(RegistrarPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole(StaffRoles.Registrar))
            .AddPolicy(AnyStaffPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole(StaffRoles.Operator, StaffRoles.Registrar));
        return services;
    }

    /// <summary>Signs the account in at this node (a fresh session; the claims are <see cref="StaffClaims"/>).</summary>
    public static Task SignInAsync(HttpContext http, StaffAccount account, DateTimeOffset now) =>
        http.SignInAsync(CookieScheme, StaffClaims.Principal(account, now, CookieScheme), new AuthenticationProperties { IsPersistent = false });

    /// <summary>
    /// Each request of a session: the longest session is not over, and the account is still known here, enabled, and
    /// holds every role the session was given. The cookie is then renewed, so it lasts the idle period from this
    /// request, not from the last half-way renewal.
    /// </summary>
    private static Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var services = ctx.HttpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<StaffSessionOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var user = ctx.Principal!;
        var account = StaffClaims.IinOf(user) is { } iin ? services.GetRequiredService<StaffStore>().Find(iin) : null;
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        var started = StaffClaims.SignedInAtOf(user);
        if (account is null || account.Disabled || roles.Count == 0 || !roles.All(account.Holds) || started is null
            || now - started.Value > TimeSpan.FromHours(options.MaxSessionHours))
        {
            ctx.RejectPrincipal();
            return ctx.HttpContext.SignOutAsync(CookieScheme);
        }
        ctx.ShouldRenew = true;
        return Task.CompletedTask;
    }

    /// <summary>API and metrics callers get a 401 status, not a sign-in page.</summary>
    private static bool IsMachineRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/metrics");

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    internal static Task WriteUnauthorizedAsync(HttpContext http, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"kiosk-monitoring\"";
        return http.Response.WriteAsJsonAsync(
            new { type = "https://tools.ietf.org/html/rfc9110#section-15.5.2", title = "Not authenticated", status = 401, detail },
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    /// <summary>Equal strings, compared in time that depends on neither's content (both hashed first, so not on length either).</summary>
    public static bool SecretEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

/// <summary><c>Authorization: Bearer &lt;Monitoring:Token&gt;</c>, compared in constant time; no token configured: refused.</summary>
public sealed class MonitoringTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptionsMonitor<MonitoringOptions> monitoring)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string MonitoringRole = "monitoring";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        var token = monitoring.CurrentValue.Token;
        if (string.IsNullOrWhiteSpace(token)) return Task.FromResult(AuthenticateResult.Fail("Monitoring:Token is not set."));
        if (!StaffAuthentication.SecretEquals(header["Bearer ".Length..].Trim(), token.Trim()))
            return Task.FromResult(AuthenticateResult.Fail("Wrong monitoring token."));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "monitoring"), new Claim(ClaimTypes.Role, MonitoringRole)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        StaffAuthentication.WriteUnauthorizedAsync(Context, "The bearer token is not this kiosk's Monitoring:Token.");
}
