using Dapper;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Sync;

/// <summary>
/// The kiosk's <see cref="ReferenceStore"/> on a real SQLite file with the kiosk's schema: pages applied in one
/// transaction each, the version only with the last page, and the reads the appointment and attachment screens use.
/// </summary>
public sealed class ReferencePullStoreTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 3, 4); // a Wednesday
    private readonly TempDirectory _dir = new("kiosk-reference-store");
    private readonly SqliteDatabase _db;
    private readonly FakeTimeProvider _time = new(AstanaTime.ToUtc(Day, new TimeOnly(9, 0)));
    private readonly ReferenceStore _store;

    public ReferencePullStoreTests()
    {
        _db = new SqliteDatabase(new StorageOptions { DatabasePath = _dir.File("kiosk.db") });
        _db.Prepare(KioskNodeSchema.Migrations, _time);
        _store = new ReferenceStore(_db, _time);
    }

    public void Dispose() => _dir.Dispose();

    private DateTimeOffset At(int days, int hour, int minute) => AstanaTime.ToUtc(Day.AddDays(days), new TimeOnly(hour, minute));

    private static ReferenceClinicRow Clinic(long id, string name, params string[] districts) =>
        new(id, name, name + " (kk)", name + " (en)", "Астана, ул. " + name, "+7 7172 00-00-0" + id, districts,
            [new ClinicHoursRow(3, "08:00", "20:00")], 1);

    private static ReferenceDoctorRow Doctor(long id, long clinic, string surname, string speciality) =>
        new(id, clinic, surname, "Имя", null, speciality, 15, "1" + id, 1);

    private ReferenceSlotRow Slot(long id, long doctor, int days, int hour, int minute, bool booked = false) =>
        new(id, doctor, At(days, hour, minute), At(days, hour, minute).AddMinutes(15), booked);

    [Fact]
    public void The_version_moves_only_with_the_last_page_and_the_screens_read_what_was_applied()
    {
        Assert.Equal(0, _store.Version());
        Assert.Null(_store.RefreshedAt());
        _store.Apply(new ReferencePage(
            [new ReferenceDistrictRow("D1", "Алматинский", "Алматы", "Almaty", true, 1), new ReferenceDistrictRow("D2", "Есильский", "Есіл", "Yesil", true, 1)],
            [Clinic(1, "Первая", "D1"), Clinic(2, "Вторая", "D1", "D2")],
            [Doctor(10, 1, "Ахметова", "district-therapist"), Doctor(11, 1, "Беков", "paediatrician"), Doctor(12, 1, "Абенова", "district-therapist")],
            [Slot(100, 10, 0, 8, 0), Slot(101, 10, 0, 10, 0), Slot(102, 10, 0, 10, 15, booked: true)],
            new Dictionary<long, long> { [1] = 3200, [2] = 150 }), _time.GetUtcNow());

        // A page that is not the last: rows in, version not.
        Assert.Equal(0, _store.Version());
        Assert.Null(_store.RefreshedAt());

        _store.Apply(new ReferencePage([], [], [], [Slot(103, 10, 13, 11, 0), Slot(104, 10, 14, 11, 0), Slot(105, 11, 1, 9, 0)], CompleteVersion: 7),
            _time.GetUtcNow());
        Assert.Equal(7, _store.Version());
        Assert.Equal(_time.GetUtcNow(), _store.RefreshedAt());

        var therapists = _store.DoctorsOf(1, "district-therapist");
        Assert.Equal(new[] { "Абенова", "Ахметова" }, therapists.Items.Select(d => d.Surname));
        Assert.Equal((7L, _time.GetUtcNow()), (therapists.Version, therapists.RefreshedAt!.Value));
        Assert.Equal(3, _store.DoctorsOf(1).Items.Count);
        Assert.Empty(_store.DoctorsOf(2).Items);

        // Free, not started, within 14 days (today and the 13 after it): not 08:00 today (past), not the booked one,
        // not the 15th day.
        var slots = _store.FreeSlots(10);
        Assert.Equal(new long[] { 101, 103 }, slots.Items.Select(s => s.Id));
        Assert.Equal((Day, "10:00"), (slots.Items[0].LocalDate, slots.Items[0].LocalTime));

        Assert.Equal(new long[] { 2 }, _store.ClinicsServing("D2").Items.Select(k => k.Id));
        var d1 = _store.ClinicsServing("D1").Items;
        Assert.Equal(new long[] { 2, 1 }, d1.Select(k => k.Id)); // by Russian name: "Вторая" < "Первая"
        Assert.Equal((3200L, "+7 7172 00-00-01", "Первая (en)"), (d1[1].Served, d1[1].Phone, d1[1].Name("en")));
        Assert.Equal(new[] { new ClinicHoursRow(3, "08:00", "20:00") }, _store.HoursOf(1));
    }

    [Fact]
    public void A_changed_clinic_replaces_its_districts_and_hours_and_a_newly_booked_slot_is_no_longer_free()
    {
        _store.Apply(new ReferencePage([], [Clinic(1, "Первая", "D1", "D2")], [Doctor(10, 1, "Ахметова", "district-therapist")],
            [Slot(100, 10, 0, 10, 0), Slot(101, 10, 0, 11, 0)], CompleteVersion: 2), _time.GetUtcNow());
        Assert.Single(_store.ClinicsServing("D2").Items);

        var moved = Clinic(1, "Первая", "D1") with { Hours = [new ClinicHoursRow(1, "09:00", "18:00"), new ClinicHoursRow(2, "09:00", "18:00")], Version = 3 };
        _store.Apply(new ReferencePage([], [moved], [], [Slot(100, 10, 0, 10, 0, booked: true)], CompleteVersion: 3), _time.GetUtcNow());

        Assert.Empty(_store.ClinicsServing("D2").Items);
        Assert.Equal(new[] { 1, 2 }, _store.HoursOf(1).Select(h => h.Weekday));
        Assert.Equal(new long[] { 101 }, _store.FreeSlots(10).Items.Select(s => s.Id));
        Assert.Equal(3, _store.Version());
    }

    [Fact]
    public void A_page_that_fails_half_way_leaves_nothing_of_itself_and_the_old_version_in_force()
    {
        _store.Apply(new ReferencePage([new ReferenceDistrictRow("D1", "Р", "Қ", "E", true, 1)], [Clinic(1, "Первая", "D1")], [],
            [Slot(100, 10, 0, 10, 0)], CompleteVersion: 4), _time.GetUtcNow());

        // The last page of the next pull: good rows first, then one the schema refuses (a NOT NULL name), as a crash
        // half-way through the write would leave it.
        var failing = new ReferencePage(
            [new ReferenceDistrictRow("D9", "Новый", "Жаңа", "New", true, 5)],
            [Clinic(1, "Переименованная", "D1", "D9") with { Version = 5 }],
            [Doctor(10, 1, "Ахметова", "district-therapist"), Doctor(11, 1, null!, "paediatrician")],
            [Slot(100, 10, 0, 10, 0, booked: true), Slot(101, 10, 0, 11, 0)],
            CompleteVersion: 5);
        Assert.Throws<SqliteException>(() => _store.Apply(failing, _time.GetUtcNow()));

        Assert.Equal(4, _store.Version());
        using var c = _db.Open();
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM districts WHERE code = 'D9'"));
        Assert.Equal("Первая", c.ExecuteScalar<string>("SELECT name_ru FROM clinics WHERE id = 1"));
        Assert.Equal(new[] { "D1" }, c.Query<string>("SELECT district FROM clinic_districts WHERE clinic_id = 1"));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM doctors"));
        Assert.Equal(new long[] { 100 }, c.Query<long>("SELECT id FROM slots WHERE booked = 0"));
    }

    [Fact]
    public void Slots_long_past_are_deleted_when_a_page_is_applied()
    {
        _store.Apply(new ReferencePage([], [], [], [Slot(100, 10, 0, 10, 0), Slot(101, 10, 5, 10, 0)], CompleteVersion: 1), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromDays(2));
        _store.Apply(new ReferencePage([], [], [], [], CompleteVersion: 1), _time.GetUtcNow());
        using var c = _db.Open();
        Assert.Equal(new long[] { 101 }, c.Query<long>("SELECT id FROM slots"));
    }
}
