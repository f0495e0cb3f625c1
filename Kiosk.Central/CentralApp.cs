using System.Text.Encodings.Web;
using System.Text.Unicode;
using Kiosk.Central.DemoData;
using Kiosk.Central.Eds;
using Kiosk.Central.Feedback;
using Kiosk.Central.Notices;
using Kiosk.Central.Operators;
using Kiosk.Central.Reference;
using Kiosk.Central.Slips;
using Kiosk.Central.Sync;
using Kiosk.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;

namespace Kiosk.Central;

/// <summary>
/// The central provider as a web application. <c>Program.cs</c> only calls <see cref="Build"/> and runs it; tests do the
/// same in-process (for example with <c>--urls http://127.0.0.1:0 --Storage:DatabasePath=/tmp/x/central.db</c>) and read
/// the bound address from <c>IServerAddressesFeature</c> after <c>StartAsync</c>.
/// </summary>
public static class CentralApp
{
    /// <summary>
    /// Configuration defaults, below every other source (command line, environment, appsettings): Central ships no
    /// appsettings.json, because a test project that references both Central and the kiosk would get the two apps'
    /// files in one output folder.
    /// </summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        // "simple" (one line per entry) or "json" (Logging__Console__FormatterName=json) for log collectors.
        ["Logging:Console:FormatterName"] = "simple",
    };

    /// <param name="args">Command-line arguments: <c>--urls</c>, <c>--environment</c>, <c>--Storage:DatabasePath=…</c> and so on.</param>
    /// <param name="configure">Lets tests adjust the builder (for example replace the <see cref="TimeProvider"/>) before it is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(CentralApp).Assembly.GetName().Name,
        });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });

        var services = builder.Services;
        services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        });
        services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        services.AddSingleton(TimeProvider.System);
        services.AddSqliteStore(builder.Configuration, MigrationSet.FromEmbeddedResources(typeof(CentralApp).Assembly), o =>
        {
            o.DatabasePath = Path.Combine(builder.Environment.ContentRootPath, ".data", "central.db");
            // WAL with synchronous=NORMAL stays consistent after a crash; Central may lose only the last commits of a
            // power cut, which kiosks then resend (DESIGN §6: pushes are idempotent).
            o.Synchronous = SynchronousMode.Normal;
        });
        services.AddOptions<DemoDataOptions>()
            .Bind(builder.Configuration.GetSection(DemoDataOptions.Section))
            .Validate(o => o.Persons >= 100, "DemoData:Persons must be at least 100.")
            .ValidateOnStart();
        services.AddHostedService<CentralDataService>();
        // EDS verification API: trust folder (Pki:TrustDirectory), checker, CMS verifier, trust-store health check.
        services.AddEdsVerification(builder.Configuration);
        // Sync protocol: kiosk register, intake of signed requests, decisions (docs/sync-protocol.md).
        services.AddSyncIntake(builder.Configuration);
        // Slips: the keys that sign them, the JWKS, the public check (docs/slips.md).
        services.AddSlips(builder.Configuration);
        // Operators (issue 4 item 6, issue 12): the staff register and sign-in, the operator pages (Razor Pages under
        // Pages/: /fleet, …) and /metrics (Operators/OperatorPages.cs).
        services.AddOperatorPages(builder.Configuration, builder.Environment);
        // The pages write Cyrillic (names, notices) as text, not as &#x...; entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        // Quality survey and step times (issue 12 items 5–6): intake and reports (Feedback/, docs/survey-and-step-times.md).
        services.AddFeedback(builder.Configuration);
        // Clinic notices (issue 12 item 4): the operators' API /api/notices; kiosks get them with the reference data.
        services.AddNotices();
        services.AddOpenApi();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
            // Cyrillic (Kazakh letters included) and "№" stay readable in the JSON instead of \uXXXX escapes.
            o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.BasicLatin, UnicodeRanges.Cyrillic, UnicodeRanges.LetterlikeSymbols));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapReferenceApi();
        app.MapEdsVerificationApi();
        app.MapSyncApi();
        app.MapSlips();
        app.MapOperatorPages();
        app.MapFeedbackReports(); // /api/reports/survey…, /api/reports/step-times…
        app.MapNoticeApi();
        app.MapOpenApi(); // /openapi/v1.json
        return app;
    }
}
