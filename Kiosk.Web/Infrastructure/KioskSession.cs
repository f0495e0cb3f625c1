namespace Kiosk.Web.Infrastructure;

/// <summary>
/// What the kiosk keeps in the server-side session (ASP.NET Core Session, in memory). The cookie holds only the
/// session's protected key; the inactivity reset clears the session and deletes the cookie.
/// </summary>
public static class KioskSession
{
    public const string CookieName = ".kiosk.session";

    private const string ChosenServiceKey = "kiosk.chosen-service";

    public static void SetChosenService(this ISession session, string code) => session.SetString(ChosenServiceKey, code);

    public static string? GetChosenService(this ISession session) => session.GetString(ChosenServiceKey);
}
