using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Kiosk.Central.Sync;
using Kiosk.Core.Feedback;
using Kiosk.Core.Time;
using Kiosk.Storage;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Kiosk.Central.Feedback;

/// <summary>Configuration section <c>Feedback</c> (Central): the limits of <c>POST /api/sync/feedback</c>.</summary>
public sealed class FeedbackIntakeOptions
{
    public const string Section = "Feedback";

    /// <summary>Most items in one push.</summary>
    public int MaxBatch { get; set; } = 200;

    /// <summary>The largest body read (larger: 413).</summary>
    public int MaxPushBytes { get; set; } = 256 * 1024;

    /// <summary>How old (in days, by Central's Astana calendar) an item's day may be; older is rejected <c>day-out-of-range</c>.</summary>
    public int MaxAgeDays { get; set; } = 400;
}

/// <summary>The body of a feedback push (docs/sync-protocol.md §11; docs/schemas/feedback-push-v1.schema.json).</summary>
public sealed record FeedbackPushRequest(IReadOnlyList<JsonElement>? Items);

/// <summary>The answer for one item.</summary>
/// <param name="Status"><c>stored</c>, <c>duplicate</c> (its id was stored before: nothing stored again) or <c>rejected</c> (permanent).</param>
/// <param name="Reason">For <c>rejected</c>: <c>invalid-item</c>, <c>unknown-kind</c>, <c>invalid-payload</c>, <c>day-out-of-range</c>, <c>unknown-clinic</c>.</param>
public sealed record FeedbackItemAnswer(
    string? Id, string Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

/// <param name="Results">One per item, in the order sent.</param>
public sealed record FeedbackPushAnswer(IReadOnlyList<FeedbackItemAnswer> Results, DateTimeOffset ServerTime);

public static class FeedbackStatus
{
    public const string Stored = "stored";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}

public static class FeedbackReasons
{
    public const string InvalidItem = "invalid-item";
    public const string UnknownKind = "unknown-kind";
    public const string InvalidPayload = "invalid-payload";
    public const string DayOutOfRange = "day-out-of-range";
    public const string UnknownClinic = "unknown-clinic";
}

/// <summary>
/// Central's intake of the kiosks' anonymous feedback (issue 12 items 5–6): each item is checked strictly
/// (<see cref="SurveyAnswer.FromPayload"/>, <see cref="StepTime.FromPayload"/>) and stored under its id in one
/// transaction per push, so a push repeated after a lost answer stores nothing twice. A survey answer is stored without
/// the kiosk that sent it; a step time with it. Logs carry counts and reason codes only.
/// </summary>
public sealed partial class FeedbackIntake(SqliteDatabase db, IOptions<FeedbackIntakeOptions> options, TimeProvider time, ILogger<FeedbackIntake> logger)
{
    private static readonly string[] ItemMembers = ["id", "kind", "payload"];

    public IReadOnlyList<FeedbackItemAnswer> Push(string kioskId, IReadOnlyList<JsonElement> items)
    {
        var today = AstanaTime.Today(time);
        var earliest = today.AddDays(-options.Value.MaxAgeDays);
        var latest = today.AddDays(1); // a kiosk's clock a little ahead across midnight
        var answers = new List<FeedbackItemAnswer>(items.Count);
        using var c = db.Open();
        using var tx = c.BeginTransaction(); // BEGIN IMMEDIATE: two pushes of one item store it once
        var clinics = new Dictionary<long, bool>();
        foreach (var item in items)
        {
            var answer = One(c, tx, kioskId, item, earliest, latest, clinics);
            answers.Add(answer);
        }
        tx.Commit();
        var stored = answers.Count(a => a.Status == FeedbackStatus.Stored);
        var duplicates = answers.Count(a => a.Status == FeedbackStatus.Duplicate);
        var rejected = answers.Where(a => a.Status == FeedbackStatus.Rejected).ToList();
        LogPushed(kioskId, items.Count, stored, duplicates, rejected.Count);
        foreach (var reason in rejected.GroupBy(a => a.Reason)) LogRejected(kioskId, reason.Count(), reason.Key ?? "?");
        return answers;
    }

    private static FeedbackItemAnswer One(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, string kioskId,
        JsonElement item, DateOnly earliest, DateOnly latest, Dictionary<long, bool> clinics)
    {
        if (item.ValueKind != JsonValueKind.Object) return Rejected(null, FeedbackReasons.InvalidItem);
        string? id = null;
        if (item.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String) id = idElement.GetString();
        var names = item.EnumerateObject().Select(p => p.Name).ToList();
        if (names.Count != names.Distinct(StringComparer.Ordinal).Count() || names.Any(n => !ItemMembers.Contains(n))
            || !FeedbackKinds.IsItemId(id))
            return Rejected(id, FeedbackReasons.InvalidItem);
        if (!item.TryGetProperty("kind", out var kindElement) || kindElement.ValueKind != JsonValueKind.String
            || !item.TryGetProperty("payload", out var payload))
            return Rejected(id, FeedbackReasons.InvalidItem);
        var kind = kindElement.GetString();
        if (!FeedbackKinds.IsKnown(kind)) return Rejected(id, FeedbackReasons.UnknownKind);

        // Seen before (either kind): the first push stored it.
        if (c.ExecuteScalar<long>("SELECT (SELECT count(*) FROM survey_answers WHERE id = @id) + (SELECT count(*) FROM step_times WHERE id = @id)",
                new { id }, tx) > 0)
            return new FeedbackItemAnswer(id, FeedbackStatus.Duplicate);

        try
        {
            if (kind == FeedbackKinds.Survey)
            {
                var answer = SurveyAnswer.FromPayload(payload);
                if (answer.Day < earliest || answer.Day > latest) return Rejected(id, FeedbackReasons.DayOutOfRange);
                if (answer.ClinicId is { } clinic && !ClinicExists(c, tx, clinic, clinics)) return Rejected(id, FeedbackReasons.UnknownClinic);
                c.Execute("""
                    INSERT INTO survey_answers (id, service, clinic_id, day, q1, q2) VALUES (@id, @service, @clinic, @day, @q1, @q2)
                    """, new
                {
                    id, service = answer.Service, clinic = answer.ClinicId, day = answer.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    q1 = answer.Process, q2 = answer.Information,
                }, tx);
            }
            else
            {
                var step = StepTime.FromPayload(payload);
                if (step.Day < earliest || step.Day > latest) return Rejected(id, FeedbackReasons.DayOutOfRange);
                c.Execute("""
                    INSERT INTO step_times (id, kiosk_id, channel, service, step, duration_ms, day)
                    VALUES (@id, @kioskId, @channel, @service, @step, @ms, @day)
                    """, new
                {
                    id, kioskId, channel = step.Channel, service = step.Service, step = step.Step, ms = step.DurationMs,
                    day = step.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                }, tx);
            }
        }
        catch (FeedbackFormatException)
        {
            return Rejected(id, FeedbackReasons.InvalidPayload);
        }
        catch (InvalidOperationException)
        {
            // A string that cannot be turned into text (an escaped lone surrogate).
            return Rejected(id, FeedbackReasons.InvalidPayload);
        }
        return new FeedbackItemAnswer(id, FeedbackStatus.Stored);
    }

    private static bool ClinicExists(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, long clinic, Dictionary<long, bool> known)
    {
        if (!known.TryGetValue(clinic, out var exists))
            known[clinic] = exists = c.ExecuteScalar<long>("SELECT count(*) FROM clinics WHERE id = @clinic", new { clinic }, tx) > 0;
        return exists;
    }

    private static FeedbackItemAnswer Rejected(string? id, string reason) => new(id, FeedbackStatus.Rejected, reason);

    [LoggerMessage(LogLevel.Information, "Feedback from {KioskId}: {Count} items, {Stored} stored, {Duplicates} duplicates, {Rejected} rejected")]
    private partial void LogPushed(string kioskId, int count, int stored, int duplicates, int rejected);

    [LoggerMessage(LogLevel.Warning, "Feedback from {KioskId}: {Count} items rejected ({Reason})")]
    private partial void LogRejected(string kioskId, int count, string reason);
}

/// <summary>The feedback's service registrations and its kiosk endpoint (on the kiosk-authenticated sync group).</summary>
public static class FeedbackSync
{
    /// <summary>Registers the intake, the reports and their options (sections <c>Feedback</c>).</summary>
    public static IServiceCollection AddFeedback(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedbackIntakeOptions>()
            .Bind(configuration.GetSection(FeedbackIntakeOptions.Section))
            .Validate(o => o.MaxBatch is > 0 and <= 1000, "Feedback:MaxBatch must be between 1 and 1000.")
            .Validate(o => o.MaxPushBytes is >= 1024 and <= 16 * 1024 * 1024, "Feedback:MaxPushBytes must be between 1 KiB and 16 MiB.")
            .Validate(o => o.MaxAgeDays is > 0 and <= 3660, "Feedback:MaxAgeDays must be between 1 and 3660.")
            .ValidateOnStart();
        services.AddSingleton<FeedbackIntake>();
        services.AddSingleton<FeedbackReports>();
        return services;
    }

    /// <param name="kiosk">The kiosk-authenticated group under <c>/api/sync</c> (<see cref="SyncEndpoints"/>).</param>
    public static RouteGroupBuilder MapFeedbackSync(this RouteGroupBuilder kiosk)
    {
        kiosk.MapPost("/feedback", Push)
            .WithName("PushFeedback")
            .WithSummary("Deliver a batch of anonymous survey answers and step times")
            .WithDescription("Authorization: Bearer <kioskId>.<credential>. Each item {id, kind, payload} is answered in order: stored, duplicate (its id was stored " +
                             "before: nothing stored again) or rejected (permanent, with a reason). Survey answers are stored without the sending kiosk. " +
                             "200: answered; 400: not a JSON batch, or too many items; 401/403 as for push; 413: body too large.")
            .Accepts<FeedbackPushRequest>("application/json")
            .Produces<FeedbackPushAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return kiosk;
    }

    private static async Task<IResult> Push(HttpContext http, FeedbackIntake intake, IOptions<FeedbackIntakeOptions> options,
        IOptions<JsonOptions> json, TimeProvider time)
    {
        var kiosk = SyncEndpoints.AuthenticatedKiosk(http);
        var (body, error) = await SyncEndpoints.ReadJsonAsync<FeedbackPushRequest>(http, options.Value.MaxPushBytes, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (body!.Items is not { } items)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad feedback push", detail: "The body must be {\"items\": [...]}.");
        if (items.Count > options.Value.MaxBatch)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Batch too large", detail: $"At most {options.Value.MaxBatch} items per push.");
        return Results.Ok(new FeedbackPushAnswer(intake.Push(kiosk.KioskId!, items), time.GetUtcNow()));
    }
}
