using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Staff;

/// <summary>
/// The staff's part of the kiosk node (issue 4 item 6, issue 12): the sign-in of registrars and operators with the
/// accounts Central sends, the operators' pages under <c>/staff</c>, the registrars' under <c>/desk</c>,
/// <c>GET /api/sync/status</c> and <c>/metrics</c>.
/// </summary>
public static class StaffServices
{
    public const string StatusPath = "/api/sync/status";
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddStaff(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StaffSessionOptions>()
            .Bind(configuration.GetSection(StaffSessionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<OperatorOptions>()
            .Bind(configuration.GetSection(OperatorOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<MonitoringOptions>().Bind(configuration.GetSection(MonitoringOptions.Section));
        services.TryAddSingleton<KioskSettings>();
        services.TryAddSingleton<OutboxStore>();
        services.TryAddSingleton<StaffStore>();
        services.AddSingleton<NodeStaffSignIn>();
        services.AddSingleton<StaffThrottle>();
        services.AddSingleton<SyncStatusReader>();
        services.AddSingleton<KioskMetrics>();
        services.AddStaffAuthentication();
        services.Configure<RazorPagesOptions>(o => o.Conventions
            .AuthorizePage("/Staff/Index", StaffAuthentication.OperatorPolicy)
            .AuthorizePage("/Staff/Slips", StaffAuthentication.AnyStaffPolicy)
            .AuthorizeFolder("/Desk", StaffAuthentication.RegistrarPolicy));
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

/// <summary>
/// Failed staff sign-ins per client address (in memory, like the citizens' throttle): the guard against guessing across
/// many IINs, beside the per-account lockout that the node's file keeps (<see cref="NodeStaffSignIn"/>).
/// </summary>
public sealed class StaffThrottle(IOptions<StaffSessionOptions> options, TimeProvider time)
{
    private readonly SignInThrottle _throttle = new(Options.Create(new SignInOptions
    {
        MaxFailures = options.Value.AddressMaxFailures,
        FailureWindowMinutes = options.Value.AddressWindowMinutes,
        CooldownMinutes = options.Value.AddressCooldownMinutes,
    }), time);

    public static string Key(string? address) => "staff-address:" + (address ?? "");

    public TimeSpan? RetryAfter(string key) => _throttle.RetryAfter(key);

    public void RecordFailure(string key) => _throttle.RecordFailure(key);

    public void Forget(string key) => _throttle.Forget(key);
}
