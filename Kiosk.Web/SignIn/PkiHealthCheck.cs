using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kiosk.Web.SignIn;

/// <summary>
/// Part of <c>/health/ready</c>: degraded (still HTTP 200, the node serves what it can) when no certificate can be
/// checked or a CRL is past its next update; the description says which, for the operator.
/// </summary>
public sealed class PkiHealthCheck(KioskTrust trust, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var store = trust.Current;
        if (trust.Directory is null)
            return Task.FromResult(HealthCheckResult.Degraded("Pki:TrustDirectory is not set: EDS sign-in is unavailable"));
        if (!trust.CanCheck)
            return Task.FromResult(HealthCheckResult.Degraded("the trust folder gives no trust anchor: EDS sign-in is unavailable"));
        var now = time.GetUtcNow();
        var stale = store.Crls.Count(c => c.IsUsable && c.IsStaleAt(now));
        return Task.FromResult(stale > 0
            ? HealthCheckResult.Degraded($"{stale} CRL(s) past their next update")
            : HealthCheckResult.Healthy($"{store.Anchors.Count} trust anchors, {store.Crls.Count} CRLs"));
    }
}

public static class SignInServiceCollectionExtensions
{
    /// <summary>The trust list, the sign-in service, its throttle and the signed-in sessions (all singletons).</summary>
    public static IServiceCollection AddEdsSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PkiOptions>().Bind(configuration.GetSection(PkiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SignInOptions>().Bind(configuration.GetSection(SignInOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<KioskTrust>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<CitizenSessions>();
        services.AddSingleton<UsedNonces>();
        services.AddSingleton<EdsSignIn>();
        services.AddHealthChecks().AddCheck<PkiHealthCheck>("pki", tags: ["ready"]);
        return services;
    }
}
