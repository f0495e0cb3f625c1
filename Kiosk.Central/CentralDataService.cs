using Kiosk.Core.Time;
using Kiosk.Central.DemoData;
using Kiosk.Central.Schedule;
using Kiosk.Storage;
using Microsoft.Extensions.Options;

namespace Kiosk.Central;

/// <summary>
/// Gets Central's database ready before the server takes requests (create, WAL, migrate; demo data into an empty
/// registry when enabled; slots topped up to the horizon), then tops the slots up again shortly after every Astana
/// midnight so the schedule keeps rolling forward. Logs counts and timings only, never personal data.
/// </summary>
public sealed partial class CentralDataService(
    IServiceProvider services,
    TimeProvider time,
    IOptions<DemoDataOptions> demoOptions,
    IHostEnvironment environment,
    ILogger<CentralDataService> logger) : BackgroundService, IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var db = services.PrepareDatabase();
        using var connection = db.Open();
        var demo = demoOptions.Value;
        if (demo.Enabled ?? environment.IsDevelopment())
        {
            var result = new DemoDataSeeder(demo).SeedIfEmpty(connection, time);
            if (result.Seeded)
                LogSeeded(result.Persons, result.Clinics, result.Doctors, result.Attachments, demo.Seed, (long)result.Elapsed.TotalMilliseconds);
            else
                LogNotSeeded();
        }
        else if (DemoDataSeeder.IsEmpty(connection))
        {
            LogEmptyRegistry();
        }
        TopUp(connection);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = AstanaTime.StartOfDay(AstanaTime.Today(time).AddDays(1)).AddMinutes(1);
            var delay = next - time.GetUtcNow();
            try
            {
                await Task.Delay(delay > TimeSpan.FromSeconds(1) ? delay : TimeSpan.FromSeconds(1), time, stoppingToken);
                using var connection = services.GetRequiredService<SqliteDatabase>().Open();
                TopUp(connection);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Try again at the next midnight; the schedule still reaches 13 days ahead meanwhile.
                LogTopUpFailed(ex);
            }
        }
    }

    private void TopUp(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        var started = time.GetTimestamp();
        var added = SlotSchedule.TopUp(connection, time);
        LogToppedUp(added, DemoDataSeeder.Date(AstanaTime.Today(time).AddDays(SlotSchedule.HorizonDays)), (long)time.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information,
        "Demo data seeded: {PersonCount} persons, {ClinicCount} clinics, {DoctorCount} doctors, {AttachmentCount} attachments (seed {Seed}) in {ElapsedMs} ms")]
    private partial void LogSeeded(int personCount, int clinicCount, int doctorCount, int attachmentCount, int seed, long elapsedMs);

    [LoggerMessage(LogLevel.Information, "The registry already holds data; demo data not generated")]
    private partial void LogNotSeeded();

    [LoggerMessage(LogLevel.Warning,
        "The registry is empty and demo data is off; set DemoData__Enabled=true to generate a synthetic registry for a demo")]
    private partial void LogEmptyRegistry();

    [LoggerMessage(LogLevel.Information, "Slots topped up to {LastDate}: {AddedCount} added in {ElapsedMs} ms")]
    private partial void LogToppedUp(int addedCount, string lastDate, long elapsedMs);

    [LoggerMessage(LogLevel.Error, "Topping up the slots failed")]
    private partial void LogTopUpFailed(Exception exception);
}
