using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Antiforgery;
using Kiosk.Web.SignIn;

namespace Kiosk.Web.Infrastructure;

/// <summary>The two endpoints every screen uses: the language switch and the reset.</summary>
public static class KioskEndpoints
{
    public const string LanguagePath = "/language";
    public const string ResetPath = "/reset";
    public const string SignOutPath = "/sign-out";

    public static IEndpointRouteBuilder MapKioskEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post carrying only the language code and the path of the screen to return to; its antiforgery token
        // is checked here, so a refused post is an ordinary 400 page rather than an exception.
        endpoints.MapPost(LanguagePath, SetLanguage);

        // GET is safe here: the endpoint can only take state away, never add any, so a forged link does no harm, and
        // the idle timer can reach it by plain navigation even after its page's antiforgery token expired.
        endpoints.MapMethods(ResetPath, [HttpMethods.Get, HttpMethods.Post], Reset);

        // The signed-in citizen's own way out: a form post with its antiforgery token, ending the visit like the reset.
        endpoints.MapPost(SignOutPath, SignOut);
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
        var signedIn = EndVisit(context);
        loggers.CreateLogger("Kiosk.Web.Reset").LogInformation("Kiosk session reset{SignedOut}", signedIn ? " (a signed-in session ended)" : "");
        return Results.Redirect("/");
    }

    private static async Task<IResult> SignOut(HttpContext context, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        var signedIn = EndVisit(context);
        loggers.CreateLogger("Kiosk.Web.SignOut").LogInformation("Citizen signed out{Ended}", signedIn ? "" : " (no signed-in session)");
        return Results.Redirect("/");
    }

    /// <summary>
    /// Ends everything of the visit: the signed-in session and the anonymous one on the server, and every cookie
    /// (session, signed-in session, language, antiforgery), so the next person starts from nothing.
    /// </summary>
    private static bool EndVisit(HttpContext context)
    {
        var signedIn = context.EndCitizenSession();
        context.Session.Clear();
        var options = new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, HttpOnly = true, Secure = context.Request.IsHttps };
        foreach (var name in new[] { KioskSession.CookieName, KioskLanguages.CookieName, KioskApp.AntiforgeryCookieName })
            context.Response.Cookies.Delete(name, options);
        context.Response.Headers["Clear-Site-Data"] = "\"cache\", \"cookies\", \"storage\"";
        return signedIn;
    }

    /// <summary>A path on this node ("/help"), never another host ("//evil", "/\evil", "https://…").</summary>
    public static bool IsLocalPath(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
