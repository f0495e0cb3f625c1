using System.Globalization;
using Dapper;
using Kiosk.Core.Time;
using Kiosk.Storage;

namespace Kiosk.Node;

public sealed record ReferenceDistrictRow(string Code, string NameRu, string NameKk, string NameEn, bool InCity, long Version);

/// <summary>Weekly opening hours: 0 = Sunday … 6 = Saturday, local Astana clock "HH:mm".</summary>
public sealed record ClinicHoursRow(int Weekday, string Opens, string Closes);

/// <summary>A clinic as pulled: <see cref="Districts"/> and <see cref="Hours"/> are complete and replace the kiosk's.</summary>
/// <param name="Website">The clinic's own web site (issue 12, notices' links); null when Central has none.</param>
public sealed record ReferenceClinicRow(
    long Id, string NameRu, string NameKk, string NameEn, string Address, string? Phone,
    IReadOnlyList<string> Districts, IReadOnlyList<ClinicHoursRow> Hours, long Version, string? Website = null);

public sealed record ReferenceDoctorRow(
    long Id, long ClinicId, string Surname, string FirstName, string? Patronymic, string Speciality, int SlotMinutes, string Room, long Version);

public sealed record ReferenceSlotRow(long Id, long DoctorId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Booked);

/// <summary>
/// One page of a reference pull, as the sync worker applies it. <see cref="CompleteVersion"/> is set on the pull's last
/// page only: the version the kiosk then has. <see cref="Served"/> (clinic id → people attached) comes with the first,
/// and so does <see cref="Notices"/> when Central sent them: the complete set of clinic notices, replacing the kiosk's
/// (null: keep what it has; see <see cref="KioskNotices"/>).
/// </summary>
public sealed record ReferencePage(
    IReadOnlyList<ReferenceDistrictRow> Districts,
    IReadOnlyList<ReferenceClinicRow> Clinics,
    IReadOnlyList<ReferenceDoctorRow> Doctors,
    IReadOnlyList<ReferenceSlotRow> Slots,
    IReadOnlyDictionary<long, long>? Served = null,
    long? CompleteVersion = null,
    IReadOnlyList<NoticeRow>? Notices = null);

/// <summary>A clinic as a kiosk screen shows it.</summary>
public sealed record KioskClinic(long Id, string NameRu, string NameKk, string NameEn, string Address, string? Phone, long Served)
{
    public string Name(string language) => language switch { "kk" => NameKk, "en" => NameEn, _ => NameRu };
}

public sealed record KioskDoctor(long Id, long ClinicId, string Surname, string FirstName, string? Patronymic, string Speciality, int SlotMinutes, string Room);

/// <summary>A free slot: instants in UTC and the Astana date and clock time a kiosk shows.</summary>
public sealed record KioskSlot(long Id, long DoctorId, DateTimeOffset StartsAt, DateTimeOffset EndsAt)
{
    public DateOnly LocalDate => DateOnly.FromDateTime(AstanaTime.ToLocal(StartsAt));
    public string LocalTime => AstanaTime.ToLocal(StartsAt).ToString("HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>What a screen reads: the rows, the reference version they are of and when the kiosk last heard from Central
/// (null: never — the screen says the list could not be loaded yet).</summary>
public sealed record ReferenceView<T>(IReadOnlyList<T> Items, long Version, DateTimeOffset? RefreshedAt);

/// <summary>
/// The reference data the sync worker pulls from Central (migration 0005): districts, clinics and hours, doctors and
/// slots. Each page of a pull is applied in one transaction; the pull's last page also stores the new version
/// (kiosk_settings <see cref="VersionKey"/>) and the refresh time in that same transaction, so a worker killed at any
/// moment leaves the stored version saying only what was fully applied: the next pull asks again from it and upserts
/// the same rows (a row applied from a newer page is newer data, never older). Plain parameterised SQL.
/// </summary>
public sealed class ReferenceStore
{
    /// <summary>The reference version whose every row the kiosk has (0: none yet).</summary>
    public const string VersionKey = "sync.reference.version";

    /// <summary>When a pull last completed (UTC ISO 8601), Central answering.</summary>
    public const string RefreshedAtKey = "sync.reference.refreshed_at";

    /// <summary>Slots that ended longer ago than this are deleted when a page is applied.</summary>
    public static readonly TimeSpan KeepPastSlots = TimeSpan.FromDays(1);

    public const int DefaultDays = 14;

    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;

    public ReferenceStore(SqliteDatabase db, TimeProvider time)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        DapperTypeHandlers.Register();
    }

    public long Version()
    {
        using var c = _db.Open();
        return ReadVersion(c);
    }

    public DateTimeOffset? RefreshedAt()
    {
        using var c = _db.Open();
        return ReadRefreshedAt(c);
    }

    /// <summary>Applies one page in one transaction (and, on the last page, the new version and refresh time).</summary>
    public void Apply(ReferencePage page, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(page);
        using var c = _db.Open();
        using var tx = c.BeginTransaction();
        foreach (var d in page.Districts)
        {
            c.Execute("""
                INSERT INTO districts (code, name_ru, name_kk, name_en, in_city, version)
                VALUES (@Code, @NameRu, @NameKk, @NameEn, @InCity, @Version)
                ON CONFLICT (code) DO UPDATE SET name_ru = excluded.name_ru, name_kk = excluded.name_kk, name_en = excluded.name_en,
                    in_city = excluded.in_city, version = excluded.version
                """, new { d.Code, d.NameRu, d.NameKk, d.NameEn, InCity = d.InCity ? 1 : 0, d.Version }, tx);
        }
        foreach (var k in page.Clinics)
        {
            c.Execute("""
                INSERT INTO clinics (id, name_ru, name_kk, name_en, address, phone, website, version)
                VALUES (@Id, @NameRu, @NameKk, @NameEn, @Address, @Phone, @Website, @Version)
                ON CONFLICT (id) DO UPDATE SET name_ru = excluded.name_ru, name_kk = excluded.name_kk, name_en = excluded.name_en,
                    address = excluded.address, phone = excluded.phone, website = excluded.website, version = excluded.version
                """, new { k.Id, k.NameRu, k.NameKk, k.NameEn, k.Address, k.Phone, k.Website, k.Version }, tx);
            c.Execute("DELETE FROM clinic_districts WHERE clinic_id = @Id", new { k.Id }, tx);
            foreach (var district in k.Districts.Distinct(StringComparer.Ordinal))
                c.Execute("INSERT INTO clinic_districts (clinic_id, district) VALUES (@Id, @district)", new { k.Id, district }, tx);
            c.Execute("DELETE FROM clinic_hours WHERE clinic_id = @Id", new { k.Id }, tx);
            foreach (var h in k.Hours)
                c.Execute("INSERT INTO clinic_hours (clinic_id, weekday, opens, closes) VALUES (@Id, @Weekday, @Opens, @Closes)",
                    new { k.Id, h.Weekday, h.Opens, h.Closes }, tx);
        }
        foreach (var d in page.Doctors)
        {
            c.Execute("""
                INSERT INTO doctors (id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room, version)
                VALUES (@Id, @ClinicId, @Surname, @FirstName, @Patronymic, @Speciality, @SlotMinutes, @Room, @Version)
                ON CONFLICT (id) DO UPDATE SET clinic_id = excluded.clinic_id, surname = excluded.surname, first_name = excluded.first_name,
                    patronymic = excluded.patronymic, speciality = excluded.speciality, slot_minutes = excluded.slot_minutes,
                    room = excluded.room, version = excluded.version
                """, d, tx);
        }
        foreach (var s in page.Slots)
        {
            c.Execute("""
                INSERT INTO slots (id, doctor_id, starts_at, ends_at, booked) VALUES (@Id, @DoctorId, @StartsAt, @EndsAt, @Booked)
                ON CONFLICT (id) DO UPDATE SET doctor_id = excluded.doctor_id, starts_at = excluded.starts_at,
                    ends_at = excluded.ends_at, booked = excluded.booked
                """, new { s.Id, s.DoctorId, StartsAt = s.StartsAt.ToUniversalTime(), EndsAt = s.EndsAt.ToUniversalTime(), Booked = s.Booked ? 1 : 0 }, tx);
        }
        if (page.Served is { } served)
            foreach (var (clinicId, count) in served)
                c.Execute("UPDATE clinics SET served = @count WHERE id = @clinicId", new { clinicId, count }, tx);
        c.Execute("DELETE FROM slots WHERE ends_at < @before", new { before = (now - KeepPastSlots).ToUniversalTime() }, tx);
        // Clinic notices (Kiosk.Node/KioskNotices.cs): Central's complete set when it sent one; the ones over go either way.
        if (page.Notices is { } notices) KioskNotices.Replace(c, tx, notices, now);
        KioskNotices.DeleteOver(c, tx, now);
        if (page.CompleteVersion is { } version)
        {
            KioskSettings.Set(VersionKey, version.ToString(CultureInfo.InvariantCulture), now, tx);
            KioskSettings.Set(RefreshedAtKey, DapperTypeHandlers.Format(now), now, tx);
        }
        tx.Commit();
    }

    /// <summary>The doctors of a clinic, of one speciality (null: all), by surname.</summary>
    public ReferenceView<KioskDoctor> DoctorsOf(long clinicId, string? speciality = null)
    {
        using var c = _db.Open();
        var rows = c.Query<(long Id, long ClinicId, string Surname, string FirstName, string? Patronymic, string Speciality, long SlotMinutes, string Room)>("""
                SELECT id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room
                FROM doctors WHERE clinic_id = @clinicId AND (@speciality IS NULL OR speciality = @speciality)
                ORDER BY surname, first_name, id
                """, new { clinicId, speciality })
            .Select(d => new KioskDoctor(d.Id, d.ClinicId, d.Surname, d.FirstName, d.Patronymic, d.Speciality, (int)d.SlotMinutes, d.Room)).ToList();
        return View(c, rows);
    }

    /// <summary>A doctor's free slots that have not started, up to the end of the <paramref name="days"/>-th Astana day from today.</summary>
    public ReferenceView<KioskSlot> FreeSlots(long doctorId, int days = DefaultDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var now = _time.GetUtcNow();
        var end = AstanaTime.StartOfDay(AstanaTime.Today(_time).AddDays(days));
        using var c = _db.Open();
        var rows = c.Query<(long Id, long DoctorId, string StartsAt, string EndsAt)>("""
                SELECT id, doctor_id, starts_at, ends_at FROM slots
                WHERE doctor_id = @doctorId AND booked = 0 AND starts_at > @now AND starts_at < @end
                ORDER BY starts_at
                """, new { doctorId, now = now.ToUniversalTime(), end = end.ToUniversalTime() })
            .Select(r => new KioskSlot(r.Id, r.DoctorId, Instant(r.StartsAt), Instant(r.EndsAt))).ToList();
        return View(c, rows);
    }

    /// <summary>The clinics that accept residents of a district for attachment, by Russian name.</summary>
    public ReferenceView<KioskClinic> ClinicsServing(string district)
    {
        ArgumentNullException.ThrowIfNull(district);
        using var c = _db.Open();
        var rows = c.Query<(long Id, string NameRu, string NameKk, string NameEn, string Address, string? Phone, long Served)>("""
                SELECT k.id, k.name_ru, k.name_kk, k.name_en, k.address, k.phone, k.served
                FROM clinics k JOIN clinic_districts cd ON cd.clinic_id = k.id
                WHERE cd.district = @district
                ORDER BY k.name_ru, k.id
                """, new { district })
            .Select(k => new KioskClinic(k.Id, k.NameRu, k.NameKk, k.NameEn, k.Address, k.Phone, k.Served)).ToList();
        return View(c, rows);
    }

    /// <summary>One clinic of the reference data, or null when the kiosk does not know it (yet).</summary>
    public KioskClinic? Clinic(long id)
    {
        using var c = _db.Open();
        var k = c.QuerySingleOrDefault<(long Id, string NameRu, string NameKk, string NameEn, string Address, string? Phone, long Served)?>(
            "SELECT id, name_ru, name_kk, name_en, address, phone, served FROM clinics WHERE id = @id", new { id });
        return k is { } r ? new KioskClinic(r.Id, r.NameRu, r.NameKk, r.NameEn, r.Address, r.Phone, r.Served) : null;
    }

    /// <summary>A clinic's weekly hours (a weekday without a row is closed).</summary>
    public IReadOnlyList<ClinicHoursRow> HoursOf(long clinicId)
    {
        using var c = _db.Open();
        return c.Query<(long Weekday, string Opens, string Closes)>(
                "SELECT weekday, opens, closes FROM clinic_hours WHERE clinic_id = @clinicId ORDER BY weekday", new { clinicId })
            .Select(r => new ClinicHoursRow((int)r.Weekday, r.Opens, r.Closes)).ToList();
    }

    /// <summary>Every clinic the kiosk knows, by Russian name (the appointment screen's choice when Central cannot say
    /// where the citizen is attached).</summary>
    public ReferenceView<KioskClinic> Clinics()
    {
        using var c = _db.Open();
        var rows = c.Query<(long Id, string NameRu, string NameKk, string NameEn, string Address, string? Phone, long Served)>(
                "SELECT id, name_ru, name_kk, name_en, address, phone, served FROM clinics ORDER BY name_ru, id")
            .Select(k => new KioskClinic(k.Id, k.NameRu, k.NameKk, k.NameEn, k.Address, k.Phone, k.Served)).ToList();
        return View(c, rows);
    }

    /// <summary>One doctor of the reference data, or null.</summary>
    public KioskDoctor? Doctor(long id)
    {
        using var c = _db.Open();
        var d = c.QuerySingleOrDefault<(long Id, long ClinicId, string Surname, string FirstName, string? Patronymic, string Speciality, long SlotMinutes, string Room)?>(
            "SELECT id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room FROM doctors WHERE id = @id", new { id });
        return d is { } r ? new KioskDoctor(r.Id, r.ClinicId, r.Surname, r.FirstName, r.Patronymic, r.Speciality, (int)r.SlotMinutes, r.Room) : null;
    }

    /// <summary>The districts, by Russian name (the attachment screen's choice of a new address's district).</summary>
    public IReadOnlyList<ReferenceDistrictRow> Districts()
    {
        using var c = _db.Open();
        return c.Query<(string Code, string NameRu, string NameKk, string NameEn, long InCity, long Version)>(
                "SELECT code, name_ru, name_kk, name_en, in_city, version FROM districts ORDER BY name_ru, code")
            .Select(d => new ReferenceDistrictRow(d.Code, d.NameRu, d.NameKk, d.NameEn, d.InCity != 0, d.Version)).ToList();
    }

    private static ReferenceView<T> View<T>(Microsoft.Data.Sqlite.SqliteConnection c, IReadOnlyList<T> rows) =>
        new(rows, ReadVersion(c), ReadRefreshedAt(c));

    private static DateTimeOffset Instant(string utc) =>
        DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static long ReadVersion(Microsoft.Data.Sqlite.SqliteConnection c) =>
        KioskSettings.Get(VersionKey, c, null) is { } v && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0;

    private static DateTimeOffset? ReadRefreshedAt(Microsoft.Data.Sqlite.SqliteConnection c) =>
        KioskSettings.Get(RefreshedAtKey, c, null) is { } s
        && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;
}
