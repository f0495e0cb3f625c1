using System.Text.Json;
using Dapper;
using Kiosk.Core.Eds;
using Kiosk.Node;
using Kiosk.Sync;
using Kiosk.Tests.Central;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Sync;

/// <summary>
/// The reference pull end to end: the real Kiosk.Sync process on a real kiosk SQLite file pulls from a real Central on
/// loopback Kestrel — clinics, doctors and future slots in pages, a booking made at Central, and Central's trust list
/// and CRLs into the kiosk's trust folder, which sign-in's <see cref="TrustFolder"/> reloads.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class ReferencePullTests(DemoCaFixture ca)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_worker_pulls_reference_data_and_trust_files_and_hears_of_a_booking_and_a_new_CRL()
    {
        using var centralTrust = new TempDirectory("reference-central-trust");
        foreach (var file in Directory.EnumerateFiles(ca.Ca.TrustDirectory))
            File.Copy(file, centralTrust.File(Path.GetFileName(file)));
        using var kioskTrust = new TempDirectory("reference-kiosk-trust");
        // The kiosk's own files: one Central also has (same bytes, an old time stamp) and one only the kiosk has.
        File.Copy(Path.Combine(ca.Ca.TrustDirectory, "root-ca.cer"), kioskTrust.File("root-ca.cer"));
        var oldStamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(kioskTrust.File("root-ca.cer"), oldStamp);
        File.Copy(Path.Combine(ca.Ca.TrustDirectory, "root-ca.cer"), kioskTrust.File("kiosk-own.cer"));

        await using var central = new SyncCentral(ca, $"--Pki:TrustDirectory={centralTrust.Path}");
        var schedule = Schedule.Seed(central.Database, central.Time.GetUtcNow());
        await central.StartAsync();
        using var kiosk = new KioskFile();
        var store = new ReferenceStore(kiosk.Database, central.Time);
        using var signInTrust = new TrustFolder(kioskTrust.Path, TimeProvider.System, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
        Assert.Empty(signInTrust.Current.Crls);

        using var worker = kiosk.StartWorker(central.BaseUrl, $"--Sync:TrustDirectory={kioskTrust.Path}", "--Sync:ReferencePageSize=5");

        // Every page applied, then the version: the schedule's future slots and those Central's top-up made at start
        // (hundreds, in pages of 5).
        var (version, future, freeOf10) = Expected(central);
        Assert.True(future.Count > 100, $"{future.Count} future slots");
        Assert.Contains(schedule.Future[0], future);
        await Eventually.That(() => store.Version() == version, Patience, () => worker.Output);
        Assert.Equal(future, Ids(kiosk, "SELECT id FROM slots"));
        Assert.Equal(new[] { "Ахметова" }, store.DoctorsOf(1, "district-therapist").Items.Select(d => d.Surname));
        var clinics = store.ClinicsServing("D1");
        Assert.Equal(new long[] { 1, 2 }, clinics.Items.Select(k => k.Id).Order());
        Assert.Equal(SyncRequests.Citizens(ca).Count + 1, clinics.Items.Single(k => k.Id == 1).Served); // the demo CA's citizens and one more
        Assert.NotNull(clinics.RefreshedAt);
        Assert.Equal(freeOf10, store.FreeSlots(10).Items.Select(s => s.Id).Order());

        // Central's trust files are in the kiosk's folder, byte for byte; the one it had already was not rewritten.
        foreach (var name in new[] { "root-ca.cer", "issuing-ca.cer", "root-ca.crl", "issuing-ca.crl" })
            Assert.Equal(File.ReadAllBytes(centralTrust.File(name)), File.ReadAllBytes(kioskTrust.File(name)));
        Assert.Equal(oldStamp, File.GetLastWriteTimeUtc(kioskTrust.File("root-ca.cer")));
        Assert.Empty(Directory.EnumerateFiles(kioskTrust.Path, "*.tmp"));
        await Eventually.That(() => signInTrust.Current.Crls.Count == 2, Patience, () => "sign-in's trust folder did not reload");

        // A booking at Central (a new version on its slot) reaches the kiosk: the slot is no longer free.
        var booked = schedule.Future[0];
        Assert.Contains(booked, store.FreeSlots(10).Items.Select(s => s.Id));
        var bumped = ReferenceSyncTests.Book(central.Database, booked, SyncRequests.Citizens(ca)[0].Iin!, central.Time.GetUtcNow());
        await Eventually.That(() => store.Version() == bumped, Patience, () => worker.Output);
        Assert.DoesNotContain(booked, store.FreeSlots(10).Items.Select(s => s.Id));
        Assert.Equal(new[] { booked }, Ids(kiosk, "SELECT id FROM slots WHERE booked = 1"));

        // A CRL added at Central reaches the kiosk's trust folder, and sign-in's trust list takes it.
        var extraCrl = File.ReadAllBytes(Path.Combine(ca.Ca.OutputDirectory, "hostile", "lookalike-ca", "lookalike-issuing-ca.crl"));
        File.WriteAllBytes(centralTrust.File("extra-issuing.crl"), extraCrl);
        central.Time.Advance(TimeSpan.FromSeconds(6)); // Central's trust folder reloads on its (fake) clock: debounce, recheck
        await Eventually.That(() => File.Exists(kioskTrust.File("extra-issuing.crl")), Patience, () => worker.Output);
        Assert.Equal(extraCrl, File.ReadAllBytes(kioskTrust.File("extra-issuing.crl")));
        await Eventually.That(() => signInTrust.Current.Crls.Count == 3, Patience, () => "sign-in's trust folder did not take the new CRL");

        // Central drops it again: its list is complete, so the file the worker wrote goes; the kiosk's own stays.
        File.Delete(centralTrust.File("extra-issuing.crl"));
        central.Time.Advance(TimeSpan.FromSeconds(6));
        await Eventually.That(() => !File.Exists(kioskTrust.File("extra-issuing.crl")), Patience, () => worker.Output);
        Assert.True(File.Exists(kioskTrust.File("kiosk-own.cer")));
        Assert.True(File.Exists(kioskTrust.File("root-ca.cer")));
        // The worker deletes the file first and records its list after (so a crash in between leaves nothing orphaned).
        string[] expected = ["issuing-ca.cer", "issuing-ca.crl", "root-ca.crl"];
        await Eventually.That(() => JsonSerializer.Deserialize<List<string>>(kiosk.Setting(TrustFolderWriter.FilesKey)!)!.SequenceEqual(expected),
            Patience, () => kiosk.Setting(TrustFolderWriter.FilesKey)!);

        Assert.DoesNotContain(worker.Lines, l => l.Contains(SyncCentral.Credential, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_trust_folder_the_worker_pulls_the_data_and_asks_for_no_trust_list()
    {
        await using var central = new SyncCentral(ca);
        Schedule.Seed(central.Database, central.Time.GetUtcNow());
        await central.StartAsync();
        using var kiosk = new KioskFile();
        var store = new ReferenceStore(kiosk.Database, central.Time);

        using var worker = kiosk.StartWorker(central.BaseUrl);

        await Eventually.That(() => store.Version() == Expected(central).Version, Patience, () => worker.Output);
        Assert.Null(kiosk.Setting(TrustFolderWriter.DigestKey));
        Assert.Contains(central.Logs.Lines, l => l.Contains("trust list sent: False", StringComparison.Ordinal));
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains("trust list sent: True", StringComparison.Ordinal));
    }

    /// <summary>Central's reference version, its slots that have not started, and doctor 10's free ones within 14 days.</summary>
    private static (long Version, List<long> Future, List<long> FreeOf10) Expected(SyncCentral central)
    {
        using var c = central.Database.Open();
        var now = Kiosk.Storage.DapperTypeHandlers.Format(central.Time.GetUtcNow());
        var end = Kiosk.Storage.DapperTypeHandlers.Format(
            Kiosk.Core.Time.AstanaTime.StartOfDay(Kiosk.Core.Time.AstanaTime.Today(central.Time).AddDays(ReferenceStore.DefaultDays)));
        return (c.ExecuteScalar<long>("SELECT MAX(version) FROM reference_versions"),
            c.Query<long>("SELECT id FROM slots WHERE starts_at > @now ORDER BY id", new { now }).ToList(),
            c.Query<long>("""
                SELECT id FROM slots s WHERE doctor_id = 10 AND starts_at > @now AND starts_at < @end
                  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id) ORDER BY id
                """, new { now, end }).ToList());
    }

    private static List<long> Ids(KioskFile kiosk, string sql)
    {
        using var c = kiosk.Database.Open();
        return c.Query<long>(sql).Order().ToList();
    }
}
