using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

/// <summary>
/// Measures the kiosk's clock against Central's from a push answer's <c>serverTime</c>: the kiosk's time half-way
/// through the call minus Central's (positive: the kiosk is ahead). Warns when the difference is beyond
/// <see cref="SyncOptions.ClockSkewWarning"/>: when it first gets there, then at most once an hour while it stays;
/// says so when it is back within. A wrong kiosk clock matters: Central judges a home call's cut-off by the signing
/// time, which is the kiosk's claim.
/// </summary>
public sealed partial class ClockSkewMonitor(IOptions<SyncOptions> options, ILogger<ClockSkewMonitor> logger)
{
    private static readonly TimeSpan RepeatWarning = TimeSpan.FromHours(1);
    private bool _beyond;
    private DateTimeOffset _warnedAt;

    /// <summary>The last measurement (kiosk minus Central), or null before the first.</summary>
    public TimeSpan? Skew { get; private set; }

    /// <summary>When <see cref="Skew"/> was measured, by the kiosk's clock.</summary>
    public DateTimeOffset? MeasuredAt { get; private set; }

    public TimeSpan Observe(DateTimeOffset sentAt, DateTimeOffset receivedAt, DateTimeOffset serverTime)
    {
        var skew = sentAt + (receivedAt - sentAt) / 2 - serverTime;
        Skew = skew;
        MeasuredAt = receivedAt;
        var limit = options.Value.ClockSkewWarning;
        var beyond = skew.Duration() > limit;
        if (beyond && (!_beyond || receivedAt - _warnedAt >= RepeatWarning))
        {
            LogSkew(Math.Round(skew.TotalSeconds), limit.TotalSeconds);
            _warnedAt = receivedAt;
        }
        else if (!beyond && _beyond)
        {
            LogSkewGone(Math.Round(skew.TotalSeconds, 1));
        }
        _beyond = beyond;
        return skew;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The kiosk's clock differs from Central's by {SkewSeconds} s (kiosk minus Central; more than {LimitSeconds} s): set the kiosk's time right, signing times depend on it")]
    private partial void LogSkew(double skewSeconds, double limitSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "The kiosk's clock agrees with Central's again ({SkewSeconds} s)")]
    private partial void LogSkewGone(double skewSeconds);
}
