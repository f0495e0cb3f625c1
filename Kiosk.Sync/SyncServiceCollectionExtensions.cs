using Kiosk.Node;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sync worker, its calls to Central and the kiosk tables it uses (sections <c>Central</c> and
    /// <c>Sync</c>). The kiosk's SQLite file itself (<c>AddSqliteStore</c> with <see cref="KioskNodeSchema"/>) is the
    /// host's to register, so that a kiosk node hosting the worker shares its own.
    /// </summary>
    public static IServiceCollection AddKioskSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CentralOptions>().Bind(configuration.GetSection(CentralOptions.Section));
        services.AddOptions<SyncOptions>()
            .Bind(configuration.GetSection(SyncOptions.Section))
            .Validate(SyncOptions.IsValid,
                "Sync: intervals must be positive, BatchSize 1 to 100, RetryMaxDelay at least RetryBaseDelay, KioskId 1 to 64 of " +
                "A-Z a-z 0-9 . _ - starting with a letter or digit, Credential of A-Z a-z 0-9 - _ only.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxStore>();
        services.TryAddSingleton<DecisionStore>();
        services.TryAddSingleton<KioskSettings>();
        // The timeout is enforced per call by CentralClient (reading the answer included); this is only a backstop.
        services.AddHttpClient(CentralClient.HttpClientName, (sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<SyncOptions>>().Value.CallTimeout + TimeSpan.FromSeconds(1));
        services.AddSingleton<CentralClient>();
        services.AddSingleton<CentralLink>();
        services.AddSingleton<KioskCredentials>();
        services.AddSingleton<ClockSkewMonitor>();
        services.AddSingleton<OutboxSync>();
        services.AddReferencePull(configuration); // reference data and trust list (ReferencePull.cs)
        services.AddSingleton<KioskIdentity>();
        services.AddSingleton<Kiosk.Node.Slips.KioskDeviceKey>();
        services.AddSingleton<SlipKeysSync>(); // device key at Central, JWKS copy (SlipKeysSync.cs)
        services.AddHostedService<SyncWorker>();
        return services;
    }
}
