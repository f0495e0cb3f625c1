using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Web.Central;
using Kiosk.Web.Desk;
using Kiosk.Web.Journals;
using Kiosk.Web.Feedback;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.Start;
using Kiosk.Web.SignIn;
using Kiosk.Web.Staff;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

namespace Kiosk.Web;

/// <summary>
/// Builds the kiosk node: Razor Pages for citizens, its SQLite store, health endpoints. Program.cs only runs it;
/// tests start the same app on Kestrel with <c>--urls http://127.0.0.1:0</c>.
/// </summary>
public static class KioskApp
{
    public const string AntiforgeryCookieName = ".kiosk.af";

    /// <param name="configure">Lets tests adjust the builder (a fake <see cref="TimeProvider"/>, a log collector) before it is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Named explicitly so Razor Pages are found when a test process, not Kiosk.Web, is the entry assembly.
            ApplicationName = typeof(KioskApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        AddLoggingDefaults(builder.Configuration);
        var services = builder.Services;
        AddJsonLogTimestamps(services);
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<KioskOptions>()
            .Bind(builder.Configuration.GetSection(KioskOptions.Section))
            .PostConfigure(o => o.DefaultLanguage = o.DefaultLanguage.Trim().ToLowerInvariant())
            .ValidateDataAnnotations()
            .Validate(o => KioskLanguages.Find(o.DefaultLanguage) is not null, "Kiosk:DefaultLanguage must be kk, ru or en.")
            .ValidateOnStart();

        services.AddSqliteStore(builder.Configuration, KioskNodeSchema.Migrations,
            o => o.DatabasePath = Path.Combine(".data", "kiosk.db"));
        // An accepted request must survive a power cut (DESIGN §6): the kiosk never runs with less than FULL.
        services.PostConfigure<StorageOptions>(o => o.Synchronous = SynchronousMode.Full);
        services.AddSingleton<SignedRequestStore>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<KioskIdentity>();
        // Signing checks the signing certificate with the same trust list and CRLs as sign-in (KioskTrust's checker).
        services.AddSingleton(sp => new Kiosk.Core.Requests.RequestSigner(
            sp.GetRequiredService<KioskTrust>().Checker, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Kiosk.Web.Requests.RequestSigning>();
        // "Check my request": the citizen's requests with their outbox rows and decisions (Pages/Status).
        services.AddSingleton<Kiosk.Web.Pages.Status.RequestStatusQuery>();
        // Slips (docs/slips.md): the kiosk's device key signs receipts; slips are kept for reprints; the QR code opens
        // Central's public verification page (Slips:VerifyUrl, by default Central:BaseUrl + "verify").
        services.AddOptions<Kiosk.Web.Slips.SlipOptions>()
            .Bind(builder.Configuration.GetSection(Kiosk.Web.Slips.SlipOptions.Section))
            .PostConfigure(o =>
            {
                if (o.VerifyUrl is null && Uri.TryCreate(builder.Configuration["Central:BaseUrl"], UriKind.Absolute, out var central))
                    o.VerifyUrl = new Uri(central, "verify");
            });
        services.AddSingleton<Kiosk.Node.Slips.SlipStore>();
        services.AddSingleton<Kiosk.Node.ReferenceStore>();
        services.AddSingleton<Kiosk.Node.Slips.KioskDeviceKey>();
        services.AddSingleton<Kiosk.Node.Slips.SlipKeyCache>();
        services.AddSingleton<Kiosk.Web.Slips.SlipIssuing>();

        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<KioskOptions>>((o, kiosk) =>
        {
            var cultures = KioskLanguages.All.Select(l => new CultureInfo(l.Culture)).ToList();
            var fallback = KioskLanguages.Find(kiosk.Value.DefaultLanguage) ?? KioskLanguages.All[1];
            o.DefaultRequestCulture = new RequestCulture(fallback.Culture);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            // Only the citizen's own choice counts: not the kiosk browser's Accept-Language, not the URL.
            o.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = KioskLanguages.CookieName }];
        });

        // Sessions live in memory only and end with the inactivity reset or a restart; so do the keys that protect
        // their cookies and the antiforgery tokens.
        services.AddDataProtection().SetApplicationName("Kiosk.Web");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new InMemoryKeyRepository());
        // Cyrillic (Kazakh, Russian) written as text, not as &#x...; entities.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddDistributedMemoryCache();
        services.AddSession(o =>
        {
            o.Cookie.Name = KioskSession.CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.IsEssential = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // A backstop for a browser that vanished; the idle timer in the page ends a session far sooner.
            o.IdleTimeout = TimeSpan.FromMinutes(10);
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SuppressXFrameOptionsHeader = true; // KioskHeaders sends DENY.
        });

        // Razor Pages check the antiforgery token of every POST by themselves.
        services.AddRazorPages()
            .AddMvcOptions(o => o.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true);
        services.AddSingleton(new KioskAssets(KioskAssets.DefaultRoot));
        services.AddEdsSignIn(builder.Configuration);
        // The registry's address for the home-call form, asked of Central (Central:BaseUrl, the kiosk's credential).
        services.AddRegistryAddressLookup(builder.Configuration);
        // Appointment and attachment (issue 5): the citizen's clinic as Central knows it; their bookings and cancellations.
        services.AddSingleton<Kiosk.Web.Requests.CitizenClinicLookup>();
        services.AddSingleton<Kiosk.Web.Pages.Services.Appointment.CitizenAppointments>();
        // Clinic notices on the start screen (issue 12 item 4; Pages/Start/StartNotices.cs), for the clinics in Kiosk:ClinicIds.
        services.AddStartNotices();
        // Operators (issue 4 item 6): staff pages, their sign-in, /api/sync/status and /metrics (Staff/StaffServices.cs).
        services.AddStaff(builder.Configuration);
        // The registrar's desk (issue 12 item 2): Central's registry asked live, the citizen being served (Desk/).
        services.AddDesk(builder.Configuration);
        // The clinic's journals at the desk (issue 12 item 3): fetched live from Central (Journals/CentralJournals.cs).
        services.AddJournals(builder.Configuration);
        // Quality survey and step times (issue 12 items 5–6): the anonymous feedback outbox (Feedback/StepClock.cs).
        services.AddKioskFeedback(builder.Configuration);

        configure?.Invoke(builder);
        var app = builder.Build();
        LogStart(app); // reads the options first, so a wrong setting stops the node before it touches the disk
        app.Services.GetRequiredService<KioskIdentity>(); // a bad Sync:KioskId stops the node now
        app.Services.PrepareDatabase();
        // Reads the trust folder now (and logs what it found), not at the first sign-in.
        app.Services.GetRequiredService<KioskTrust>();

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            // A refused request (a missing antiforgery token, a body over the limit) keeps its own 4xx status.
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseKioskHeaders();
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        var assets = app.Services.GetRequiredService<KioskAssets>();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = assets.FileProvider,
            RequestPath = KioskAssets.RequestPath,
            OnPrepareResponse = ctx =>
                // Versioned URLs (?v=content hash) never change; a bare one is kept for an hour.
                ctx.Context.Response.Headers.CacheControl = ctx.Context.Request.Query.ContainsKey("v")
                    ? "public, max-age=31536000, immutable"
                    : "public, max-age=3600",
        });
        app.UseRequestLocalization();
        app.UseSession();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapKioskEndpoints();
        app.MapStaff();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// Structured logs by default: one JSON object per line on the console, ASP.NET Core itself at Warning so request
    /// paths are not logged (nothing the kiosk logs names a person). Defaults only: they sit below every other
    /// configuration source, so <c>Logging__Console__FormatterName=simple</c> and the like still win.
    /// </summary>
    private static void AddLoggingDefaults(ConfigurationManager configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
                // It warns that keys "may be persisted unencrypted"; they are kept in memory (InMemoryKeyRepository).
                ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager"] = "Error",
                ["Logging:Console:FormatterName"] = "json",
            },
        });

    private static void AddJsonLogTimestamps(IServiceCollection services) =>
        // For the JSON formatter only (the simple one would print the stamp glued to the level); UTC, ISO 8601.
        services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.TimestampFormat ??= "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            o.UseUtcTimestamp = true;
        });

    private static void LogStart(WebApplication app)
    {
        var kiosk = app.Services.GetRequiredService<IOptions<KioskOptions>>().Value;
        app.Logger.LogInformation(
            "Kiosk node configured: default language {DefaultLanguage}, idle {IdleSeconds} s, warning {IdleWarningSeconds} s",
            kiosk.DefaultLanguage, kiosk.IdleSeconds, kiosk.IdleWarningSeconds);
        // Issue 12 moved operators onto Central's staff register; a leftover setting must not look like it still works.
        if (app.Configuration.GetSection("Operators:Accounts").GetChildren().Any())
            app.Logger.LogWarning("Operators:Accounts is no longer read: staff sign in with their IIN and an account of Central's staff " +
                                  "register (docs/staff.md, \"Moving operators from Operators:Accounts\"); remove the setting");
    }
}
