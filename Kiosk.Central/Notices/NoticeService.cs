using System.Globalization;
using Dapper;
using Kiosk.Central.Schedule;
using Kiosk.Central.Services;
using Kiosk.Core.Notices;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Notices;

/// <summary>Where a notice stands at a moment: not shown yet, shown now, over, or withdrawn by an operator.</summary>
public enum NoticeState { Scheduled, Current, Over, Withdrawn }

/// <summary>A notice as Central keeps it (bodies already sanitised).</summary>
public sealed record StoredNotice(
    long Id, NoticeText Title, NoticeText Body, NoticeWindow Window, IReadOnlyList<long> ClinicIds,
    bool Withdrawn, DateTimeOffset? WithdrawnAt, string? WithdrawnBy,
    string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt, long Version)
{
    public NoticeState StateAt(DateTimeOffset now) =>
        Withdrawn ? NoticeState.Withdrawn
        : Window.IsOver(now) ? NoticeState.Over
        : Window.Contains(now) ? NoticeState.Current
        : NoticeState.Scheduled;
}

public enum NoticeOutcome
{
    Saved,

    /// <summary>The draft broke a rule: <see cref="NoticeSaveResult.Errors"/> says which field and why.</summary>
    Invalid,

    NotFound,

    /// <summary>The notice was withdrawn: it is kept for the record and changes no more.</summary>
    Withdrawn,
}

/// <param name="Removed">Per language, what the sanitiser took out of the body (also on success: the operator should know).</param>
public sealed record NoticeSaveResult(
    NoticeOutcome Outcome, StoredNotice? Notice, IReadOnlyList<NoticeFieldError> Errors, IReadOnlyDictionary<string, IReadOnlyList<string>> Removed)
{
    public static NoticeSaveResult Of(NoticeOutcome outcome) => new(outcome, null, [], new Dictionary<string, IReadOnlyList<string>>());
}

/// <summary>A filter of <see cref="NoticeService.List"/>.</summary>
/// <param name="ClinicId">Only notices for this clinic.</param>
/// <param name="LiveOnly">Only notices that are not withdrawn and not over (the ones kiosks have or will have).</param>
/// <param name="Limit">At most this many, newest first (1–500).</param>
public sealed record NoticeQuery(long? ClinicId = null, bool LiveOnly = false, int Limit = 100);

/// <summary>
/// Clinic notices at Central (issue 12 item 4; docs/notices.md): create, update, withdraw, list and get, for the operator
/// API (<see cref="NoticeEndpoints"/>) and the operators' page. Every save runs <see cref="NoticeRules.Check"/> (field
/// errors a page can show next to its inputs; the bodies sanitised with links only to the target clinics' web sites)
/// and takes a new reference version in the same transaction, so kiosks hear of the change at their next reference
/// pull. Withdrawing is final and also takes a new version. <paramref name="db"/> holds them in
/// <c>notices</c> and <c>notice_clinics</c> (migration 0008); plain parameterised SQL. Logs carry ids and counts, never
/// the texts.
/// </summary>
public sealed partial class NoticeService(SqliteDatabase db, TimeProvider time, ILogger<NoticeService> logger)
{
    /// <summary>What the API records as the author of a call made with the operators' shared bearer token.</summary>
    public const string TokenAuthor = "operator-token";

    public const int MaxAuthorLength = 64;

    /// <summary>Every clinic Central knows, with its web site (null: none).</summary>
    public IReadOnlyDictionary<long, string?> ClinicWebsites()
    {
        using var c = db.Open();
        return ClinicWebsites(c, null);
    }

    public NoticeSaveResult Create(NoticeDraft draft, string author)
    {
        ArgumentNullException.ThrowIfNull(draft);
        author = Author(author);
        var now = time.GetUtcNow();
        using var c = db.Open();
        using var tx = c.BeginTransaction(); // BEGIN IMMEDIATE: the version and the row in one step
        var check = NoticeRules.Check(draft, now, ClinicWebsites(c, tx));
        if (!check.Ok) return new NoticeSaveResult(NoticeOutcome.Invalid, null, check.Errors, check.Removed);
        var notice = check.Notice!;
        var version = RegistryFacts.NewReferenceVersion(c, tx, now, "notice created");
        var id = c.ExecuteScalar<long>("""
            INSERT INTO notices (title_kk, title_ru, title_en, body_kk, body_ru, body_en, valid_from, valid_to,
                                 created_by, created_at, updated_by, updated_at, version)
            VALUES (@tk, @tr, @te, @bk, @br, @be, @from, @to, @author, @now, @author, @now, @version)
            RETURNING id
            """, Parameters(notice, author, now, version), tx);
        WriteClinics(c, tx, id, notice.ClinicIds);
        tx.Commit();
        LogCreated(id, version, notice.ClinicIds.Count, Languages(notice));
        return new NoticeSaveResult(NoticeOutcome.Saved, Get(id), [], check.Removed);
    }

    public NoticeSaveResult Update(long id, NoticeDraft draft, string author)
    {
        ArgumentNullException.ThrowIfNull(draft);
        author = Author(author);
        var now = time.GetUtcNow();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var withdrawn = c.QuerySingleOrDefault<long?>("SELECT withdrawn FROM notices WHERE id = @id", new { id }, tx);
        if (withdrawn is null) return NoticeSaveResult.Of(NoticeOutcome.NotFound);
        if (withdrawn == 1) return NoticeSaveResult.Of(NoticeOutcome.Withdrawn);
        var check = NoticeRules.Check(draft, now, ClinicWebsites(c, tx));
        if (!check.Ok) return new NoticeSaveResult(NoticeOutcome.Invalid, null, check.Errors, check.Removed);
        var notice = check.Notice!;
        var version = RegistryFacts.NewReferenceVersion(c, tx, now, "notice updated");
        c.Execute("""
            UPDATE notices SET title_kk = @tk, title_ru = @tr, title_en = @te, body_kk = @bk, body_ru = @br, body_en = @be,
                               valid_from = @from, valid_to = @to, updated_by = @author, updated_at = @now, version = @version
            WHERE id = @id
            """, Parameters(notice, author, now, version, id), tx);
        c.Execute("DELETE FROM notice_clinics WHERE notice_id = @id", new { id }, tx);
        WriteClinics(c, tx, id, notice.ClinicIds);
        tx.Commit();
        LogUpdated(id, version, notice.ClinicIds.Count, Languages(notice));
        return new NoticeSaveResult(NoticeOutcome.Saved, Get(id), [], check.Removed);
    }

    /// <summary>Withdraws a notice: kiosks drop it at their next pull. Withdrawing it again changes nothing.</summary>
    public (NoticeOutcome Outcome, StoredNotice? Notice) Withdraw(long id, string author)
    {
        author = Author(author);
        var now = time.GetUtcNow();
        using (var c = db.Open())
        using (var tx = c.BeginTransaction())
        {
            var withdrawn = c.QuerySingleOrDefault<long?>("SELECT withdrawn FROM notices WHERE id = @id", new { id }, tx);
            if (withdrawn is null) return (NoticeOutcome.NotFound, null);
            if (withdrawn == 0)
            {
                var version = RegistryFacts.NewReferenceVersion(c, tx, now, "notice withdrawn");
                c.Execute("""
                    UPDATE notices SET withdrawn = 1, withdrawn_at = @now, withdrawn_by = @author, updated_by = @author, updated_at = @now, version = @version
                    WHERE id = @id
                    """, new { id, now = DapperTypeHandlers.Format(now), author, version }, tx);
                tx.Commit();
                LogWithdrawn(id, version);
            }
        }
        return (NoticeOutcome.Saved, Get(id));
    }

    public StoredNotice? Get(long id)
    {
        using var c = db.Open();
        return Read(c, null, "WHERE n.id = @id", new { id }).SingleOrDefault();
    }

    /// <summary>Notices newest first (by id), filtered by <paramref name="query"/>.</summary>
    public IReadOnlyList<StoredNotice> List(NoticeQuery? query = null)
    {
        query ??= new NoticeQuery();
        var limit = Math.Clamp(query.Limit, 1, 500);
        var now = DapperTypeHandlers.Format(time.GetUtcNow());
        using var c = db.Open();
        return Read(c, null, """
            WHERE (@clinicId IS NULL OR EXISTS (SELECT 1 FROM notice_clinics x WHERE x.notice_id = n.id AND x.clinic_id = @clinicId))
              AND (@live = 0 OR (n.withdrawn = 0 AND n.valid_to > @now))
            ORDER BY n.id DESC LIMIT @limit
            """, new { clinicId = query.ClinicId, live = query.LiveOnly ? 1 : 0, now, limit });
    }

    /// <summary>
    /// What kiosks get with the reference data (<see cref="Reference.ReferenceSync"/>): every notice that is not
    /// withdrawn and not over at <paramref name="now"/>, by id, with its target clinics. Read in the pull's transaction.
    /// </summary>
    public static IReadOnlyList<StoredNotice> ForKiosks(SqliteConnection c, SqliteTransaction tx, DateTimeOffset now) =>
        Read(c, tx, "WHERE n.withdrawn = 0 AND n.valid_to > @now ORDER BY n.id", new { now = DapperTypeHandlers.Format(now) });

    /// <summary>Whether any notice changed (was created, updated or withdrawn) in the versions after <paramref name="from"/> up to <paramref name="upper"/>.</summary>
    public static bool ChangedBetween(SqliteConnection c, SqliteTransaction tx, long from, long upper) =>
        c.ExecuteScalar<long>("SELECT EXISTS (SELECT 1 FROM notices WHERE version > @from AND version <= @upper)", new { from, upper }, tx) == 1;

    private static List<StoredNotice> Read(SqliteConnection c, SqliteTransaction? tx, string where, object parameters)
    {
        var rows = c.Query<NoticeRow>($"""
            SELECT n.id AS Id, n.title_kk AS TitleKk, n.title_ru AS TitleRu, n.title_en AS TitleEn,
                   n.body_kk AS BodyKk, n.body_ru AS BodyRu, n.body_en AS BodyEn, n.valid_from AS ValidFrom, n.valid_to AS ValidTo,
                   n.withdrawn AS Withdrawn, n.withdrawn_at AS WithdrawnAt, n.withdrawn_by AS WithdrawnBy,
                   n.created_by AS CreatedBy, n.created_at AS CreatedAt, n.updated_by AS UpdatedBy, n.updated_at AS UpdatedAt, n.version AS Version
            FROM notices n
            {where}
            """, parameters, tx).ToList();
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToList();
        var clinics = c.Query<(long NoticeId, long ClinicId)>(
                "SELECT notice_id, clinic_id FROM notice_clinics WHERE notice_id IN @ids ORDER BY notice_id, clinic_id", new { ids }, tx)
            .ToLookup(r => r.NoticeId, r => r.ClinicId);
        return rows.Select(r => new StoredNotice(
            r.Id, new NoticeText(r.TitleKk, r.TitleRu, r.TitleEn), new NoticeText(r.BodyKk, r.BodyRu, r.BodyEn),
            new NoticeWindow(SlotSchedule.ParseInstant(r.ValidFrom), SlotSchedule.ParseInstant(r.ValidTo)), clinics[r.Id].ToList(),
            r.Withdrawn == 1, r.WithdrawnAt is { } w ? SlotSchedule.ParseInstant(w) : null, r.WithdrawnBy,
            r.CreatedBy, SlotSchedule.ParseInstant(r.CreatedAt), r.UpdatedBy, SlotSchedule.ParseInstant(r.UpdatedAt), r.Version)).ToList();
    }

    private sealed record NoticeRow(
        long Id, string TitleKk, string TitleRu, string TitleEn, string BodyKk, string BodyRu, string BodyEn, string ValidFrom, string ValidTo,
        long Withdrawn, string? WithdrawnAt, string? WithdrawnBy, string CreatedBy, string CreatedAt, string UpdatedBy, string UpdatedAt, long Version);

    private static Dictionary<long, string?> ClinicWebsites(SqliteConnection c, SqliteTransaction? tx) =>
        c.Query<(long Id, string? Website)>("SELECT id, website FROM clinics", transaction: tx).ToDictionary(r => r.Id, r => r.Website);

    private static void WriteClinics(SqliteConnection c, SqliteTransaction tx, long id, IReadOnlyList<long> clinicIds)
    {
        foreach (var clinicId in clinicIds)
            c.Execute("INSERT INTO notice_clinics (notice_id, clinic_id) VALUES (@id, @clinicId)", new { id, clinicId }, tx);
    }

    private static object Parameters(CleanNotice n, string author, DateTimeOffset now, long version, long id = 0) => new
    {
        id, tk = n.Title.Kk, tr = n.Title.Ru, te = n.Title.En, bk = n.Body.Kk, br = n.Body.Ru, be = n.Body.En,
        from = DapperTypeHandlers.Format(n.Window.From), to = DapperTypeHandlers.Format(n.Window.To),
        author, now = DapperTypeHandlers.Format(now), version,
    };

    private static string Author(string author)
    {
        var trimmed = (author ?? "").Trim();
        if (trimmed.Length == 0 || trimmed.Length > MaxAuthorLength || trimmed.Any(char.IsControl))
            throw new ArgumentException($"An author is 1–{MaxAuthorLength} printable characters.", nameof(author));
        return trimmed;
    }

    private static string Languages(CleanNotice n) =>
        string.Join(",", NoticeLanguages.All.Where(l => n.Title.For(l).Length > 0));

    [LoggerMessage(LogLevel.Information, "Notice {NoticeId} created at reference version {Version}: {Clinics} clinics, languages {Languages}")]
    private partial void LogCreated(long noticeId, long version, int clinics, string languages);

    [LoggerMessage(LogLevel.Information, "Notice {NoticeId} updated at reference version {Version}: {Clinics} clinics, languages {Languages}")]
    private partial void LogUpdated(long noticeId, long version, int clinics, string languages);

    [LoggerMessage(LogLevel.Information, "Notice {NoticeId} withdrawn at reference version {Version}")]
    private partial void LogWithdrawn(long noticeId, long version);
}

/// <summary>The notices' Astana time, as operators read and write it.</summary>
public static class NoticeTimes
{
    /// <summary>"yyyy-MM-ddTHH:mm" on Astana's clock (the value of an HTML <c>datetime-local</c> input).</summary>
    public static string Astana(DateTimeOffset instant) =>
        Kiosk.Core.Time.AstanaTime.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The instant of an Astana clock time written "yyyy-MM-ddTHH:mm" (a <c>datetime-local</c> input), or null.</summary>
    public static DateTimeOffset? FromAstana(string? local) =>
        DateTime.TryParseExact(local?.Trim(), "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? Kiosk.Core.Time.AstanaTime.ToUtc(DateOnly.FromDateTime(value), TimeOnly.FromDateTime(value))
            : null;
}
