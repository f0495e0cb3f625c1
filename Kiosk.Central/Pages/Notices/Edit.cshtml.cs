using Dapper;
using Kiosk.Central.Notices;
using Kiosk.Core.Notices;
using Kiosk.Core.Staff;
using Kiosk.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Central.Pages.Notices;

/// <summary>A clinic an operator can aim a notice at, with the site its links may go to.</summary>
public sealed record NoticeClinic(long Id, string NameEn, string NameRu, string? Website);

/// <summary>
/// The operators' notice editor (issue 12 item 4; docs/notices.md "The operators' pages"): a new notice
/// (<c>/notices/edit</c>) or an existing one (<c>/notices/edit/{id}</c>) in kk/ru/en, its window on Astana's clock and
/// its clinics. "Preview" shows each language exactly as a kiosk will — sanitised as Central saves it, then again as
/// the kiosk displays it, links as text — and lists what the sanitiser took out; it saves nothing. "Save" goes through
/// <see cref="NoticeService"/> (its rules, its sanitiser, a new reference version) with the signed-in operator as the
/// author, and redirects to the list. "Withdraw" is final. The raw input is never written into the page as HTML.
/// </summary>
public sealed partial class EditModel(NoticeService notices, SqliteDatabase db, TimeProvider time, ILogger<EditModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)] public long? Id { get; set; }

    [BindProperty] public string? TitleKk { get; set; }
    [BindProperty] public string? TitleRu { get; set; }
    [BindProperty] public string? TitleEn { get; set; }
    [BindProperty] public string? BodyKk { get; set; }
    [BindProperty] public string? BodyRu { get; set; }
    [BindProperty] public string? BodyEn { get; set; }
    [BindProperty] public string? ValidFrom { get; set; }
    [BindProperty] public string? ValidTo { get; set; }
    [BindProperty] public List<long> ClinicIds { get; set; } = [];

    public IReadOnlyList<NoticeClinic> Clinics { get; private set; } = [];

    public IReadOnlyList<NoticeFieldError> Errors { get; private set; } = [];

    /// <summary>Per language, what the sanitiser took out of the body as written (after a preview or a refused save).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Removed { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The preview, per language that has a title or a body: the title (to encode) and the body's HTML as a kiosk shows it.</summary>
    public IReadOnlyList<(string Language, string Title, string BodyHtml)> Preview { get; private set; } = [];

    /// <summary>The author recorded for a change made on these pages: the operator's staff account.</summary>
    public static string AuthorOf(System.Security.Claims.ClaimsPrincipal user) =>
        StaffClaims.IinOf(user) is { } iin ? "staff:" + iin.Value : throw new InvalidOperationException("No staff IIN in the session.");

    public IActionResult OnGet()
    {
        Clinics = LoadClinics();
        if (Id is not { } id)
        {
            // A new notice: from the next full hour for a week, for every clinic unless the operator narrows it.
            var start = time.GetUtcNow();
            start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
            (ValidFrom, ValidTo) = (NoticeTimes.Astana(start), NoticeTimes.Astana(start.AddDays(7)));
            return Page();
        }
        if (notices.Get(id) is not { } n) return NotFound();
        if (n.Withdrawn) return Redirect(IndexModel.PagePath);
        (TitleKk, TitleRu, TitleEn) = (n.Title.Kk, n.Title.Ru, n.Title.En);
        (BodyKk, BodyRu, BodyEn) = (n.Body.Kk, n.Body.Ru, n.Body.En);
        (ValidFrom, ValidTo) = (NoticeTimes.Astana(n.Window.From), NoticeTimes.Astana(n.Window.To));
        ClinicIds = [.. n.ClinicIds];
        return Page();
    }

    public IActionResult OnPostPreview()
    {
        Clinics = LoadClinics();
        var draft = Draft();
        var check = NoticeRules.Check(draft, time.GetUtcNow(), Clinics.ToDictionary(c => c.Id, c => c.Website));
        Errors = check.Errors;
        Removed = check.Removed;
        var hosts = ClinicWebsite.Hosts(Clinics.Where(c => ClinicIds.Contains(c.Id)).Select(c => c.Website));
        Preview = NoticeLanguages.All
            .Select(language =>
            {
                // As Central stores it, then as the kiosk shows it (NoticeHtml twice, links as text on the kiosk).
                var saved = NoticeHtml.Sanitize(draft.Body.For(language), hosts).Html;
                return (language, draft.Title.For(language).Trim(), NoticeHtml.Sanitize(saved, hosts, NoticeLinks.AsText).Html);
            })
            .Where(p => p.Item2.Length > 0 || NoticeHtml.TextOf(p.Item3).Length > 0)
            .ToList();
        return Page();
    }

    public IActionResult OnPostSave()
    {
        var result = Id is { } id ? notices.Update(id, Draft(), AuthorOf(User)) : notices.Create(Draft(), AuthorOf(User));
        switch (result.Outcome)
        {
            case NoticeOutcome.Saved:
                return Redirect($"{IndexModel.PagePath}?saved={result.Notice!.Id}");
            case NoticeOutcome.NotFound:
                return NotFound();
            case NoticeOutcome.Withdrawn:
                return Redirect(IndexModel.PagePath);
            default:
                LogRefused(Id, result.Errors.Count);
                Clinics = LoadClinics();
                Errors = result.Errors;
                Removed = result.Removed;
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
        }
    }

    public IActionResult OnPostWithdraw()
    {
        if (Id is not { } id) return Redirect(IndexModel.PagePath);
        var (outcome, _) = notices.Withdraw(id, AuthorOf(User));
        return outcome == NoticeOutcome.NotFound ? NotFound() : Redirect($"{IndexModel.PagePath}?withdrawn={id}");
    }

    public IReadOnlyList<NoticeFieldError> ErrorsFor(string field) => Errors.Where(e => e.Field == field).ToList();

    private NoticeDraft Draft() => new(
        new NoticeText(TitleKk ?? "", TitleRu ?? "", TitleEn ?? ""),
        new NoticeText(BodyKk ?? "", BodyRu ?? "", BodyEn ?? ""),
        NoticeTimes.FromAstana(ValidFrom), NoticeTimes.FromAstana(ValidTo), ClinicIds);

    private List<NoticeClinic> LoadClinics()
    {
        using var c = db.Open();
        return c.Query<NoticeClinic>("SELECT id AS Id, name_en AS NameEn, name_ru AS NameRu, website AS Website FROM clinics ORDER BY id").ToList();
    }

    [LoggerMessage(LogLevel.Information, "Notice page: save of notice {NoticeId} refused with {Errors} field errors")]
    private partial void LogRefused(long? noticeId, int errors);
}
