using Dapper;
using Kiosk.Central.Sync;
using Kiosk.Storage;
using Prometheus;

namespace Kiosk.Central.Operators;

/// <summary>
/// Central's Prometheus metrics (<c>/metrics</c>, issue 4 item 6). The gauges are read from the database at each scrape
/// (a before-collect callback), never kept as second counts beside it: the kiosk register (enrolled, pending,
/// revoked), requests by kind and decision, refusals by reason, envelopes rejected by reason, and per kiosk (label
/// <c>kiosk</c>: its id, no personal data) the seconds since its heartbeat and the figures it reported. Duplicates
/// are not stored, so they are the one counter, counted where the push is answered. A registry of its own per app.
/// </summary>
public sealed class CentralMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;
    private readonly Gauge _kiosks;
    private readonly Gauge _requests;
    private readonly Gauge _refused;
    private readonly Gauge _rejected;
    private readonly Gauge _heartbeatAge;
    private readonly Gauge _outbox;
    private readonly Gauge _oldest;
    private readonly Gauge _dead;
    private readonly Gauge _skew;
    private readonly Counter _duplicates;

    public CentralMetrics(SqliteDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
        DapperTypeHandlers.Register();
        Registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        _kiosks = f.CreateGauge("central_kiosks", "Kiosks in the register by state: enrolled, pending (created, not yet enrolled), revoked.",
            new GaugeConfiguration { LabelNames = ["state"] });
        _requests = f.CreateGauge("central_requests", "Registered requests by kind and decision (registered = not decided yet, accepted, refused).",
            new GaugeConfiguration { LabelNames = ["kind", "decision"] });
        _refused = f.CreateGauge("central_requests_refused", "Refused requests by kind and refusal reason code.",
            new GaugeConfiguration { LabelNames = ["kind", "reason"] });
        _rejected = f.CreateGauge("central_intake_rejected_envelopes", "Envelopes the intake rejected for good, by reason code.",
            new GaugeConfiguration { LabelNames = ["reason"] });
        _heartbeatAge = f.CreateGauge("central_kiosk_heartbeat_age_seconds", "Seconds since each kiosk's last heartbeat (kiosks that never sent one are absent).",
            new GaugeConfiguration { LabelNames = ["kiosk"] });
        _outbox = f.CreateGauge("central_kiosk_outbox_depth", "Each kiosk's undelivered requests, as its last heartbeat reported.",
            new GaugeConfiguration { LabelNames = ["kiosk"] });
        _oldest = f.CreateGauge("central_kiosk_oldest_pending_seconds", "Age of each kiosk's oldest undelivered request at its last heartbeat.",
            new GaugeConfiguration { LabelNames = ["kiosk"] });
        _dead = f.CreateGauge("central_kiosk_dead_letters", "Each kiosk's dead letters, as its last heartbeat reported.",
            new GaugeConfiguration { LabelNames = ["kiosk"] });
        _skew = f.CreateGauge("central_kiosk_clock_skew_seconds", "Each kiosk's clock minus Central's, as last measured.",
            new GaugeConfiguration { LabelNames = ["kiosk"] });
        _duplicates = f.CreateCounter("central_intake_duplicates_total", "Envelopes answered 'duplicate' (seen before) since this process started.");
        Registry.AddBeforeCollectCallback(Update);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Counts the duplicates of one push answer.</summary>
    public void CountDuplicates(IEnumerable<PushItemAnswer> answers)
    {
        var n = answers.Count(a => a.Status == PushStatus.Duplicate);
        if (n > 0) _duplicates.Inc(n);
    }

    public Task WriteAsync(Stream body, CancellationToken cancellationToken) => Registry.CollectAndExportAsTextAsync(body, cancellationToken);

    private void Update()
    {
        var now = _time.GetUtcNow();
        using var c = _db.Open();
        var kiosks = c.Query<(string State, long Count)>("""
            SELECT CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN credential_hash IS NOT NULL THEN 'enrolled' ELSE 'pending' END, count(*)
            FROM kiosks GROUP BY 1
            """).ToDictionary(r => r.State, r => r.Count);
        foreach (var state in new[] { "enrolled", "pending", "revoked" }) _kiosks.WithLabels(state).Set(kiosks.GetValueOrDefault(state));

        Replace(_requests, c.Query<(string Kind, string Status, long Count)>(
            "SELECT kind, status, count(*) FROM requests GROUP BY kind, status").Select(r => (new[] { r.Kind, r.Status }, (double)r.Count)));
        Replace(_refused, c.Query<(string Kind, string Reason, long Count)>(
            "SELECT kind, coalesce(reason, 'unknown'), count(*) FROM requests WHERE status = 'refused' GROUP BY kind, reason")
            .Select(r => (new[] { r.Kind, r.Reason }, (double)r.Count)));
        Replace(_rejected, c.Query<(string Reason, long Count)>(
            "SELECT reason, count(*) FROM rejected_envelopes GROUP BY reason").Select(r => (new[] { r.Reason }, (double)r.Count)));

        var beats = c.Query<(string KioskId, DateTimeOffset At, long? Depth, long? Oldest, long? Dead, double? Skew)>("""
            SELECT kiosk_id, last_heartbeat_at, outbox_depth, oldest_pending_seconds, dead_letters, clock_skew_seconds
            FROM kiosks WHERE last_heartbeat_at IS NOT NULL
            """).ToList();
        Replace(_heartbeatAge, beats.Select(b => (new[] { b.KioskId }, Math.Max(0, (now - b.At).TotalSeconds))));
        Replace(_outbox, beats.Where(b => b.Depth is not null).Select(b => (new[] { b.KioskId }, (double)b.Depth!.Value)));
        Replace(_oldest, beats.Where(b => b.Oldest is not null).Select(b => (new[] { b.KioskId }, (double)b.Oldest!.Value)));
        Replace(_dead, beats.Where(b => b.Dead is not null).Select(b => (new[] { b.KioskId }, (double)b.Dead!.Value)));
        Replace(_skew, beats.Where(b => b.Skew is not null).Select(b => (new[] { b.KioskId }, b.Skew!.Value)));
    }

    /// <summary>Sets the series that exist now and removes those that no longer do (a revoked reason, a kiosk deleted).</summary>
    private static void Replace(Gauge gauge, IEnumerable<(string[] Labels, double Value)> values)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (labels, value) in values)
        {
            gauge.WithLabels(labels).Set(value);
            keep.Add(string.Join('\u001f', labels));
        }
        foreach (var labels in gauge.GetAllLabelValues().ToList())
            if (!keep.Contains(string.Join('\u001f', labels))) gauge.RemoveLabelled(labels);
    }
}
