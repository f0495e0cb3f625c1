using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Kiosk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kiosk.Tests.Web;

public sealed class KioskAppFixture : IAsyncLifetime
{
    public KioskAppHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await KioskAppHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>The kiosk shell over real HTTP: screens, language, session, reset, headers, store.</summary>
public partial class KioskAppTests(KioskAppFixture fixture) : IClassFixture<KioskAppFixture>
{
    private static readonly KeyValuePair<string, string>[] NoFields = [];

    private KioskClient NewClient() => fixture.Host.NewClient();

    [Fact]
    public async Task Start_screen_is_russian_by_default_with_the_services_the_language_switch_and_1414()
    {
        using var client = NewClient();
        var (response, html) = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"ru\">", html);
        Assert.Contains("Вызов врача на дом", html);
        foreach (var id in new[] { "service-home-call", "service-appointment", "service-attachment", "service-status",
                     "help-link", "lang-kk", "lang-ru", "lang-en", "idle-dialog", "idle-stay", "idle-countdown", "osk", "call-centre" })
            Assert.Contains($"id=\"{id}\"", html);
        Assert.Contains(">1414<", html);
        Assert.DoesNotContain("id=\"nav-home\"", html); // no "home" on the start screen itself
        Assert.Single(Regex.Matches(html, "<h1[ >]"));
        Assert.Contains("data-idle-seconds=\"60\"", html);
        Assert.Contains("data-idle-warning-seconds=\"20\"", html);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/help")]
    [InlineData("/no-such-page")]
    public async Task Every_page_sends_the_security_headers_and_no_store(string path)
    {
        using var client = NewClient();
        var (response, html) = await client.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("style-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("base-uri 'none'", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore, "pages must be no-store");
        Assert.Contains("1414", html);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/help")]
    public async Task Pages_have_no_inline_script_style_or_handlers_and_load_nothing_from_elsewhere(string path)
    {
        using var client = NewClient();
        var (_, html) = await client.GetAsync(path);

        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
        Assert.DoesNotMatch(@"\sstyle\s*=", html);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html);
    }

    [Fact]
    public async Task Assets_come_from_the_node_with_a_long_cache_and_without_no_store()
    {
        using var client = NewClient();
        var (_, html) = await client.GetAsync("/");
        var css = Regex.Match(html, "href=\"(/assets/css/kiosk.css\\?v=[0-9a-f]+)\"").Groups[1].Value;
        Assert.NotEmpty(css);

        foreach (var path in new[] { css, "/assets/js/osk.js", "/assets/js/idle.js", "/assets/js/signin.js" })
        {
            var (response, body) = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.Public, path);
            Assert.False(response.Headers.CacheControl?.NoStore, path);
            Assert.NotEmpty(body);
        }
    }

    [Theory]
    [InlineData("/health/live", "Healthy")]
    [InlineData("/health/ready", "Degraded")] // this node has no Pki:TrustDirectory: it serves, but nobody can sign in
    public async Task Health_endpoints_answer(string path, string status)
    {
        using var client = NewClient();
        var (response, body) = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, body);
    }

    [Theory]
    [InlineData("kk", "Дәрігерді үйге шақыру")]
    [InlineData("en", "Home doctor call")]
    [InlineData("ru", "Вызов врача на дом")]
    public async Task The_language_switch_sets_a_cookie_and_returns_to_the_same_screen(string lang, string text)
    {
        using var client = NewClient();
        await client.GetAsync("/help");

        var (response, _) = await client.PostAsync("/language", [new("lang", lang), new("returnUrl", "/help")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/help", response.Headers.Location?.OriginalString);
        Assert.NotNull(client.Cookie(".kiosk.lang"));
        var (_, html) = await client.GetAsync("/help");
        Assert.Contains($"<html lang=\"{lang}\">", html);
        Assert.Contains(text, html);
        Assert.Contains($"id=\"lang-{lang}\" class=\"btn btn--lang is-current\"", html);
    }

    [Fact]
    public async Task The_language_switch_needs_the_antiforgery_token()
    {
        using var client = NewClient();
        await client.GetAsync("/");
        var (response, _) = await client.PostAsync("/language", [new("lang", "kk"), new("returnUrl", "/")], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(client.Cookie(".kiosk.lang"));
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("")]
    public async Task The_language_switch_returns_only_to_this_node(string returnUrl)
    {
        using var client = NewClient();
        await client.GetAsync("/");
        var (response, _) = await client.PostAsync("/language", [new("lang", "en"), new("returnUrl", returnUrl)]);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Sign_in_without_a_chosen_service_goes_back_to_the_start()
    {
        using var client = NewClient();
        var (response, _) = await client.GetAsync("/sign-in");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("home-call", "Вызов врача на дом")]
    [InlineData("appointment", "Запись на прием к врачу")]
    [InlineData("attachment", "Прикрепление к медицинской организации ПМСП")]
    [InlineData("status", "Проверить мою заявку")]
    public async Task A_chosen_service_is_kept_in_the_session_and_shown_on_the_sign_in_screen(string code, string name)
    {
        using var client = NewClient();
        var (page, html) = await ChooseAsync(client, code);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"id=\"chosen-service\" data-service=\"{code}\"", html);
        Assert.Contains(name, html);
        foreach (var id in new[] { "signin-form", "auth-key-file", "key-password", "signin-submit", "password-toggle", "nav-home" })
            Assert.Contains($"id=\"{id}\"", html);
        Assert.Contains("accept=\".p12,.pfx\"", html);
        Assert.Contains("data-osk=\"text\"", html);
        Assert.Contains("enctype=\"multipart/form-data\"", html);
        Assert.NotNull(client.Cookie(".kiosk.session"));
    }

    [Fact]
    public async Task An_unknown_service_is_not_remembered()
    {
        using var client = NewClient();
        await client.GetAsync("/");
        var (response, _) = await client.PostAsync("/?handler=Choose", [new("service", "x-ray")]);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/sign-in")).Response.StatusCode);
    }

    [Fact]
    public async Task Sign_in_with_nothing_filled_in_says_what_is_missing()
    {
        using var client = NewClient();
        await ChooseAsync(client, "home-call");

        var (response, html) = await client.PostAsync("/sign-in", NoFields, file: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"signin-errors\"", html);
        Assert.Contains("Выберите файл для входа (AUTH_RSA256_…).", html);
        Assert.Contains("Наберите пароль от ЭЦП.", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.DoesNotContain("data-outcome", html);
    }

    [Theory]
    [InlineData(0, "Выбранный файл пуст.")]
    [InlineData(64 * 1024 + 1, "слишком большой")]
    public async Task Sign_in_refuses_an_empty_or_oversized_key_file(int size, string message)
    {
        using var client = NewClient();
        await ChooseAsync(client, "home-call");

        var (_, html) = await client.PostAsync("/sign-in", [new("Password", "secret")],
            file: ("KeyFile", "AUTH_RSA256_x.p12", new byte[size]));

        Assert.Contains(message, html);
        Assert.DoesNotContain("data-outcome", html);
    }

    [Fact]
    public async Task A_complete_sign_in_form_is_told_plainly_that_this_node_cannot_check_eds_without_a_trust_list()
    {
        using var client = NewClient();
        await ChooseAsync(client, "attachment");

        var (response, html) = await client.PostAsync("/sign-in", [new("Password", "Qwerty12"), new("Nonce", client.Nonce!)],
            file: ("KeyFile", "AUTH_RSA256_x.p12", new byte[3000]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<li data-problem=\"trust-unavailable\">", html);
        Assert.Contains("не может проверить ЭЦП", html);
        Assert.DoesNotContain("Qwerty12", html);
        Assert.Null(client.Cookie(".kiosk.citizen"));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Sign_in_needs_the_antiforgery_token()
    {
        using var client = NewClient();
        await ChooseAsync(client, "attachment");
        var (response, _) = await client.PostAsync("/sign-in", [new("Password", "x")], withToken: false,
            file: ("KeyFile", "AUTH_RSA256_x.p12", new byte[10]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Reset_wipes_the_session_and_the_cookies_and_shows_the_start()
    {
        using var client = NewClient();
        await ChooseAsync(client, "appointment");
        await client.PostAsync("/language", [new("lang", "en"), new("returnUrl", "/sign-in")]);
        var oldSession = client.Cookie(".kiosk.session");
        Assert.NotNull(oldSession);

        var (response, _) = await client.GetAsync("/reset");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Equal("\"cache\", \"cookies\", \"storage\"", response.Headers.GetValues("Clear-Site-Data").Single());
        var deleted = response.Headers.GetValues("Set-Cookie").ToList();
        foreach (var name in new[] { ".kiosk.session", ".kiosk.lang", ".kiosk.af" })
            Assert.Contains(deleted, c => c.StartsWith(name + "=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970"));
        Assert.Null(client.Cookie(".kiosk.session"));
        Assert.Null(client.Cookie(".kiosk.lang"));
        var (start, html) = await client.GetAsync("/");
        Assert.Contains("<html lang=\"ru\">", html);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);

        // The old session is empty on the server too: a copy of its cookie brings nothing back.
        using var replay = NewClient();
        replay.Cookies.Add(replay.BaseAddress, new Cookie(".kiosk.session", oldSession));
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/sign-in")).Response.StatusCode);
    }

    [Fact]
    public async Task Unknown_addresses_get_a_translated_page_with_the_way_home()
    {
        using var client = NewClient();
        var (response, html) = await client.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Такой страницы нет", html);
        Assert.Contains("id=\"error-to-start\"", html);
    }

    [Fact]
    public async Task The_store_is_created_in_wal_mode_with_full_sync_and_the_settings_table()
    {
        var db = fixture.Host.Services.GetRequiredService<SqliteDatabase>();
        using var connection = db.Open();
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // 2 = FULL
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'kiosk_settings'"));
        Assert.Equal(fixture.Host.Services.GetRequiredService<MigrationSet>().Migrations[^1].Version, await connection.ExecuteScalarAsync<long>("SELECT MAX(version) FROM schema_migrations"));
        Assert.Equal(Path.GetFullPath(fixture.Host.DatabasePath), db.Path);
    }

    private static async Task<(HttpResponseMessage Response, string Html)> ChooseAsync(KioskClient client, string code)
    {
        await client.GetAsync("/");
        var (chosen, _) = await client.PostAsync("/?handler=Choose", [new("service", code)]);
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal("/sign-in", chosen.Headers.Location?.OriginalString);
        return await client.GetAsync("/sign-in");
    }
}

/// <summary>The kiosk started with its own configuration.</summary>
public class KioskConfigurationTests
{
    [Fact]
    public async Task Configured_language_idle_times_and_clinic_name_reach_the_page()
    {
        await using var host = await KioskAppHost.StartAsync(
            "--Kiosk:DefaultLanguage=kk", "--Kiosk:IdleSeconds=7", "--Kiosk:IdleWarningSeconds=3",
            "--Kiosk:ClinicName=№4 қалалық емхана", "--Storage:Synchronous=Normal");
        using var client = host.NewClient();

        var (_, html) = await client.GetAsync("/");

        Assert.Contains("<html lang=\"kk\">", html);
        Assert.Contains("data-idle-seconds=\"7\"", html);
        Assert.Contains("data-idle-warning-seconds=\"3\"", html);
        Assert.Contains("№4 қалалық емхана", html);
        // The kiosk keeps synchronous=FULL whatever the configuration says.
        Assert.Equal(SynchronousMode.Full, host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Synchronous);
        // After a reset the configured language, not Russian, is what the next person sees.
        await client.PostAsync("/language", [new("lang", "en"), new("returnUrl", "/")]);
        await client.GetAsync("/reset");
        Assert.Contains("<html lang=\"kk\">", (await client.GetAsync("/")).Html);
    }

    [Theory]
    [InlineData("--Kiosk:DefaultLanguage=de")]
    [InlineData("--Kiosk:IdleSeconds=0")]
    [InlineData("--Kiosk:IdleWarningSeconds=-1")]
    public async Task A_wrong_setting_stops_the_node_at_start(string setting)
    {
        await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await KioskAppHost.StartAsync(setting);
        });
    }
}
