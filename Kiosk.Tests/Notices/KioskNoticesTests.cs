using Dapper;
using Kiosk.Core.Notices;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Notices;

/// <summary>
/// The kiosk's copy of the notices on a real SQLite file with the kiosk's schema: applied by
/// <see cref="ReferenceStore.Apply"/> as the worker does (a set from Central replaces the kiosk's; no set keeps it; the
/// ones over go), and read by the start screen's <see cref="KioskNotices.ValidAt"/> on a fake clock.
/// </summary>
public sealed class KioskNoticesTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 3, 4);
    private readonly TempDirectory _dir = new("kiosk-notices");
    private readonly SqliteDatabase _db;
    private readonly FakeTimeProvider _time = new(AstanaTime.ToUtc(Day, new TimeOnly(9, 0)));
    private readonly ReferenceStore _store;
    private readonly KioskNotices _notices;

    public KioskNoticesTests()
    {
        _db = new SqliteDatabase(new StorageOptions { DatabasePath = _dir.File("kiosk.db") });
        _db.Prepare(KioskNodeSchema.Migrations, _time);
        _store = new ReferenceStore(_db, _time);
        _notices = new KioskNotices(_db);
    }

    public void Dispose() => _dir.Dispose();

    private DateTimeOffset Now => _time.GetUtcNow();

    private NoticeRow Notice(long id, int fromHours, int toHours, params long[] clinics) =>
        new(id, new NoticeText("", "Объявление " + id, ""), new NoticeText("", "<p>" + id + "</p>", ""), Now.AddHours(fromHours), Now.AddHours(toHours), clinics, 5);

    private static ReferenceClinicRow Clinic(long id, string? website) =>
        new(id, "П" + id, "Е" + id, "C" + id, "Астана", null, [], [], 1, website);

    private void Apply(IReadOnlyList<NoticeRow>? notices, params ReferenceClinicRow[] clinics) =>
        _store.Apply(new ReferencePage([], clinics, [], [], CompleteVersion: 9, Notices: notices), Now);

    private IReadOnlyList<long> Shown(params long[] clinics) => _notices.ValidAt(Now, clinics, 10).Select(n => n.Id).ToList();

    [Fact]
    public void Only_notices_valid_now_are_shown_the_latest_started_first()
    {
        Apply([Notice(1, -48, 24, 1), Notice(2, -1, 24, 1), Notice(3, 2, 24, 1), Notice(4, -5, 1, 1)]);
        Assert.Equal([2L, 4, 1], Shown());
        // An hour later notice 4 is over and 3 not yet begun; at +2 h notice 3 starts.
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal([2L, 1], Shown());
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal([3L, 2, 1], Shown());
        // The screen asks for at most a few.
        Assert.Equal([3L, 2], _notices.ValidAt(Now, [], 2).Select(n => n.Id));
    }

    [Fact]
    public void The_kiosks_clinics_choose_its_notices_and_none_configured_means_all()
    {
        Apply([Notice(1, -1, 24, 1), Notice(2, -1, 24, 2), Notice(3, -1, 24, 1, 3)]);
        Assert.Equal([3L, 1], Shown(1));
        Assert.Equal([2L], Shown(2));
        Assert.Equal([3L, 2], Shown(2, 3));
        Assert.Empty(Shown(9));
        Assert.Equal([3L, 2, 1], Shown());
    }

    [Fact]
    public void A_set_from_Central_replaces_the_kiosks_none_keeps_it_and_the_ones_over_go_anyway()
    {
        Apply([Notice(1, -1, 24, 1), Notice(2, -1, 3, 1)]);
        Assert.Equal([2L, 1], Shown());

        // A page without notices (nothing changed at Central) keeps them.
        Apply(null);
        Assert.Equal([2L, 1], Shown());

        // Central's new set: notice 1 changed, notice 2 withdrawn (absent), notice 5 new.
        var changed = Notice(1, -1, 24, 1) with { Title = new NoticeText("", "Изменено", ""), Version = 7 };
        Apply([changed, Notice(5, -1, 24, 2)]);
        Assert.Equal([5L, 1], Shown());
        Assert.Equal("Изменено", _notices.ValidAt(Now, [1], 10).Single().Title.Ru);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM notice_clinics WHERE notice_id = 2"));

        // Past its end a notice is deleted at the next page applied, with or without a set.
        _time.Advance(TimeSpan.FromDays(2));
        Apply(null);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM notices"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM notice_clinics"));

        // An empty set empties the table.
        Apply([Notice(6, -1, 24, 1)]);
        Apply([]);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM notices"));
    }

    [Fact]
    public void A_notice_carries_the_web_site_hosts_of_its_clinics_as_the_kiosk_knows_them()
    {
        Apply([Notice(1, -1, 24, 1, 2, 3)],
            Clinic(1, "https://emhana-1.astana.kz/"), Clinic(2, "http://emhana-2.astana.kz/"), Clinic(3, null));
        var notice = _notices.ValidAt(Now, [], 10).Single();
        Assert.Equal(["emhana-1.astana.kz"], notice.LinkHosts);
        Assert.Equal([1L, 2, 3], notice.ClinicIds);
        Assert.Equal("https://emhana-1.astana.kz/", Scalar<string>("SELECT website FROM clinics WHERE id = 1"));
    }

    [Fact]
    public void The_upgrade_forgets_the_reference_version_so_the_next_pull_is_full()
    {
        // The migration's last statement, as it runs on a kiosk that had pulled before it existed.
        new KioskSettings(_db).Set(Now, (ReferenceStore.VersionKey, "41"));
        Assert.Equal(41, _store.Version());
        var script = KioskNodeSchema.Migrations.Migrations.Single(m => m.Version == 10).Sql;
        var last = script[script.LastIndexOf("DELETE FROM kiosk_settings", StringComparison.Ordinal)..];
        using (var c = _db.Open()) c.Execute(last);
        Assert.Equal(0, _store.Version());
    }

    private long Count(string sql) => Scalar<long>(sql);

    private T Scalar<T>(string sql)
    {
        using var c = _db.Open();
        return c.ExecuteScalar<T>(sql)!;
    }
}
