using Kiosk.Web.Central;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Desk;

public static class DeskServiceCollection
{
    /// <summary>The registrar's desk (issue 12 item 2; docs/desk.md): the live registry look-up and the cases being served.</summary>
    public static IServiceCollection AddDesk(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeskOptions>()
            .Bind(configuration.GetSection(DeskOptions.Section))
            .Validate(o => o.LookupTimeout > TimeSpan.Zero && o.LookupTimeout <= TimeSpan.FromMinutes(2), "Desk:LookupTimeout must be between 0 and 2 min.")
            .ValidateOnStart();
        services.AddHttpClient(DeskRegistryLookup.HttpClientName, (sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<DeskOptions>>().Value.LookupTimeout + TimeSpan.FromSeconds(1));
        services.AddSingleton<DeskRegistryLookup>();
        services.AddSingleton<DeskCases>();
        services.AddSingleton<DeskStepClock>();
        services.AddSingleton<DeskSurvey>();
        return services;
    }
}
