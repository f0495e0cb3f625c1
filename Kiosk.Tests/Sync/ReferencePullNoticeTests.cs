using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kiosk.Central.Notices;
using Kiosk.Node;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Sync;

/// <summary>
/// Clinic notices end to end through the reference pull: an operator saves them at a real Central (its API on
/// loopback Kestrel), the real Kiosk.Sync process pulls them into a real kiosk SQLite file, and an update and a
/// withdrawal at Central replace and remove the kiosk's copy at the next rounds; the clinics' web sites come along.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class ReferencePullNoticeTests(DemoCaFixture ca)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A notice as an operator sends it, valid around both Central's fake clock and the worker's real one.</summary>
    internal static object Notice(SyncCentral central, string titleRu, string bodyRu, params long[] clinics)
    {
        var fake = central.Time.GetUtcNow();
        var real = DateTimeOffset.UtcNow;
        var from = (fake < real ? fake : real).AddDays(-1);
        return new
        {
            title = new { kk = "", ru = titleRu, en = "" },
            body = new { kk = "", ru = bodyRu, en = "" },
            validFrom = from,
            validTo = from.AddDays(60),
            clinicIds = clinics,
        };
    }

    internal static async Task<NoticeAnswer> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IntakeCentral.OperatorToken);
        if (body is not null) request.Content = JsonContent.Create(body, options: IntakeCentral.Json);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<NoticeAnswer>(text, IntakeCentral.Json)!;
    }

    [Fact]
    public async Task A_notice_reaches_the_kiosks_file_and_an_update_and_a_withdrawal_replace_and_remove_it()
    {
        await using var central = new SyncCentral(ca, $"--Operators:Token={IntakeCentral.OperatorToken}");
        using (var c = central.Database.Open())
        {
            // A web site for clinic 1, on a new version as a clinic change must be.
            c.Execute("INSERT INTO reference_versions (version, created_at, note) VALUES (2, '2026-01-01T00:00:00.0000000Z', 'website')");
            c.Execute("UPDATE clinics SET website = 'https://emhana-1.astana.kz/', version = 2 WHERE id = 1");
        }
        await central.StartAsync();
        using var http = new HttpClient { BaseAddress = central.BaseUrl };
        var first = await SendAsync(http, HttpMethod.Post, "/api/notices",
            Notice(central, "Прививки", "<p>Каждый день <a href=\"https://emhana-1.astana.kz/flu\">подробнее</a></p><script>x()</script>", 1));
        var second = await SendAsync(http, HttpMethod.Post, "/api/notices", Notice(central, "Для второй", "<p>Вторая</p>", 2));

        using var kiosk = new KioskFile();
        var store = new ReferenceStore(kiosk.Database, TimeProvider.System);
        var notices = new KioskNotices(kiosk.Database);
        using var worker = kiosk.StartWorker(central.BaseUrl);
        IReadOnlyList<KioskNotice> Valid(params long[] clinics) => notices.ValidAt(DateTimeOffset.UtcNow, clinics, 10);

        await Eventually.That(() => store.Version() == second.Version, Patience, () => worker.Output);
        var pulled = Valid(1).Single();
        Assert.Equal((first.Id, "Прививки"), (pulled.Id, pulled.Title.Ru));
        Assert.Equal("<p>Каждый день <a href=\"https://emhana-1.astana.kz/flu\" rel=\"noopener noreferrer\">подробнее</a></p>", pulled.Body.Ru);
        Assert.Equal(["emhana-1.astana.kz"], pulled.LinkHosts);
        Assert.Equal([first.Id, second.Id], Valid().Select(n => n.Id).Order());
        Assert.Equal(second.Id, Valid(2).Single().Id);
        Assert.Contains(worker.Lines, l => l.Contains("Clinic notices replaced: 2", StringComparison.Ordinal));

        // An update at Central replaces the kiosk's copy: new text, another clinic.
        var updated = await SendAsync(http, HttpMethod.Put, $"/api/notices/{first.Id}", Notice(central, "Прививки: новое время", "<p>С 9:00</p>", 2));
        await Eventually.That(() => store.Version() == updated.Version, Patience, () => worker.Output);
        Assert.Empty(Valid(1));
        Assert.Equal("Прививки: новое время", Valid(2).Single(n => n.Id == first.Id).Title.Ru);
        Assert.Equal("<p>С 9:00</p>", Valid(2).Single(n => n.Id == first.Id).Body.Ru);

        // A withdrawal removes it from the kiosk; the other stays.
        var withdrawn = await SendAsync(http, HttpMethod.Post, $"/api/notices/{first.Id}/withdraw");
        await Eventually.That(() => store.Version() == withdrawn.Version, Patience, () => worker.Output);
        Assert.Equal([second.Id], Valid().Select(n => n.Id));
        Assert.Equal(0, kiosk.Count($"SELECT COUNT(*) FROM notices WHERE id = {first.Id}"));
        Assert.Equal(0, kiosk.Count($"SELECT COUNT(*) FROM notice_clinics WHERE notice_id = {first.Id}"));

        // The clinic's web site came with the clinic.
        using (var c = kiosk.Database.Open())
            Assert.Equal("https://emhana-1.astana.kz/", c.ExecuteScalar<string>("SELECT website FROM clinics WHERE id = 1"));
        Assert.DoesNotContain(worker.Lines, l => l.Contains("Прививки", StringComparison.Ordinal));
    }
}
