using Kiosk.Core.Eds;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Eds;

[Collection(DemoCaCollection.Name)]
public class TrustFolderTests(DemoCaFixture fx)
{
    private static void CopyTrust(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(50);
        return condition();
    }

    [Fact]
    public void Without_a_folder_the_store_stays_empty_and_nothing_is_read()
    {
        var events = new List<TrustFolderEvent>();
        using var folder = new TrustFolder(null, TimeProvider.System, TimeSpan.Zero, TimeSpan.Zero, events.Add);
        Assert.Empty(folder.Current.Anchors);
        Assert.Equal(0, folder.Generation);
        Assert.Empty(events);
    }

    [Fact]
    public async Task A_folder_that_appears_later_is_seen_on_use_and_then_watched()
    {
        using var dir = new TempDirectory("trust-folder");
        var trust = dir.File("trust");
        var events = new List<TrustFolderEvent>();
        using var folder = new TrustFolder(trust, TimeProvider.System, TimeSpan.FromMilliseconds(50), TimeSpan.Zero, e => { lock (events) events.Add(e); });
        Assert.Empty(folder.Current.Anchors);

        CopyTrust(fx.Ca.TrustDirectory, trust);

        Assert.True(await EventuallyAsync(() => folder.Current.Anchors.Count == 1), "the new folder was not seen on use");
        Assert.Equal(2, folder.Current.Crls.Count);
        lock (events) Assert.Contains(events, e => e.Kind == TrustFolderEventKind.Loaded && e.Reason.Contains("seen on use"));
    }

    [Fact]
    public async Task A_change_in_a_watched_folder_is_read_without_anyone_asking()
    {
        using var dir = new TempDirectory("trust-folder");
        var trust = dir.File("trust");
        CopyTrust(fx.Ca.TrustDirectory, trust);
        // A recheck interval of an hour: only the watcher can notice the change.
        using var folder = new TrustFolder(trust, TimeProvider.System, TimeSpan.FromMilliseconds(50), TimeSpan.FromHours(1));
        var before = folder.Generation;
        Assert.Equal(2, folder.Current.Crls.Count);

        File.Delete(Path.Combine(trust, "issuing-ca.crl"));

        Assert.True(await EventuallyAsync(() => folder.Generation > before), "the watcher did not reload the folder");
        Assert.Single(folder.Current.Crls);
    }
}
