using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Antiforgery;

namespace Kiosk.Web.Infrastructure;

/// <summary>The two endpoints every screen uses: the language switch and the reset.</summary>
public static class KioskEndpoints
{
    public const string LanguagePath = "/language";
    public const string ResetPath = "/reset";

    public static IEndpointRouteBuilder MapKioskEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post carrying only the language code and the path of the screen to return to; its antiforgery token
        // is checked here, so a refused post is an ordinary 400 page rather than an exception.
        endpoints.MapPost(LanguagePath, SetLanguage);

        // GET is safe here: the endpoint can only take state away, never add any, so a forged link does no harm, and
        // the idle timer can reach it by plain navigation even after its page's antiforgery token expired.
        endpoints.MapMethods(ResetPath, [HttpMethods.Get, HttpMethods.Post], Reset);
        return endpoints;
    }

    private static async Task<IResult> SetLanguage(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        var form = await context.Request.ReadFormAsync();
        string? lang = form["lang"], returnUrl = form["returnUrl"];

        var language = KioskLanguages.Find(lang);
        if (language is not null)
        {
            context.Response.Cookies.Append(
                KioskLanguages.CookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language.Culture)),
                new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    IsEssential = true,
                    Secure = context.Request.IsHttps,
                    Path = "/",
                    // No expiry: a browser session cookie, and the inactivity reset deletes it sooner.
                });
        }
        return Results.Redirect(IsLocalPath(returnUrl) ? returnUrl! : "/");
    }

    private static IResult Reset(HttpContext context, ILoggerFactory loggers)
    {
        context.Session.Clear();
        var options = new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, HttpOnly = true, Secure = context.Request.IsHttps };
        foreach (var name in new[] { KioskSession.CookieName, KioskLanguages.CookieName, KioskApp.AntiforgeryCookieName })
            context.Response.Cookies.Delete(name, options);
        context.Response.Headers["Clear-Site-Data"] = "\"cache\", \"cookies\", \"storage\"";
        loggers.CreateLogger("Kiosk.Web.Reset").LogInformation("Kiosk session reset");
        return Results.Redirect("/");
    }

    /// <summary>A path on this node ("/help"), never another host ("//evil", "/\evil", "https://…").</summary>
    public static bool IsLocalPath(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
