using System.Security.Claims;
using Kiosk.Central.Staff;
using Kiosk.Central.Sync;
using Kiosk.Core.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Operators;

/// <summary>
/// Central's pages for operators (issue 4 item 6, issue 12): Razor Pages under <c>Kiosk.Central/Pages</c>, English
/// only (Central's staff pages are not kiosk screens), behind the staff sign-in (<c>/staff/sign-in</c>: IIN and
/// password of a staff account with the operator role; docs/staff.md). The session cookie (<see cref="CookieName"/>)
/// is HttpOnly, SameSite=Strict, Secure outside Development, ends after <see cref="StaffOptions.IdleMinutes"/> without
/// a request and <see cref="StaffOptions.MaxSessionHours"/> after sign-in, and ends at once when the account is
/// disabled or loses the role. Every page gets a strict CSP (no script at all; styles from Central only). Also
/// <c>/metrics</c>, for <c>Bearer &lt;Operators:Token&gt;</c> or <c>Bearer &lt;Monitoring:Token&gt;</c>.
/// </summary>
public static class OperatorPages
{
    public const string CookieScheme = "central-staff";
    public const string CookieName = ".central.staff";
    public const string OperatorPolicy = "central-operator";
    public const string SignInPath = "/staff/sign-in";
    public const string SignOutPath = "/staff/sign-out";
    public const string FleetPath = "/fleet";
    public const string MetricsPath = "/metrics";
    public const string StylePath = "/central-assets/central.css";

    public const string Csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddOperatorPages(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<StaffOptions>()
            .Bind(configuration.GetSection(StaffOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.ProviderBin is null || Core.Identity.Bin.TryParse(o.ProviderBin, out _), "Staff:ProviderBin must be a BIN.")
            .ValidateOnStart();
        services.AddSingleton<StaffRegister>();
        services.AddSingleton<StaffSignIn>();
        services.AddSingleton<CentralMetrics>();
        services.AddSingleton<OperatorSignInThrottle>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ".central.af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SuppressXFrameOptionsHeader = true; // the page filter sends DENY
        });
        services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = "/";
            o.Cookie.IsEssential = true;
            o.SlidingExpiration = true;
            o.LoginPath = SignInPath;
            o.AccessDeniedPath = SignInPath;
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnValidatePrincipal = ValidateAsync;
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<StaffOptions>>((o, staff) =>
        {
            o.ExpireTimeSpan = TimeSpan.FromMinutes(staff.Value.IdleMinutes);
            o.Cookie.SecurePolicy = staff.Value.SecureCookies ?? !environment.IsDevelopment()
                ? CookieSecurePolicy.Always
                : CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole(StaffRoles.Operator));
        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/", OperatorPolicy);
                o.Conventions.AllowAnonymousToPage("/Staff/SignIn");
            })
            .AddMvcOptions(o =>
            {
                o.Filters.Add<OperatorPageHeaders>();
                o.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
            });
        return services;
    }

    public static IEndpointRouteBuilder MapOperatorPages(this IEndpointRouteBuilder app)
    {
        var style = ReadStyle();
        app.MapGet(StylePath, (HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "public, max-age=3600";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Bytes(style, "text/css; charset=utf-8");
            })
            .ExcludeFromDescription();
        app.MapGet(MetricsPath, async (HttpContext http, CentralMetrics metrics) =>
            {
                http.Response.ContentType = CentralMetrics.ContentType;
                await metrics.WriteAsync(http.Response.Body, http.RequestAborted);
            })
            .WithTags("Operators")
            .WithName("Metrics")
            .WithSummary("Prometheus metrics: kiosks, requests, intake, heartbeats")
            .WithDescription("Authorization: Bearer <Operators:Token> or Bearer <Monitoring:Token>. Prometheus text format 0.0.4. 401: no or wrong token; 403: neither token is configured.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .AddEndpointFilter(SyncEndpoints.AuthenticateOperatorOrMonitoring);
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// Each request of a session: the longest session is not over, and the account still exists, is enabled and is an
    /// operator (a change by <c>staff disable</c> ends the session at its next request). The cookie is then renewed,
    /// so it lasts the idle period from this request, not from the last half-way renewal.
    /// </summary>
    private static Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var services = ctx.HttpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<StaffOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var user = ctx.Principal!;
        var account = StaffClaims.IinOf(user) is { } iin ? services.GetRequiredService<StaffRegister>().Find(iin)?.Account : null;
        var started = StaffClaims.SignedInAtOf(user);
        if (account is null || account.Disabled || !account.Holds(StaffRoles.Operator) || started is null
            || now - started.Value > TimeSpan.FromHours(options.MaxSessionHours))
        {
            ctx.RejectPrincipal();
            return ctx.HttpContext.SignOutAsync(CookieScheme);
        }
        ctx.ShouldRenew = true;
        return Task.CompletedTask;
    }

    public static Task SignInAsync(HttpContext http, StaffAccount account, DateTimeOffset now) =>
        http.SignInAsync(CookieScheme, StaffClaims.Principal(account, now, CookieScheme),
            new AuthenticationProperties { IsPersistent = false });

    private static byte[] ReadStyle()
    {
        using var stream = typeof(OperatorPages).Assembly.GetManifestResourceStream("Kiosk.Central.Operators.central.css")
            ?? throw new InvalidOperationException("Central's operator style sheet is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>The headers of every operator page: no script, nothing framed, nothing cached, no referrer.</summary>
public sealed class OperatorPageHeaders : IResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = OperatorPages.Csp;
        headers.CacheControl = "no-store";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}

/// <summary>Failed staff sign-ins at Central per client address: 20 within 10 minutes block that address for 15 (in memory, bounded),
/// beside the per-account lockout that the register keeps.</summary>
public sealed class OperatorSignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(15);
    private const int MaxTracked = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Count, DateTimeOffset Since, DateTimeOffset BlockedUntil)> _entries =
        new(StringComparer.Ordinal);

    public TimeSpan? RetryAfter(string key)
    {
        var now = time.GetUtcNow();
        return _entries.TryGetValue(key, out var e) && e.BlockedUntil > now ? e.BlockedUntil - now : null;
    }

    public void RecordFailure(string key)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= MaxTracked)
            foreach (var (k, v) in _entries)
                if (v.BlockedUntil <= now && now - v.Since > Window) _entries.TryRemove(k, out _);
        _entries.AddOrUpdate(key, _ => (1, now, DateTimeOffset.MinValue), (_, e) =>
        {
            if (now - e.Since > Window) e = (0, now, e.BlockedUntil);
            var count = e.Count + 1;
            return count >= MaxFailures ? (0, now, now + Cooldown) : (count, e.Since, e.BlockedUntil);
        });
    }

    public void Forget(string key) => _entries.TryRemove(key, out _);
}
