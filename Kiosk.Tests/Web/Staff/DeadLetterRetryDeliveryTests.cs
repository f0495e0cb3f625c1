using Dapper;
using Kiosk.Node;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Sync;

namespace Kiosk.Tests.Web.Staff;

/// <summary>
/// A dead letter an operator retries is delivered by the real sync worker process to a real Central, and the worker
/// leaves what the staff page reads: its last error while Central is down, its last contact once it answers.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class DeadLetterRetryDeliveryTests(DemoCaFixture ca)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_retried_dead_letter_goes_back_in_the_queue_and_the_sync_worker_delivers_it()
    {
        var requests = SyncRequests.Take(ca, 2);
        await using var central = new SyncCentral(ca);
        using var kiosk = new KioskFile();
        kiosk.Queue(requests);
        var dead = requests[0].RequestId;
        using (var c = kiosk.Database.Open())
            c.Execute("UPDATE outbox SET state = 'dead', last_error = 'kiosk-mismatch', dead_at = @at WHERE request_id = @id",
                new { at = DateTimeOffset.UtcNow, id = dead.ToString("D") });
        var settings = new KioskSettings(kiosk.Database);
        using var worker = kiosk.StartWorker(central.BaseUrl);

        // Central is down: the worker records why, for the staff page.
        await Eventually.That(() => settings.Get(KioskSettings.LastError) == "unreachable" && settings.Get(KioskSettings.LastErrorAt) is not null,
            Patience, () => worker.Output);
        Assert.Null(settings.Get(KioskSettings.LastContactAt));

        await central.StartAsync();
        // The live row is delivered; the dead letter is left alone.
        await Eventually.That(() => kiosk.SentCount() == 1 && settings.Get(KioskSettings.LastContactAt) is not null, Patience, () => worker.Output);
        Assert.Equal(OutboxStore.Dead, new OutboxStore(kiosk.Database).Get(dead)!.State);
        Assert.DoesNotContain(dead.ToString("D"), central.Registered().Keys);
        Assert.NotNull(settings.Get(KioskSettings.ClockSkewLimitSeconds));

        Assert.True(new OutboxStore(kiosk.Database).RetryDead(dead, DateTimeOffset.UtcNow));

        await Eventually.That(() => kiosk.SentCount() == 2, Patience, () => worker.Output);
        var row = new OutboxStore(kiosk.Database).Get(dead)!;
        Assert.Equal(central.Registered()[dead.ToString("D")], row.RegistrationNumber);
        Assert.Equal(2, central.Registered().Count);
    }
}
