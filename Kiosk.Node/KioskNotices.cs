using Dapper;
using Kiosk.Core.Notices;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Node;

/// <summary>A clinic notice as pulled from Central (bodies as Central sanitised them; the screen sanitises them again).</summary>
public sealed record NoticeRow(
    long Id, NoticeText Title, NoticeText Body, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, IReadOnlyList<long> ClinicIds, long Version);

/// <summary>A notice the start screen may show, with the web-site hosts its links may name (its clinics' sites as the kiosk knows them).</summary>
public sealed record KioskNotice(
    long Id, NoticeText Title, NoticeText Body, NoticeWindow Window, IReadOnlyList<long> ClinicIds, IReadOnlySet<string> LinkHosts);

/// <summary>
/// The kiosk's copy of the clinic notices (migration 0010; docs/notices.md): <see cref="Replace"/> is called by
/// <see cref="ReferenceStore.Apply"/> in the page's transaction when Central sent the set; <see cref="ValidAt"/> is what
/// the start screen reads. Plain parameterised SQL.
/// </summary>
public sealed class KioskNotices
{
    private readonly SqliteDatabase _db;

    public KioskNotices(SqliteDatabase db)
    {
        _db = db ?? throw new ArgumentNullException(nameof(db));
        DapperTypeHandlers.Register();
    }

    /// <summary>Replaces every notice with <paramref name="notices"/> (Central's complete set), leaving out those already over at <paramref name="now"/>.</summary>
    public static void Replace(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<NoticeRow> notices, DateTimeOffset now)
    {
        c.Execute("DELETE FROM notice_clinics", transaction: tx);
        c.Execute("DELETE FROM notices", transaction: tx);
        foreach (var n in notices.Where(n => n.ValidTo > now).DistinctBy(n => n.Id))
        {
            c.Execute("""
                INSERT INTO notices (id, title_kk, title_ru, title_en, body_kk, body_ru, body_en, valid_from, valid_to, version)
                VALUES (@Id, @tk, @tr, @te, @bk, @br, @be, @from, @to, @Version)
                """, new
            {
                n.Id, tk = n.Title.Kk, tr = n.Title.Ru, te = n.Title.En, bk = n.Body.Kk, br = n.Body.Ru, be = n.Body.En,
                from = n.ValidFrom.ToUniversalTime(), to = n.ValidTo.ToUniversalTime(), n.Version,
            }, tx);
            foreach (var clinicId in n.ClinicIds.Distinct())
                c.Execute("INSERT INTO notice_clinics (notice_id, clinic_id) VALUES (@Id, @clinicId)", new { n.Id, clinicId }, tx);
        }
    }

    /// <summary>Deletes the notices that are over (called with every applied page, so the table never grows stale).</summary>
    public static void DeleteOver(SqliteConnection c, SqliteTransaction tx, DateTimeOffset now)
    {
        var at = now.ToUniversalTime();
        c.Execute("DELETE FROM notice_clinics WHERE notice_id IN (SELECT id FROM notices WHERE valid_to <= @at)", new { at }, tx);
        c.Execute("DELETE FROM notices WHERE valid_to <= @at", new { at }, tx);
    }

    /// <summary>
    /// The notices valid at <paramref name="now"/> (from ≤ now &lt; to) for any of <paramref name="clinicIds"/> (empty: for
    /// any clinic), the most recently started first (then the newest), at most <paramref name="max"/>.
    /// </summary>
    public IReadOnlyList<KioskNotice> ValidAt(DateTimeOffset now, IReadOnlyCollection<long> clinicIds, int max)
    {
        ArgumentNullException.ThrowIfNull(clinicIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var at = now.ToUniversalTime();
        using var c = _db.Open();
        var rows = c.Query<(long Id, string TitleKk, string TitleRu, string TitleEn, string BodyKk, string BodyRu, string BodyEn, string ValidFrom, string ValidTo)>("""
                SELECT n.id, n.title_kk, n.title_ru, n.title_en, n.body_kk, n.body_ru, n.body_en, n.valid_from, n.valid_to
                FROM notices n
                WHERE n.valid_from <= @at AND n.valid_to > @at
                  AND (@all = 1 OR EXISTS (SELECT 1 FROM notice_clinics nc WHERE nc.notice_id = n.id AND nc.clinic_id IN @clinicIds))
                ORDER BY n.valid_from DESC, n.id DESC
                LIMIT @max
                """, new { at, all = clinicIds.Count == 0 ? 1 : 0, clinicIds = clinicIds.Count == 0 ? [0L] : clinicIds.ToList(), max })
            .ToList();
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToList();
        var clinics = c.Query<(long NoticeId, long ClinicId, string? Website)>("""
                SELECT nc.notice_id, nc.clinic_id, k.website
                FROM notice_clinics nc LEFT JOIN clinics k ON k.id = nc.clinic_id
                WHERE nc.notice_id IN @ids ORDER BY nc.notice_id, nc.clinic_id
                """, new { ids })
            .ToLookup(r => r.NoticeId);
        return rows.Select(r => new KioskNotice(
            r.Id, new NoticeText(r.TitleKk, r.TitleRu, r.TitleEn), new NoticeText(r.BodyKk, r.BodyRu, r.BodyEn),
            new NoticeWindow(Instant(r.ValidFrom), Instant(r.ValidTo)),
            clinics[r.Id].Select(x => x.ClinicId).ToList(),
            ClinicWebsite.Hosts(clinics[r.Id].Select(x => x.Website)))).ToList();
    }

    private static DateTimeOffset Instant(string utc) =>
        DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);
}
