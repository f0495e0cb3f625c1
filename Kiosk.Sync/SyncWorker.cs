using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

/// <summary>The sync loop. It can run in its own process (Kiosk.Sync) or hosted inside the kiosk node for a demo.</summary>
public sealed partial class SyncWorker(CentralLink link, IOptions<SyncOptions> options, TimeProvider time, ILogger<SyncWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(options.Value.PollInterval.TotalSeconds);
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            await link.ProbeAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync worker started; polling every {PollSeconds} s")]
    private partial void LogStarted(double pollSeconds);
}
