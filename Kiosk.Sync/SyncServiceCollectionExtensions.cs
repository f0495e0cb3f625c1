using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>Registers the sync worker and its link to Central (sections <c>Central</c> and <c>Sync</c>).</summary>
    public static IServiceCollection AddKioskSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CentralOptions>().Bind(configuration.GetSection(CentralOptions.Section));
        services.AddOptions<SyncOptions>().Bind(configuration.GetSection(SyncOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(nameof(CentralLink), (sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<SyncOptions>>().Value.CallTimeout);
        services.AddSingleton(sp => new CentralLink(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(CentralLink)),
            sp.GetRequiredService<IOptions<CentralOptions>>(),
            sp.GetRequiredService<ILogger<CentralLink>>()));
        services.AddHostedService<SyncWorker>();
        return services;
    }
}
