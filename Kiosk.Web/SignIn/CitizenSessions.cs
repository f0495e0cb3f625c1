using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kiosk.Core.Identity;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.SignIn;

/// <summary>
/// Who signed in, as read from the checked AUTH certificate: the IIN, the name and the certificate's SHA-256
/// thumbprint, plus the service the citizen chose. Nothing else of the certificate, and nothing of the key or password.
/// </summary>
public sealed record SignedInCitizen(Iin Iin, string? Surname, string? FirstName, string? Patronymic, string? CommonName,
    string Thumbprint, string ServiceCode, DateTimeOffset SignedInAt)
{
    /// <summary>"Surname First-name Patronymic", as far as the certificate names them, in title case for the screen.</summary>
    public string DisplayName(CultureInfo culture)
    {
        var parts = new[] { Surname, FirstName, Patronymic }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        var name = parts.Count > 0 ? string.Join(' ', parts) : CommonName ?? "";
        // Certificates write names in capitals; ToTitleCase leaves all-capital words alone, so lower-case them first.
        return culture.TextInfo.ToTitleCase(name.ToLower(culture));
    }

    /// <summary>Never the IIN or the name: a record printed into a log by mistake gives nothing away.</summary>
    public override string ToString() => $"SignedInCitizen {{ Thumbprint = {Thumbprint}, Service = {ServiceCode} }}";
}

/// <summary>
/// The signed-in sessions of the node, in memory only. A sign-in gets a fresh random token (the cookie
/// <see cref="CookieName"/> carries it; only its SHA-256 is kept here), so a session cannot be fixed in advance by
/// whoever used the kiosk before. A session ends on sign-out, on the inactivity reset, after
/// <see cref="SignInOptions.SessionIdleMinutes"/> without a request, or with the process.
/// </summary>
public sealed class CitizenSessions(IOptions<SignInOptions> options, TimeProvider time)
{
    public const string CookieName = ".kiosk.citizen";

    private readonly TimeSpan _idle = TimeSpan.FromMinutes(options.Value.SessionIdleMinutes);
    private readonly Dictionary<string, Slot> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Starts a session and returns its token (for the cookie only: never log it or put it in a URL).</summary>
    public string Start(SignedInCitizen citizen)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow();
        lock (_gate)
        {
            RemoveExpired(now);
            _sessions[Hash(token)] = new Slot(citizen) { LastSeen = now };
        }
        return token;
    }

    /// <summary>The citizen of a live session (and it counts as activity), or null.</summary>
    public SignedInCitizen? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return null;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var key = Hash(token);
            if (!_sessions.TryGetValue(key, out var slot)) return null;
            if (now - slot.LastSeen > _idle)
            {
                _sessions.Remove(key);
                return null;
            }
            slot.LastSeen = now;
            return slot.Citizen;
        }
    }

    /// <summary>Changes the chosen service of a live session.</summary>
    public void ChooseService(string? token, string serviceCode)
    {
        if (string.IsNullOrEmpty(token)) return;
        lock (_gate)
        {
            if (_sessions.TryGetValue(Hash(token), out var slot)) slot.Citizen = slot.Citizen with { ServiceCode = serviceCode };
        }
    }

    /// <summary>
    /// What a live session keeps for a service beside the citizen (a form's draft, the last receipt), one value per
    /// type; null when there is none or no such session. It lives and dies with the session, in memory only.
    /// </summary>
    public T? GetItem<T>(string? token) where T : class
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return null;
        lock (_gate)
            return _sessions.TryGetValue(Hash(token), out var slot) && slot.Items.TryGetValue(typeof(T), out var item) ? (T)item : null;
    }

    /// <summary>Keeps <paramref name="value"/> in a live session (null removes it); false when there is no such session.</summary>
    public bool SetItem<T>(string? token, T? value) where T : class
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return false;
        lock (_gate)
        {
            if (!_sessions.TryGetValue(Hash(token), out var slot)) return false;
            if (value is null) slot.Items.Remove(typeof(T));
            else slot.Items[typeof(T)] = value;
            return true;
        }
    }

    /// <summary>Ends the session; true when there was one.</summary>
    public bool End(string? token)
    {
        if (string.IsNullOrEmpty(token)) return false;
        lock (_gate) return _sessions.Remove(Hash(token));
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                RemoveExpired(time.GetUtcNow());
                return _sessions.Count;
            }
        }
    }

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var (key, slot) in _sessions.ToList())
            if (now - slot.LastSeen > _idle) _sessions.Remove(key);
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed class Slot(SignedInCitizen citizen)
    {
        public SignedInCitizen Citizen { get; set; } = citizen;
        public DateTimeOffset LastSeen { get; set; }
        public Dictionary<Type, object> Items { get; } = [];
    }
}

/// <summary>The signed-in citizen of a request, and the cookie that names the session.</summary>
public static class CitizenSessionHttpExtensions
{
    private static readonly object ItemKey = new();

    /// <summary>The signed-in citizen of this request, or null.</summary>
    public static SignedInCitizen? GetCitizen(this HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var cached)) return cached as SignedInCitizen;
        var citizen = context.RequestServices.GetRequiredService<CitizenSessions>()
            .Find(context.Request.Cookies[CitizenSessions.CookieName]);
        context.Items[ItemKey] = citizen;
        return citizen;
    }

    /// <summary>Starts a signed-in session with a new token and sets its cookie (a browser-session cookie).</summary>
    public static void StartCitizenSession(this HttpContext context, SignedInCitizen citizen)
    {
        var sessions = context.RequestServices.GetRequiredService<CitizenSessions>();
        sessions.End(context.Request.Cookies[CitizenSessions.CookieName]);
        var token = sessions.Start(citizen);
        context.Response.Cookies.Append(CitizenSessions.CookieName, token, CookieOptions(context));
        context.Items[ItemKey] = citizen;
    }

    public static void ChooseService(this HttpContext context, string serviceCode)
    {
        context.RequestServices.GetRequiredService<CitizenSessions>()
            .ChooseService(context.Request.Cookies[CitizenSessions.CookieName], serviceCode);
        if (context.Items.TryGetValue(ItemKey, out var cached) && cached is SignedInCitizen c)
            context.Items[ItemKey] = c with { ServiceCode = serviceCode };
    }

    /// <summary>What the signed-in session keeps of type <typeparamref name="T"/> (see <see cref="CitizenSessions.GetItem{T}"/>).</summary>
    public static T? GetCitizenItem<T>(this HttpContext context) where T : class =>
        context.RequestServices.GetRequiredService<CitizenSessions>().GetItem<T>(context.Request.Cookies[CitizenSessions.CookieName]);

    /// <summary>Keeps (or, with null, drops) a value in the signed-in session; false when there is none.</summary>
    public static bool SetCitizenItem<T>(this HttpContext context, T? value) where T : class =>
        context.RequestServices.GetRequiredService<CitizenSessions>().SetItem(context.Request.Cookies[CitizenSessions.CookieName], value);

    /// <summary>Ends the signed-in session on the server and deletes its cookie; true when there was one.</summary>
    public static bool EndCitizenSession(this HttpContext context)
    {
        var ended = context.RequestServices.GetRequiredService<CitizenSessions>()
            .End(context.Request.Cookies[CitizenSessions.CookieName]);
        context.Response.Cookies.Delete(CitizenSessions.CookieName, CookieOptions(context));
        context.Items[ItemKey] = null;
        return ended;
    }

    private static CookieOptions CookieOptions(HttpContext context) => new()
    {
        Path = "/",
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        IsEssential = true,
    };
}
