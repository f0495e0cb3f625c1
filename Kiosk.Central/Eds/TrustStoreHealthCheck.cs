using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kiosk.Central.Eds;

/// <summary>
/// Part of <c>/health/ready</c>: Degraded (still HTTP 200, so the reference API stays in service) when a trust folder is
/// configured but yields no trust anchor, or one of its CRLs is past its next update: verifications then answer
/// <c>untrusted</c> or <c>crl-stale</c>. Healthy when the folder is fine, and when none is configured at all (a Central
/// that does not verify EDS; the start-up log says so).
/// </summary>
public sealed class TrustStoreHealthCheck(TrustStoreProvider provider, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!provider.Configured) return Task.FromResult(HealthCheckResult.Healthy("Pki:TrustDirectory is not set; EDS verification is off"));
        var store = provider.Current;
        var data = new Dictionary<string, object>
        {
            ["anchors"] = store.Anchors.Count,
            ["intermediates"] = store.Intermediates.Count,
            ["crls"] = store.Crls.Count,
            ["loadedAt"] = store.LoadedAt,
        };
        if (store.Anchors.Count == 0)
            return Task.FromResult(HealthCheckResult.Degraded("The trust folder is missing or holds no trust anchor", data: data));
        var now = time.GetUtcNow();
        var stale = store.Crls.Count(c => c.IsStaleAt(now));
        if (stale > 0)
            return Task.FromResult(HealthCheckResult.Degraded($"{stale} CRL(s) in the trust folder are past their next update", data: data));
        return Task.FromResult(HealthCheckResult.Healthy("Trust folder loaded", data));
    }
}
