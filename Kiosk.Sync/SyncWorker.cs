using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

/// <summary>
/// The sync loop: rounds of <see cref="OutboxSync"/>, each followed by the wait it asks for. A round that throws (the
/// database busy beyond its timeout, a disk error) counts as a failed round and backs off like a failed call; the
/// loop ends only when the host stops. It runs in its own process (Kiosk.Sync) beside the kiosk node.
/// </summary>
public sealed partial class SyncWorker(OutboxSync sync, IOptions<SyncOptions> options, TimeProvider time, ILogger<SyncWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.KioskId)) LogStarted(o.PollInterval.TotalSeconds, o.KioskId);
        else LogStartedWithoutKioskId(o.PollInterval.TotalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
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
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
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
