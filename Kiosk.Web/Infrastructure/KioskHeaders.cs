using Microsoft.Net.Http.Headers;

namespace Kiosk.Web.Infrastructure;

/// <summary>
/// Headers on every response. The policy allows only the node itself: no inline script or style, nothing from the
/// internet, no framing. Everything but the static assets is <c>no-store</c>, so nothing a citizen saw stays in the
/// browser's cache or back/forward history for the next person.
/// </summary>
public static class KioskHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public const string PermissionsPolicy =
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=()";

    public static IApplicationBuilder UseKioskHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // On starting, not now: the exception handler clears headers before it writes an error page.
            context.Response.OnStarting(static state =>
            {
                Apply((HttpContext)state);
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";

        // The static-file middleware set a cache header on a served asset; everything else is never stored.
        var servedAsset = context.Request.Path.StartsWithSegments(KioskAssets.RequestPath)
            && context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified
            && headers.ContainsKey(HeaderNames.CacheControl);
        if (!servedAsset)
        {
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
        }
    }
}
