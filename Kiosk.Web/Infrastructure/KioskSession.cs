namespace Kiosk.Web.Infrastructure;

/// <summary>
/// What the kiosk keeps in the server-side session (ASP.NET Core Session, in memory) before sign-in: the chosen
/// service and the sign-in form's single-use nonce. The cookie holds only the session's protected key; the inactivity
/// reset clears the session and deletes the cookie. A signed-in citizen lives in a session of its own
/// (<see cref="Kiosk.Web.SignIn.CitizenSessions"/>).
/// </summary>
public static class KioskSession
{
    public const string CookieName = ".kiosk.session";

    private const string ChosenServiceKey = "kiosk.chosen-service";
    private const string SignInNonceKey = "kiosk.signin-nonce";

    public static void SetChosenService(this ISession session, string code) => session.SetString(ChosenServiceKey, code);

    public static string? GetChosenService(this ISession session) => session.GetString(ChosenServiceKey);

    public static void SetSignInNonce(this ISession session, byte[] nonce) => session.Set(SignInNonceKey, nonce);

    /// <summary>The sign-in nonce, removed from the session as it is read: each one is good for one post.</summary>
    public static byte[]? TakeSignInNonce(this ISession session)
    {
        var nonce = session.Get(SignInNonceKey);
        session.Remove(SignInNonceKey);
        return nonce;
    }
}
