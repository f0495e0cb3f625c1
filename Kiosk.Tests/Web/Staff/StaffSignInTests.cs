using System.Net;
using Kiosk.Web.Staff;

namespace Kiosk.Tests.Web.Staff;

/// <summary>The operator's sign-in on the kiosk (issue 4 item 6): PasswordHasher accounts from configuration, its own
/// short-lived cookie, throttling, sign-out, and a monitoring token that reads but cannot open the staff page.</summary>
public sealed class StaffSignInTests
{
    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_and_a_log_and_repeated_failures_lock_the_name_for_the_cooldown()
    {
        await using var kiosk = await StaffKiosk.StartAsync("--Operators:MaxFailures=3", "--Operators:CooldownMinutes=15");
        using var client = kiosk.NewClient();
        await client.GetAsync("/staff/sign-in");

        var (wrong, html) = await client.PostAsync("/staff/sign-in", [new("Name", StaffKiosk.Operator), new("Password", "not the password")]);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("data-problem=\"wrong\"", html);
        Assert.Contains("Неверное имя оператора или пароль.", html); // Russian, the default language
        Assert.Null(client.Cookie(StaffAuthentication.CookieName));
        var line = Assert.Single(kiosk.Logs.Lines, l => l.Contains("Operator sign-in refused for"));
        Assert.StartsWith("Warning", line);
        Assert.Contains(StaffKiosk.Operator, line);
        Assert.DoesNotContain("not the password", string.Join('\n', kiosk.Logs.Lines));

        // An unknown name is refused the same way (and counts towards the same address).
        (wrong, html) = await client.PostAsync("/staff/sign-in", [new("Name", "nobody"), new("Password", StaffKiosk.Password)]);
        Assert.Contains("data-problem=\"wrong\"", html);
        (wrong, _) = await client.PostAsync("/staff/sign-in", [new("Name", StaffKiosk.Operator), new("Password", "still wrong")]);

        // Three failures: now even the right password is refused, with the minutes to wait.
        var (blocked, blockedHtml) = await client.PostAsync("/staff/sign-in", [new("Name", StaffKiosk.Operator), new("Password", StaffKiosk.Password)]);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("data-problem=\"throttled\"", blockedHtml);
        Assert.Contains("Повторите через 15 мин.", blockedHtml);
        Assert.Null(client.Cookie(StaffAuthentication.CookieName));

        kiosk.Time.Advance(TimeSpan.FromMinutes(15));
        await kiosk.SignInAsync(client);
        Assert.NotNull(client.Cookie(StaffAuthentication.CookieName));
    }

    [Fact]
    public async Task The_staff_page_needs_an_operator_session_with_its_own_strict_short_cookie_and_sign_out_ends_it()
    {
        await using var kiosk = await StaffKiosk.StartAsync("--Operators:SessionMinutes=10");
        using var client = kiosk.NewClient();

        var (anonymous, _) = await client.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/staff/sign-in?ReturnUrl=%2Fstaff", anonymous.Headers.Location!.PathAndQuery);

        await client.GetAsync("/staff/sign-in");
        var (signedIn, _) = await client.PostAsync("/staff/sign-in", [new("Name", "DUTY-OPERATOR"), new("Password", StaffKiosk.Password)]);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var setCookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(StaffAuthentication.CookieName + "="));
        Assert.Contains("httponly", setCookie.ToLowerInvariant());
        Assert.Contains("samesite=strict", setCookie.ToLowerInvariant());
        Assert.DoesNotContain("expires", setCookie.ToLowerInvariant()); // a browser-session cookie; its ticket expires in 10 min

        var (page, html) = await client.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"staff-operator\">duty-operator<", html); // the account's own spelling
        Assert.DoesNotContain("idle.js", html); // the citizens' inactivity reset does not run on the staff page

        // The ticket lasts SessionMinutes from sign-in, however busy the operator is.
        kiosk.Time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff")).Response.StatusCode);
        kiosk.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).Response.StatusCode);

        await kiosk.SignInAsync(client);
        await client.GetAsync("/staff");
        var (signOut, _) = await client.PostAsync("/staff?handler=SignOut", []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/staff")).Response.StatusCode);
        Assert.Contains(kiosk.Logs.Lines, l => l.Contains("signed out of the staff page"));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var client = kiosk.NewClient();
        await kiosk.SignInAsync(client);
        var (retry, _) = await client.PostAsync("/staff?handler=Retry", [new("requestId", Guid.NewGuid().ToString())], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, retry.StatusCode);
    }

    [Fact]
    public async Task The_monitoring_token_reads_the_status_but_does_not_open_the_staff_page()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/staff");
        request.Headers.Authorization = new("Bearer", StaffKiosk.MonitoringToken);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var noRedirect = new HttpClient(handler) { BaseAddress = new Uri(kiosk.BaseUrl) };
        using var page = await noRedirect.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public void Hash_password_prints_a_hash_the_sign_in_accepts_and_refuses_a_short_password()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, HashPasswordCommand.Run(new StringReader(StaffKiosk.Password + "\n"), output, error));
        var hash = output.ToString().Trim();
        Assert.DoesNotContain(StaffKiosk.Password, hash);
        var accounts = new OperatorAccounts(new StaticOptions(new OperatorOptions { Accounts = new(StringComparer.OrdinalIgnoreCase) { ["op"] = hash } }));
        Assert.Equal("op", accounts.Verify("OP", StaffKiosk.Password));
        Assert.Null(accounts.Verify("op", StaffKiosk.Password + "x"));
        Assert.Null(accounts.Verify("other", StaffKiosk.Password));

        // A second hash of the same password differs (its own salt) and works as well.
        var again = new StringWriter();
        HashPasswordCommand.Run(new StringReader(StaffKiosk.Password), again, error);
        Assert.NotEqual(hash, again.ToString().Trim());

        Assert.Equal(2, HashPasswordCommand.Run(new StringReader("short\n"), new StringWriter(), error));
        Assert.Contains("at least 12 characters", error.ToString());

        // A configured value that is not a hash locks that account out instead of failing the sign-in page.
        var broken = new OperatorAccounts(new StaticOptions(new OperatorOptions { Accounts = new(StringComparer.OrdinalIgnoreCase) { ["op"] = StaffKiosk.Password } }));
        Assert.Null(broken.Verify("op", StaffKiosk.Password));
    }

    private sealed class StaticOptions(OperatorOptions value) : Microsoft.Extensions.Options.IOptionsMonitor<OperatorOptions>
    {
        public OperatorOptions CurrentValue => value;
        public OperatorOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<OperatorOptions, string?> listener) => null;
    }
}
