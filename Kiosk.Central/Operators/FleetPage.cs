using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Kiosk.Central.Sync;
using Kiosk.Core.Time;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Operators;

/// <summary>
/// Central's fleet page for operators (issue 4 item 6): <c>GET /fleet</c>, every kiosk of the register with its last
/// heartbeat and figures, as server-rendered HTML (every value through <see cref="HtmlEncoder"/>). Operators sign in at
/// <c>/fleet/sign-in</c> with <c>Operators:Token</c> (a form with its antiforgery token; failures throttled per
/// address); that sets an HttpOnly, SameSite=Strict cookie of its own for <see cref="SessionLifetime"/>, which carries
/// no token, only the data-protected fact "operator". English only: Central's staff page is not a kiosk screen.
/// Also <c>/metrics</c>, for <c>Bearer &lt;Operators:Token&gt;</c> or <c>Bearer &lt;Monitoring:Token&gt;</c>.
/// </summary>
public static partial class FleetPage
{
    public const string Path = "/fleet";
    public const string SignInPath = "/fleet/sign-in";
    public const string SignOutPath = "/fleet/sign-out";
    public const string MetricsPath = "/metrics";
    public const string CookieScheme = "central-operator";
    public const string CookieName = ".central.operator";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(15);

    private const string Style =
        "body{font-family:DejaVu Sans,Arial,sans-serif;margin:24px;color:#101418;background:#fff;font-size:16px}" +
        "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #5a6470;padding:6px 10px;text-align:left;vertical-align:top}" +
        "th{background:#eef1f5}.bad{color:#9d0012;font-weight:700}.error{color:#9d0012;background:#fde8ea;padding:12px;border:2px solid #9d0012}" +
        "input,button{font-size:18px;min-height:44px;padding:4px 12px}label{display:block;margin:12px 0 4px}form.inline{display:inline}";

    /// <summary>The page's only style, allowed by its hash: no other inline style or any script can run.</summary>
    private static readonly string Csp =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddFleetPage(this IServiceCollection services)
    {
        services.AddSingleton<CentralMetrics>();
        services.AddSingleton<OperatorSignInThrottle>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ".central.af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthentication().AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = Path;
            o.ExpireTimeSpan = SessionLifetime;
            o.SlidingExpiration = false;
            o.LoginPath = SignInPath;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapFleetPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ShowFleet).ExcludeFromDescription();
        app.MapGet(SignInPath, (HttpContext http, IAntiforgery af) => Html(http, SignInForm(http, af, null), StatusCodes.Status200OK))
            .ExcludeFromDescription();
        app.MapPost(SignInPath, SignIn).DisableAntiforgery().ExcludeFromDescription(); // checked in the handler (a 400 page, not an exception)
        app.MapPost(SignOutPath, SignOut).DisableAntiforgery().ExcludeFromDescription();
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
        return app;
    }

    private static async Task<IResult> ShowFleet(HttpContext http, Fleet fleet, IAntiforgery af, TimeProvider time)
    {
        if (!(await http.AuthenticateAsync(CookieScheme)).Succeeded) return Results.Redirect(SignInPath);
        var answer = fleet.List();
        var e = HtmlEncoder.Default;
        var now = time.GetUtcNow();
        var b = new StringBuilder();
        b.Append("<h1>Kiosk fleet</h1>");
        b.Append("<p>Central time ").Append(e.Encode(Local(answer.ServerTime))).Append(" (Astana). ")
            .Append(answer.Kiosks.Count.ToString(CultureInfo.InvariantCulture)).Append(" kiosks. <a href=\"").Append(Path).Append("\">Refresh</a></p>");
        b.Append("<form class=\"inline\" method=\"post\" action=\"").Append(SignOutPath).Append("\">").Append(TokenField(http, af))
            .Append("<button type=\"submit\" id=\"fleet-sign-out\">Sign out</button></form>");
        b.Append("<table id=\"fleet\"><caption>Every kiosk in the register</caption><thead><tr>")
            .Append("<th scope=\"col\">Kiosk</th><th scope=\"col\">Name</th><th scope=\"col\">State</th><th scope=\"col\">Last heartbeat</th>")
            .Append("<th scope=\"col\">Outbox depth</th><th scope=\"col\">Oldest pending</th><th scope=\"col\">Dead letters</th>")
            .Append("<th scope=\"col\">Version</th><th scope=\"col\">Free disk</th><th scope=\"col\">Clock skew</th></tr></thead><tbody>");
        foreach (var k in answer.Kiosks)
        {
            var state = k.Revoked ? "revoked" : k.Enrolled ? "enrolled" : "not enrolled";
            b.Append("<tr data-kiosk=\"").Append(e.Encode(k.KioskId)).Append("\">")
                .Append("<td>").Append(e.Encode(k.KioskId)).Append("</td>")
                .Append("<td>").Append(e.Encode(k.Name)).Append("</td>")
                .Append(k.Revoked ? "<td class=\"bad\">" : "<td>").Append(state).Append("</td>")
                .Append("<td data-field=\"last-heartbeat\">")
                .Append(k.LastHeartbeatAt is { } at ? e.Encode($"{Local(at)} ({Age((long)Math.Max(0, (now - at).TotalSeconds))} ago)") : "never").Append("</td>")
                .Append("<td data-field=\"outbox-depth\">").Append(Num(k.OutboxDepth)).Append("</td>")
                .Append("<td data-field=\"oldest-pending\">").Append(k.OldestPendingSeconds is { } o ? Age(o) : "–").Append("</td>")
                .Append("<td data-field=\"dead-letters\"").Append(k.DeadLetters > 0 ? " class=\"bad\">" : ">").Append(Num(k.DeadLetters)).Append("</td>")
                .Append("<td>").Append(e.Encode(k.Version ?? "–")).Append("</td>")
                .Append("<td>").Append(k.FreeDiskBytes is { } d ? (d / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " GB" : "–").Append("</td>")
                .Append("<td data-field=\"clock-skew\">").Append(k.ClockSkewSeconds is { } s ? s.ToString("0.#", CultureInfo.InvariantCulture) + " s" : "–").Append("</td>")
                .Append("</tr>");
        }
        b.Append("</tbody></table>");
        return Html(http, b.ToString(), StatusCodes.Status200OK, "Kiosk fleet");
    }

    private static async Task<IResult> SignIn(
        HttpContext http, IAntiforgery af, IOptions<OperatorOptions> operators, OperatorSignInThrottle throttle, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Kiosk.Central.Operators.FleetPage");
        if (!http.Request.HasFormContentType || !await af.IsRequestValidAsync(http))
            return Html(http, SignInForm(http, af, "The form expired. Please try again."), StatusCodes.Status400BadRequest);
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "";
        if (throttle.RetryAfter(address) is { } wait)
        {
            LogThrottled(logger, Math.Ceiling(wait.TotalMinutes));
            return Html(http, SignInForm(http, af, $"Too many failed attempts. Try again in {Math.Ceiling(wait.TotalMinutes)} min."),
                StatusCodes.Status429TooManyRequests);
        }
        var token = operators.Value.Token;
        var presented = (await http.Request.ReadFormAsync())["token"].ToString();
        if (string.IsNullOrWhiteSpace(token) || !SyncSecrets.SecretEquals(presented.Trim(), token))
        {
            throttle.RecordFailure(address);
            LogRefused(logger, string.IsNullOrWhiteSpace(token) ? " (Operators:Token is not set)" : "");
            return Html(http, SignInForm(http, af, "Wrong operator token."), StatusCodes.Status401Unauthorized);
        }
        throttle.Forget(address);
        await http.SignInAsync(CookieScheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator")], CookieScheme)),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = false });
        LogSignedIn(logger);
        return Results.Redirect(Path);
    }

    private static async Task<IResult> SignOut(HttpContext http, IAntiforgery af)
    {
        if (!http.Request.HasFormContentType || !await af.IsRequestValidAsync(http)) return Results.Redirect(SignInPath);
        await http.SignOutAsync(CookieScheme);
        return Results.Redirect(SignInPath);
    }

    private static string SignInForm(HttpContext http, IAntiforgery af, string? error)
    {
        var b = new StringBuilder("<h1>Operator sign-in</h1>");
        if (error is not null) b.Append("<p class=\"error\" role=\"alert\" id=\"fleet-error\">").Append(HtmlEncoder.Default.Encode(error)).Append("</p>");
        b.Append("<form method=\"post\" action=\"").Append(SignInPath).Append("\">").Append(TokenField(http, af))
            .Append("<label for=\"token\">Operator token (Operators:Token)</label>")
            .Append("<input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"off\" required> ")
            .Append("<button type=\"submit\" id=\"fleet-sign-in\">Sign in</button></form>");
        return b.ToString();
    }

    private static string TokenField(HttpContext http, IAntiforgery af)
    {
        var tokens = af.GetAndStoreTokens(http);
        return $"<input name=\"{HtmlEncoder.Default.Encode(tokens.FormFieldName)}\" type=\"hidden\" value=\"{HtmlEncoder.Default.Encode(tokens.RequestToken ?? "")}\">";
    }

    private static IResult Html(HttpContext http, string main, int status, string title = "Operator sign-in")
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Csp;
        headers.CacheControl = "no-store";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        var page = $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                   $"<meta name=\"robots\" content=\"noindex\"><title>{HtmlEncoder.Default.Encode(title)} — Central</title><style>{Style}</style></head>" +
                   $"<body><main>{main}</main></body></html>";
        return Results.Content(page, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string Local(DateTimeOffset at) => AstanaTime.ToLocal(at).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Num(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "–";

    private static string Age(long seconds) =>
        (seconds >= 86400 ? $"{seconds / 86400}d " : "") + TimeSpan.FromSeconds(seconds % 86400).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);

    [LoggerMessage(LogLevel.Warning, "Fleet page sign-in refused: wrong operator token{Why}")]
    private static partial void LogRefused(ILogger logger, string why);

    [LoggerMessage(LogLevel.Warning, "Fleet page sign-in refused: too many failed attempts ({Minutes} min left)")]
    private static partial void LogThrottled(ILogger logger, double minutes);

    [LoggerMessage(LogLevel.Information, "An operator signed in to the fleet page")]
    private static partial void LogSignedIn(ILogger logger);
}

/// <summary>Failed fleet sign-ins per client address: 5 within 10 minutes block that address for 15 (in memory, bounded).</summary>
public sealed class OperatorSignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(15);
    private const int MaxTracked = 10_000;

    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Since, DateTimeOffset BlockedUntil)> _entries = new(StringComparer.Ordinal);

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
