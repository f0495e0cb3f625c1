using Kiosk.Node;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Staff;

/// <summary>
/// The operators' part of the kiosk node (issue 4 item 6): the staff pages under <c>/staff</c> (Pages/Staff), the
/// sign-in with PasswordHasher accounts, <c>GET /api/sync/status</c> and <c>/metrics</c>.
/// </summary>
public static class StaffServices
{
    public const string StatusPath = "/api/sync/status";
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddStaff(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OperatorOptions>()
            .Bind(configuration.GetSection(OperatorOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<MonitoringOptions>().Bind(configuration.GetSection(MonitoringOptions.Section));
        services.TryAddSingleton<KioskSettings>();
        services.TryAddSingleton<OutboxStore>();
        services.AddSingleton<OperatorAccounts>();
        services.AddSingleton<StaffThrottle>();
        services.AddSingleton<SyncStatusReader>();
        services.AddSingleton<KioskMetrics>();
        services.AddStaffAuthentication();
        services.Configure<RazorPagesOptions>(o => o.Conventions
            .AuthorizeFolder("/Staff", StaffAuthentication.PagesPolicy)
            .AllowAnonymousToPage("/Staff/SignIn"));
        return services;
    }

    public static IEndpointRouteBuilder MapStaff(this IEndpointRouteBuilder app)
    {
        app.MapGet(StatusPath, (SyncStatusReader status) => Results.Ok(status.Read()))
            .RequireAuthorization(StaffAuthentication.Policy);
        app.MapGet(MetricsPath, async (HttpContext http, KioskMetrics metrics) =>
            {
                http.Response.ContentType = KioskMetrics.ContentType;
                await metrics.WriteAsync(http.Response.Body, http.RequestAborted);
            })
            .RequireAuthorization(StaffAuthentication.Policy);
        return app;
    }
}

/// <summary>Failed operator sign-ins, counted per operator name and per client address (in memory, like the citizens' throttle).</summary>
public sealed class StaffThrottle(IOptions<OperatorOptions> options, TimeProvider time)
{
    private readonly SignInThrottle _throttle = new(Options.Create(new SignInOptions
    {
        MaxFailures = options.Value.MaxFailures,
        FailureWindowMinutes = options.Value.FailureWindowMinutes,
        CooldownMinutes = options.Value.CooldownMinutes,
    }), time);

    public static string[] Keys(string? name, string? address) =>
        ["operator:" + (name?.Trim().ToLowerInvariant() ?? ""), "address:" + (address ?? "")];

    public TimeSpan? RetryAfter(string[] keys) => _throttle.RetryAfter(keys);

    public void RecordFailure(string[] keys) => _throttle.RecordFailure(keys);

    public void Forget(string[] keys) => _throttle.Forget(keys);
}
