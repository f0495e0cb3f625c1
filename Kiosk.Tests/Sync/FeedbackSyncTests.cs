using Dapper;
using Kiosk.Core.Feedback;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Node.Feedback;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Sync;

/// <summary>
/// Survey answers and step times travel like requests (issue 12 item 5: "answers travel through the outbox"): the real
/// Kiosk.Sync process pushes the kiosk's feedback outbox to a real Central over loopback HTTP. Pushed twice, an item is
/// stored once; Central killed with SIGKILL in the middle of a drain and started again loses nothing.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class FeedbackSyncTests(DemoCaFixture ca)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Queues <paramref name="count"/> items, alternately a survey answer and a step time, due now, on today's Astana day.</summary>
    private static List<Guid> Queue(KioskFile kiosk, int count)
    {
        var outbox = new FeedbackOutbox(kiosk.Database);
        var today = AstanaTime.Today(TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
            ids.Add(i % 2 == 0
                ? outbox.Enqueue(FeedbackKinds.Survey,
                    SurveyAnswer.To(i % 4 == 0 ? SurveyQuestions.Process : SurveyQuestions.Information, SurveyRatings.All[i % 3], "home-call", 1, today).ToPayload(), now)
                : outbox.Enqueue(FeedbackKinds.StepTime, new StepTime(StepCatalogue.SignIn, "home-call", TimeSpan.FromSeconds(20 + i), today).ToPayload(), now));
        return ids;
    }

    private static HashSet<string> AtCentral(Kiosk.Storage.SqliteDatabase central)
    {
        using var c = central.Open();
        return [.. c.Query<string>("SELECT id FROM survey_answers UNION ALL SELECT id FROM step_times")];
    }

    private static long Sent(KioskFile kiosk) => kiosk.Count("SELECT count(*) FROM feedback_outbox WHERE state = 'sent'");

    [Fact]
    public async Task Items_are_stored_once_even_when_the_worker_pushes_them_twice()
    {
        await using var central = new SyncCentral(ca);
        using var kiosk = new KioskFile();
        var ids = Queue(kiosk, 23);
        await central.StartAsync();
        using var worker = kiosk.StartWorker(central.BaseUrl, "--Sync:BatchSize=5");
        await Eventually.That(() => Sent(kiosk) == ids.Count, Patience, () => worker.Output);
        Assert.Equal(ids.Select(i => i.ToString("D")).ToHashSet(), AtCentral(central.Database));
        Assert.Equal(12, central.Count("SELECT count(*) FROM survey_answers"));
        Assert.Equal(11, central.Count("SELECT count(*) FROM step_times WHERE kiosk_id = 'kiosk-sync.01' AND channel = 'kiosk'"));

        // As if the worker had died after Central stored them and before it recorded the answer: all queued again.
        using (var c = kiosk.Database.Open())
            c.Execute("UPDATE feedback_outbox SET state = 'queued', sent_at = NULL, next_attempt_at = @now", new { now = Kiosk.Storage.DapperTypeHandlers.Format(DateTimeOffset.UtcNow) });
        await Eventually.That(() => Sent(kiosk) == ids.Count, Patience, () => worker.Output);
        Assert.Equal(ids.Count, AtCentral(central.Database).Count);
        Assert.All(new FeedbackOutbox(kiosk.Database).All(), e => Assert.Equal(2, e.Attempts));
        Assert.Contains(central.Logs.Lines, l => l.Contains("5 duplicates"));

        // A rejected item (Central's permanent refusal) becomes a dead letter, the rest go on.
        var outbox = new FeedbackOutbox(kiosk.Database);
        var bad = outbox.Enqueue(FeedbackKinds.Survey,
            new SurveyAnswer("home-call", 4040, AstanaTime.Today(TimeProvider.System), SurveyRatings.Fully, null).ToPayload(), DateTimeOffset.UtcNow);
        var good = Queue(kiosk, 1).Single();
        await Eventually.That(() => outbox.All().Single(e => e.ItemId == bad).State == OutboxStore.Dead, Patience, () => worker.Output);
        await Eventually.That(() => outbox.All().Single(e => e.ItemId == good).State == OutboxStore.Sent, Patience, () => worker.Output);
        Assert.Equal("unknown-clinic", outbox.All().Single(e => e.ItemId == bad).LastError);
        Assert.Contains(good.ToString("D"), AtCentral(central.Database));
        Assert.DoesNotContain(bad.ToString("D"), AtCentral(central.Database));
    }

    [Fact]
    public async Task Central_killed_in_the_middle_of_a_drain_and_started_again_loses_no_item()
    {
        using var central = new CentralProcess(ca);
        using var kiosk = new KioskFile();
        var ids = Queue(kiosk, 400);
        using var worker = kiosk.StartWorker(central.BaseUrl, "--Sync:BatchSize=5");
        try
        {
            await central.StartAsync();
            for (var round = 0; round < 3; round++)
            {
                var before = Sent(kiosk);
                await Eventually.That(() => Sent(kiosk) > before + 10, Patience, () => worker.Output);
                central.Kill();
                // Never an item marked sent that Central does not hold.
                var held = AtCentral(central.Database);
                Assert.All(new FeedbackOutbox(kiosk.Database).All().Where(e => e.State == OutboxStore.Sent),
                    e => Assert.Contains(e.ItemId.ToString("D"), held));
                // More answers come in while Central is down.
                ids.AddRange(Queue(kiosk, 10));
                await Task.Delay(300);
                await central.StartAsync();
            }
            await Eventually.That(() => Sent(kiosk) == ids.Count, Patience, () => worker.Output);
            var stored = AtCentral(central.Database);
            Assert.Equal(ids.Count, stored.Count);
            Assert.Equal(ids.Select(i => i.ToString("D")).ToHashSet(), stored);
        }
        finally
        {
            worker.Kill();
        }
    }
}
