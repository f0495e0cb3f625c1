using Prometheus;

namespace Kiosk.Web.Staff;

/// <summary>
/// The kiosk's Prometheus gauges (<c>/metrics</c>), read from the database at each scrape (a before-collect callback
/// over <see cref="SyncStatusReader"/>), so they are never a second count that could drift from the outbox. A registry
/// of its own per app (not prometheus-net's static default), so several nodes in one process do not mix.
/// Never-happened times (no push yet, no clock measurement) are NaN.
/// </summary>
public sealed class KioskMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly SyncStatusReader _status;
    private readonly Gauge _outbox;
    private readonly Gauge _oldest;
    private readonly Gauge _dead;
    private readonly Gauge _online;
    private readonly Gauge _skew;
    private readonly Gauge _skewLimit;
    private readonly Gauge _pushAge;
    private readonly Gauge _pullAge;

    public KioskMetrics(SyncStatusReader status)
    {
        _status = status;
        Registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        _outbox = f.CreateGauge("kiosk_outbox_requests", "Requests in the kiosk's outbox by state (queued, sent, dead).",
            new GaugeConfiguration { LabelNames = ["state"] });
        _oldest = f.CreateGauge("kiosk_outbox_oldest_pending_seconds", "Age of the oldest queued (undelivered) request; 0 when none is queued.");
        _dead = f.CreateGauge("kiosk_outbox_dead_letters", "Requests Central rejected for good, waiting for an operator.");
        _online = f.CreateGauge("kiosk_sync_online", "1 when the sync worker reached Central recently (Operators:OnlineWindow), else 0.");
        _skew = f.CreateGauge("kiosk_clock_skew_seconds", "The kiosk's clock minus Central's, as last measured by the sync worker; NaN before the first measurement.");
        _skewLimit = f.CreateGauge("kiosk_clock_skew_limit_seconds", "The sync worker's clock-skew warning threshold (Sync:ClockSkewWarning).");
        _pushAge = f.CreateGauge("kiosk_sync_last_push_age_seconds", "Seconds since a push last got Central's answer; NaN if never.");
        _pullAge = f.CreateGauge("kiosk_sync_last_pull_age_seconds", "Seconds since a pull of decisions last got Central's answer; NaN if never.");
        Registry.AddBeforeCollectCallback(Update);
    }

    public CollectorRegistry Registry { get; }

    private void Update()
    {
        var s = _status.Read();
        _outbox.WithLabels("queued").Set(s.OutboxDepth);
        _outbox.WithLabels("sent").Set(s.Delivered);
        _outbox.WithLabels("dead").Set(s.DeadLetters);
        _oldest.Set(s.OldestPendingSeconds ?? 0);
        _dead.Set(s.DeadLetters);
        _online.Set(s.Online ? 1 : 0);
        _skew.Set(s.ClockSkewSeconds ?? double.NaN);
        _skewLimit.Set(s.ClockSkewLimitSeconds);
        _pushAge.Set(s.LastPushAt is { } push ? Math.Max(0, (s.ServerTime - push).TotalSeconds) : double.NaN);
        _pullAge.Set(s.LastPullAt is { } pull ? Math.Max(0, (s.ServerTime - pull).TotalSeconds) : double.NaN);
    }

    public Task WriteAsync(Stream body, CancellationToken cancellationToken) => Registry.CollectAndExportAsTextAsync(body, cancellationToken);
}
