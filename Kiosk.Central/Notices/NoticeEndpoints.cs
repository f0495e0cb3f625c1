using System.ComponentModel;
using System.Globalization;
using Kiosk.Central.Sync;
using Kiosk.Core.Notices;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Notices;

/// <summary>A notice's text in the kiosk's languages; a language left out or empty has no version.</summary>
public sealed record NoticeTexts(
    [property: Description("Kazakh")] string? Kk,
    [property: Description("Russian")] string? Ru,
    [property: Description("English")] string? En)
{
    internal NoticeText ToText() => new(Kk ?? "", Ru ?? "", En ?? "");

    internal static NoticeTexts Of(NoticeText t) => new(t.Kk, t.Ru, t.En);
}

/// <summary>The body of <c>POST /api/notices</c> and <c>PUT /api/notices/{id}</c> (a PUT replaces every field).</summary>
public sealed record NoticeRequest(
    [property: Description("Plain text, at most 120 characters per language; at least one language")] NoticeTexts? Title,
    [property: Description("Limited HTML (p, ul, ol, li, b, strong, br, a href to the target clinics' own https sites); sanitised on save")] NoticeTexts? Body,
    [property: Description("Shown from this instant (ISO 8601 with offset, e.g. 2026-03-02T08:00:00+05:00 for 08:00 in Astana)")] DateTimeOffset? ValidFrom,
    [property: Description("Shown until this instant (exclusive); after ValidFrom, not past, at most 366 days after it")] DateTimeOffset? ValidTo,
    [property: Description("The clinics the notice is for (at least one)")] List<long>? ClinicIds)
{
    internal NoticeDraft ToDraft() =>
        new((Title ?? new NoticeTexts(null, null, null)).ToText(), (Body ?? new NoticeTexts(null, null, null)).ToText(), ValidFrom, ValidTo, ClinicIds ?? []);
}

/// <param name="State">scheduled (not shown yet), current, over or withdrawn, by Central's clock now.</param>
/// <param name="ValidFromAstana">The window's start on Astana's clock, "yyyy-MM-ddTHH:mm".</param>
/// <param name="Removed">On a save: per language (kk, ru, en), what the sanitiser took out of the body; null when nothing was.</param>
public sealed record NoticeAnswer(
    long Id, NoticeTexts Title, NoticeTexts Body, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, string ValidFromAstana, string ValidToAstana,
    IReadOnlyList<long> ClinicIds, string State, bool Withdrawn, DateTimeOffset? WithdrawnAt, string? WithdrawnBy,
    string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt, long Version,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Removed = null)
{
    internal static NoticeAnswer Of(StoredNotice n, DateTimeOffset now, IReadOnlyDictionary<string, IReadOnlyList<string>>? removed = null) => new(
        n.Id, NoticeTexts.Of(n.Title), NoticeTexts.Of(n.Body), n.Window.From, n.Window.To, NoticeTimes.Astana(n.Window.From), NoticeTimes.Astana(n.Window.To),
        n.ClinicIds, n.StateAt(now).ToString().ToLowerInvariant(), n.Withdrawn, n.WithdrawnAt, n.WithdrawnBy,
        n.CreatedBy, n.CreatedAt, n.UpdatedBy, n.UpdatedAt, n.Version, removed is { Count: > 0 } ? removed : null);
}

public sealed record NoticeList(IReadOnlyList<NoticeAnswer> Notices);

/// <summary>
/// The operators' notice API (issue 12 item 4; docs/notices.md), <c>Authorization: Bearer &lt;Operators:Token&gt;</c>
/// like the kiosk register: <c>GET /api/notices</c>, <c>GET /api/notices/{id}</c>, <c>POST /api/notices</c>,
/// <c>PUT /api/notices/{id}</c>, <c>POST /api/notices/{id}/withdraw</c>. A refused save answers 400 with the field
/// errors (<c>errors</c>: field → messages; <c>fieldErrors</c>: field, code, message). No cookies, so no antiforgery.
/// </summary>
public static class NoticeEndpoints
{
    /// <summary>Three languages of 20 000 characters as written, in UTF-8, with room to spare.</summary>
    public const int MaxRequestBytes = 256 * 1024;

    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddSingleton<NoticeService>();
        return services;
    }

    public static IEndpointRouteBuilder MapNoticeApi(this IEndpointRouteBuilder app)
    {
        var notices = app.MapGroup("/api/notices").WithTags("Operators").DisableAntiforgery().AddEndpointFilter(SyncEndpoints.AuthenticateOperator);
        const string auth = "Authorization: Bearer <Operators:Token>. ";
        notices.MapGet("", List)
            .WithName("ListNotices")
            .WithSummary("Clinic notices, newest first")
            .WithDescription(auth + "'clinicId': only notices for that clinic; 'live=true': only those not withdrawn and not over; 'limit': 1–500 (100). " +
                             "401: no or wrong token; 403: Operators:Token is not set; 400: bad query.")
            .Produces<NoticeList>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        notices.MapGet("/{id:long}", Get)
            .WithName("GetNotice")
            .WithSummary("One clinic notice")
            .WithDescription(auth + "404: no such notice.")
            .Produces<NoticeAnswer>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        notices.MapPost("", Create)
            .WithName("CreateNotice")
            .WithSummary("Write a clinic notice for the kiosks' start screen")
            .WithDescription(auth + "Titles are plain text; bodies limited HTML, sanitised on save ('removed' says what was taken out): p, ul, ol, li, b, strong, br, " +
                             "and a href only to the target clinics' own https web sites (rel=noopener noreferrer is added). Kiosks get it at their next reference pull. " +
                             "201: saved; 400: field errors ('errors', 'fieldErrors'); 413: over 256 KiB.")
            .Accepts<NoticeRequest>("application/json")
            .Produces<NoticeAnswer>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        notices.MapPut("/{id:long}", Update)
            .WithName("UpdateNotice")
            .WithSummary("Replace a clinic notice's texts, window and clinics")
            .WithDescription(auth + "Every field, as for create. Kiosks replace their copy at their next pull. 200: saved; 400: field errors; 404: no such notice; 409: withdrawn.")
            .Accepts<NoticeRequest>("application/json")
            .Produces<NoticeAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        notices.MapPost("/{id:long}/withdraw", Withdraw)
            .WithName("WithdrawNotice")
            .WithSummary("Withdraw a clinic notice: kiosks remove it at their next pull")
            .WithDescription(auth + "Final; the notice stays for the record. Withdrawing it again changes nothing. 200: withdrawn; 404: no such notice.")
            .Produces<NoticeAnswer>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static IResult List(NoticeService service, TimeProvider time,
        [FromQuery, Description("Only notices for this clinic")] string? clinicId,
        [FromQuery, Description("true: only notices not withdrawn and not over")] string? live,
        [FromQuery, Description("At most this many (1–500, default 100)")] string? limit)
    {
        long? clinic = null;
        if (!string.IsNullOrEmpty(clinicId))
        {
            if (!long.TryParse(clinicId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return Problem(StatusCodes.Status400BadRequest, "Bad clinicId", "'clinicId' must be a clinic id.");
            clinic = id;
        }
        var liveOnly = false;
        if (!string.IsNullOrEmpty(live) && !bool.TryParse(live, out liveOnly))
            return Problem(StatusCodes.Status400BadRequest, "Bad live", "'live' must be true or false.");
        var take = 100;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 500))
            return Problem(StatusCodes.Status400BadRequest, "Bad limit", "'limit' must be from 1 to 500.");
        var now = time.GetUtcNow();
        return Results.Ok(new NoticeList(service.List(new NoticeQuery(clinic, liveOnly, take)).Select(n => NoticeAnswer.Of(n, now)).ToList()));
    }

    private static IResult Get(long id, NoticeService service, TimeProvider time) =>
        service.Get(id) is { } notice
            ? Results.Ok(NoticeAnswer.Of(notice, time.GetUtcNow()))
            : NotFound();

    private static async Task<IResult> Create(HttpContext http, NoticeService service, TimeProvider time, IOptions<JsonOptions> json)
    {
        var (body, error) = await SyncEndpoints.ReadJsonAsync<NoticeRequest>(http, MaxRequestBytes, json.Value.SerializerOptions);
        if (error is not null) return error;
        var result = service.Create(body!.ToDraft(), NoticeService.TokenAuthor);
        return result.Outcome == NoticeOutcome.Saved
            ? Results.Json(NoticeAnswer.Of(result.Notice!, time.GetUtcNow(), result.Removed), json.Value.SerializerOptions,
                statusCode: StatusCodes.Status201Created)
            : Refused(result);
    }

    private static async Task<IResult> Update(long id, HttpContext http, NoticeService service, TimeProvider time, IOptions<JsonOptions> json)
    {
        var (body, error) = await SyncEndpoints.ReadJsonAsync<NoticeRequest>(http, MaxRequestBytes, json.Value.SerializerOptions);
        if (error is not null) return error;
        var result = service.Update(id, body!.ToDraft(), NoticeService.TokenAuthor);
        return result.Outcome == NoticeOutcome.Saved ? Results.Ok(NoticeAnswer.Of(result.Notice!, time.GetUtcNow(), result.Removed)) : Refused(result);
    }

    private static IResult Withdraw(long id, NoticeService service, TimeProvider time)
    {
        var (outcome, notice) = service.Withdraw(id, NoticeService.TokenAuthor);
        return outcome == NoticeOutcome.Saved ? Results.Ok(NoticeAnswer.Of(notice!, time.GetUtcNow())) : NotFound();
    }

    private static IResult Refused(NoticeSaveResult result) => result.Outcome switch
    {
        NoticeOutcome.NotFound => NotFound(),
        NoticeOutcome.Withdrawn => Problem(StatusCodes.Status409Conflict, "Notice withdrawn", "A withdrawn notice is kept for the record and cannot be changed; write a new one."),
        _ => Results.ValidationProblem(
            result.Errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal),
            title: "The notice was not saved",
            detail: "Correct the fields named in 'errors'.",
            extensions: new Dictionary<string, object?>
            {
                ["fieldErrors"] = result.Errors.Select(e => new { field = e.Field, code = e.Code, message = e.Message }).ToList(),
            }),
    };

    private static IResult NotFound() => Problem(StatusCodes.Status404NotFound, "No such notice", "There is no notice with this id.");

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);
}
