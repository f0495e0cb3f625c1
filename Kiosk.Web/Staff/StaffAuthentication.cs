using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Kiosk.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Staff;

/// <summary>
/// Who may see the staff page, <c>/api/sync/status</c> and <c>/metrics</c>: an operator signed in on the staff page
/// (its own cookie, <see cref="CookieName"/>: HttpOnly, SameSite=Strict, a short fixed lifetime, apart from the
/// citizen's session), or a monitoring system with <c>Authorization: Bearer &lt;Monitoring:Token&gt;</c>. One policy,
/// <see cref="Policy"/>, over a scheme that picks the bearer check when the request carries one, else the cookie.
/// Refused: 401 with a JSON problem for the API and metrics, a redirect to the staff sign-in for pages.
/// </summary>
public static class StaffAuthentication
{
    /// <summary>The status API and metrics: an operator's session or the monitoring token.</summary>
    public const string Policy = "operator-or-monitoring";

    /// <summary>The staff pages and their actions: an operator's session only (a monitoring token reads, never acts).</summary>
    public const string PagesPolicy = "operator";
    public const string Scheme = "operator";
    public const string CookieScheme = "operator-cookie";
    public const string TokenScheme = "monitoring-token";
    public const string CookieName = ".kiosk.staff";
    public const string SignInPath = "/staff/sign-in";
    public const string RoleClaim = "kiosk-staff-role";
    public const string OperatorRole = "operator";

    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services)
    {
        // The staff cookie is read on every request (not only on staff endpoints), so the antiforgery tokens of a
        // signed-in operator's page are checked against the same user by the shared endpoints (the language switch).
        services.AddAuthentication(o => o.DefaultAuthenticateScheme = CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.IsEssential = true;
                o.Cookie.Path = "/";
                o.SlidingExpiration = false;
                o.LoginPath = SignInPath;
                o.AccessDeniedPath = SignInPath;
                o.Events.OnRedirectToLogin = ctx => IsMachineRequest(ctx.Request)
                    ? WriteUnauthorizedAsync(ctx.HttpContext, "Send Authorization: Bearer <Monitoring:Token>, or sign in at /staff/sign-in.")
                    : Redirect(ctx);
                o.Events.OnRedirectToAccessDenied = o.Events.OnRedirectToLogin;
                // An account taken out of the configuration ends its sessions at their next request.
                o.Events.OnValidatePrincipal = ctx =>
                {
                    var accounts = ctx.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<OperatorOptions>>().CurrentValue.Accounts;
                    if (ctx.Principal?.Identity?.Name is not { } name || !accounts.ContainsKey(name)) ctx.RejectPrincipal();
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, MonitoringTokenHandler>(TokenScheme, null)
            .AddPolicyScheme(Scheme, null, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? TokenScheme : CookieScheme);
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<OperatorOptions>>((o, operators) =>
            o.ExpireTimeSpan = TimeSpan.FromMinutes(operators.Value.SessionMinutes));
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            .AddPolicy(PagesPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireClaim(RoleClaim, OperatorRole));
        return services;
    }

    /// <summary>The operator's claims for the staff cookie.</summary>
    public static ClaimsPrincipal OperatorPrincipal(string name) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(RoleClaim, OperatorRole)], CookieScheme));

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
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "monitoring"), new Claim(StaffAuthentication.RoleClaim, MonitoringRole)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        StaffAuthentication.WriteUnauthorizedAsync(Context, "The bearer token is not this kiosk's Monitoring:Token.");
}
