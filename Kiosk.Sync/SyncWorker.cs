using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

/// <summary>
/// The sync loop: rounds of <see cref="OutboxSync"/>, each followed by the wait it asks for. A round that throws (the
/// database busy beyond its timeout, a disk error) counts as a failed round and backs off like a failed call; the
/// loop ends only when the host stops. It runs in its own process (Kiosk.Sync) beside the kiosk node.
/// </summary>
public sealed partial class SyncWorker(OutboxSync sync, Kiosk.Node.OutboxStore outbox, IOptions<SyncOptions> options, TimeProvider time,
    ILogger<SyncWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.KioskId)) LogStarted(o.PollInterval.TotalSeconds, o.KioskId);
        else LogStartedWithoutKioskId(o.PollInterval.TotalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            var roundStarted = time.GetUtcNow();
            try
            {
                wait = await sync.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                wait = sync.Failed();
                LogRoundFailed(e.GetType().Name, e.Message, wait.TotalSeconds);
            }
            try
            {
                await WaitAsync(wait, roundStarted, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The wait before the next round. After a good round it ends early when a request is queued meanwhile (checked
    /// every <see cref="SyncOptions.QueuedCheckInterval"/>); after a failed one the backoff is waited out whole, so
    /// new requests never hurry a worker that Central is refusing.
    /// </summary>
    private async Task WaitAsync(TimeSpan wait, DateTimeOffset roundStarted, CancellationToken stoppingToken)
    {
        var check = options.Value.QueuedCheckInterval;
        if (sync.Failures > 0 || check <= TimeSpan.Zero || check >= wait)
        {
            await Task.Delay(wait, time, stoppingToken);
            return;
        }
        var until = time.GetUtcNow() + wait;
        while (time.GetUtcNow() < until)
        {
            var left = until - time.GetUtcNow();
            await Task.Delay(left < check ? left : check, time, stoppingToken);
            try
            {
                if (outbox.QueuedSince(roundStarted, time.GetUtcNow())) return;
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // Busy or briefly unreadable: the round at the end of the wait will find the row anyway.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync worker started; polling every {PollSeconds} s as kiosk {KioskId}")]
    private partial void LogStarted(double pollSeconds, string kioskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync worker started; polling every {PollSeconds} s, watching Central only: Sync:KioskId is not set, so requests stay queued")]
    private partial void LogStartedWithoutKioskId(double pollSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "A sync round failed ({Error}: {Message}); next try in {WaitSeconds:0.0} s")]
    private partial void LogRoundFailed(string error, string message, double waitSeconds);
}
