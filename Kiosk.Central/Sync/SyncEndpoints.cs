using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Kiosk.Central.Desk;
using Kiosk.Central.Feedback;
using Kiosk.Central.Journals;
using Kiosk.Central.Reference;
using Kiosk.Central.Staff;
using Kiosk.Central.Schedule;
using Kiosk.Central.Services;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Core.Time;
using Kiosk.Storage;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Sync;

/// <summary>
/// Central's side of the sync protocol (issue 4 items 2–3; docs/sync-protocol.md):
/// <list type="bullet">
/// <item>kiosks: <c>POST /api/sync/enroll</c> (one-time code → credential), then, with
/// <c>Authorization: Bearer &lt;kioskId&gt;.&lt;credential&gt;</c>, <c>POST /api/sync/push</c> and
/// <c>GET /api/sync/decisions?since=</c>;</item>
/// <item>operators, with <c>Authorization: Bearer &lt;Operators:Token&gt;</c>: <c>POST /api/kiosks</c>,
/// <c>POST /api/kiosks/{id}/enrollment-code</c>, <c>POST /api/kiosks/{id}/revoke</c> and the clinic's journal of home
/// calls <c>GET /api/clinics/{id}/home-calls?date=</c>.</item>
/// </list>
/// No cookies or other ambient credentials, so no antiforgery. Bodies are read bounded. Nothing secret or personal is logged.
/// </summary>
public static partial class SyncEndpoints
{
    private const string KioskItem = "sync.kiosk";
    private const int MaxSmallBody = 4 * 1024;

    public static IServiceCollection AddSyncIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntakeOptions>()
            .Bind(configuration.GetSection(IntakeOptions.Section))
            .Validate(o => o.MaxBatch is > 0 and <= 1000, "Intake:MaxBatch must be between 1 and 1000.")
            .Validate(o => o.MaxPushBytes is > 0 and <= 64 * 1024 * 1024, "Intake:MaxPushBytes must be between 1 byte and 64 MiB.")
            .Validate(o => o.SigningTimeTolerance >= TimeSpan.Zero, "Intake:SigningTimeTolerance cannot be negative.")
            .Validate(o => o.EnrollmentCodeLifetime > TimeSpan.Zero, "Intake:EnrollmentCodeLifetime must be positive.")
            .Validate(o => o.DecisionsPageSize is > 0 and <= 10_000, "Intake:DecisionsPageSize must be between 1 and 10000.")
            .ValidateOnStart();
        services.AddOptions<OperatorOptions>().Bind(configuration.GetSection(OperatorOptions.Section));
        services.AddOptions<MonitoringOptions>().Bind(configuration.GetSection(MonitoringOptions.Section));
        services.AddSingleton<KioskRegister>();
        services.AddSingleton<Fleet>();
        services.AddSingleton<IntakeService>();
        // Issue 5: the limits on voluntary changes of clinic (docs/appointments-and-attachment.md).
        services.AddOptions<AttachmentOptions>()
            .Bind(configuration.GetSection(AttachmentOptions.Section))
            .Validate(o => o.IsValid,
                "Attachment:VoluntaryChangesPerYear must be 0 or more; Attachment:CampaignFrom and Attachment:CampaignTo are both MM-dd, or both unset.")
            .ValidateOnStart();
        services.AddSingleton<AttachmentDecider>();
        services.AddHostedService<SyncStartupService>();
        // Reference pull and registry address lookup (Kiosk.Central/Reference/ReferenceSync.cs).
        services.AddReferenceSync(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder app)
    {
        var sync = app.MapGroup("/api/sync").WithTags("Sync (kiosk ⇄ Central)").DisableAntiforgery();
        sync.MapPost("/enroll", Enroll)
            .WithName("EnrollKiosk")
            .WithSummary("Enroll a kiosk with its one-time code and receive its credential")
            .WithDescription("The code comes from an operator (POST /api/kiosks). It works once, before it expires, and not for a revoked kiosk. " +
                             "The credential in the answer is shown once; Central keeps only its SHA-256. 200: enrolled; 400: malformed body; 401: unknown kiosk, or a wrong, used or expired code.")
            .Accepts<EnrollRequest>("application/json")
            .Produces<EnrollAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        var kiosk = sync.MapGroup("").AddEndpointFilter(AuthenticateKiosk);
        kiosk.MapPost("/push", Push)
            .WithName("PushEnvelopes")
            .WithSummary("Deliver a batch of signed requests")
            .WithDescription("Authorization: Bearer <kioskId>.<credential>. Each envelope is answered in order: registered (with the registration number), " +
                             "duplicate (its id was seen before: the first answer again, nothing new registered), rejected (permanent, with reason codes; a replay gets the same) " +
                             "or deferred (Central cannot judge it now, e.g. its trust list or CRLs are unusable: send it again later). " +
                             "200: answered; 400: not a JSON batch, or too many envelopes; 401: unknown kiosk or credential; 403: revoked kiosk; 413: body too large.")
            .Accepts<PushRequest>("application/json")
            .Produces<PushAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        kiosk.MapGet("/decisions", Decisions)
            .WithName("PullDecisions")
            .WithSummary("Decisions on this kiosk's requests after a cursor")
            .WithDescription("Authorization: Bearer <kioskId>.<credential>. Returns decisions (accepted, refused) in the order Central made them, after the cursor 'since' " +
                             "(omit it, or send 0, the first time), with the cursor to send next time. 400: not a cursor; 401/403 as for push.")
            .Produces<DecisionsAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        kiosk.MapPost("/heartbeat", Heartbeat)
            .WithName("KioskHeartbeat")
            .WithSummary("A kiosk reports its outbox, version, disk and clock")
            .WithDescription("Authorization: Bearer <kioskId>.<credential>. Central keeps the figures for the fleet page and measures the kiosk's clock skew " +
                             "(kioskTime minus Central's clock), which the intake uses to place a request's signing time on Central's clock. 200: recorded; 400: malformed; 401/403 as for push.")
            .Accepts<HeartbeatRequest>("application/json")
            .Produces<HeartbeatAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        app.MapGet("/api/fleet", (Fleet fleet) => Results.Ok(fleet.List()))
            .WithTags("Operators")
            .WithName("Fleet")
            .WithSummary("Every kiosk with its last heartbeat and figures")
            .WithDescription("Authorization: Bearer <Operators:Token> or Bearer <Monitoring:Token> (for a monitoring system that should not manage kiosks). 401: no or wrong token; 403: neither token is configured.")
            .Produces<FleetAnswer>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .AddEndpointFilter(AuthenticateOperatorOrMonitoring);

        // GET /api/sync/reference and POST /api/sync/registry/address (Kiosk.Central/Reference/ReferenceSync.cs).
        kiosk.MapReferenceSync();
        // GET /api/sync/staff: the accounts the kiosk node may let sign in (Kiosk.Central/Staff/StaffSync.cs).
        kiosk.MapStaffSync();
        // POST /api/sync/registry/person: the citizen a registrar serves at the desk (Kiosk.Central/Desk/DeskRegistry.cs).
        kiosk.MapDeskRegistry();
        // POST /api/sync/feedback: survey answers and step times (Kiosk.Central/Feedback/FeedbackIntake.cs).
        kiosk.MapFeedbackSync();
        // GET /api/sync/journals/home-calls|appointments: the journals of the kiosk's own clinic (Kiosk.Central/Journals/JournalEndpoints.cs).
        kiosk.MapJournals();

        var ops = app.MapGroup("/api").WithTags("Operators").DisableAntiforgery().AddEndpointFilter(AuthenticateOperator);
        ops.MapPost("/kiosks", CreateKiosk)
            .WithName("CreateKiosk")
            .WithSummary("Register a kiosk and get its one-time enrollment code")
            .WithDescription("Authorization: Bearer <Operators:Token>. 201: created, with the code (shown once; Central keeps its SHA-256); 400: bad kiosk id or name; 409: the id exists.")
            .Accepts<CreateKioskRequest>("application/json")
            .Produces<EnrollmentCodeAnswer>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        ops.MapPost("/kiosks/{id}/enrollment-code", NewCode)
            .WithName("NewEnrollmentCode")
            .WithSummary("A new one-time enrollment code for a kiosk (re-enrollment)")
            .WithDescription("Authorization: Bearer <Operators:Token>. The kiosk's current credential keeps working until the new code is used. 404: no such kiosk; 409: revoked.")
            .Produces<EnrollmentCodeAnswer>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        ops.MapPost("/kiosks/{id}/clinic", SetClinic)
            .WithName("SetKioskClinic")
            .WithSummary("Link a kiosk to the clinic whose lobby it serves: that clinic's staff may sign in at its node")
            .WithDescription("Authorization: Bearer <Operators:Token>. Body {\"clinicId\": 1}. 204: set; 404: no such kiosk or clinic.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        ops.MapPost("/kiosks/{id}/revoke", Revoke)
            .WithName("RevokeKiosk")
            .WithSummary("Revoke a kiosk: its sync calls are refused (403) from now on")
            .WithDescription("Authorization: Bearer <Operators:Token>. Final: a revoked kiosk id is not enrolled again. 204: revoked; 404: no such kiosk.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        ops.MapGet("/clinics/{id:long}/appointments", JournalEndpoints.OperatorAppointments)
            .WithName("AppointmentJournal")
            .WithSummary("The clinic's journal of booked appointments on a day")
            .WithDescription("Authorization: Bearer <Operators:Token>. Active bookings (cancelled ones are left out) with the doctors of the clinic whose slots fall on the Astana date, in time order. " +
                             "Personal data (who): for the clinic's staff only. 404: no such clinic; 400: bad date.")
            .Produces<AppointmentJournal>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        ops.MapGet("/clinics/{id:long}/home-calls", JournalEndpoints.OperatorHomeCalls)
            .WithName("HomeCallJournal")
            .WithSummary("The clinic's journal of accepted home calls on a day")
            .WithDescription("Authorization: Bearer <Operators:Token>. Personal data (who, where, phone): for the clinic's staff only. 404: no such clinic; 400: bad date.")
            .Produces<HomeCallJournal>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    // ---- authentication -------------------------------------------------------------------------------------------

    internal static ValueTask<object?> AuthenticateKiosk(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var register = http.RequestServices.GetRequiredService<KioskRegister>();
        var result = register.Authenticate(http.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null);
        switch (result.Outcome)
        {
            case KioskAuthOutcome.Authenticated:
                http.Items[KioskItem] = result;
                return next(context);
            case KioskAuthOutcome.Revoked:
                return ValueTask.FromResult<object?>(Problem(StatusCodes.Status403Forbidden, "Kiosk revoked",
                    "This kiosk was revoked by an operator; its sync calls are refused."));
            default:
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"kiosk-sync\"";
                return ValueTask.FromResult<object?>(Problem(StatusCodes.Status401Unauthorized, "Kiosk not authenticated",
                    "Send Authorization: Bearer <kioskId>.<credential> with the credential from POST /api/sync/enroll or provisioning."));
        }
    }

    internal static ValueTask<object?> AuthenticateOperator(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = http.RequestServices.GetRequiredService<IOptions<OperatorOptions>>().Value.Token;
        if (string.IsNullOrWhiteSpace(token))
            return ValueTask.FromResult<object?>(Problem(StatusCodes.Status403Forbidden, "Operator endpoints disabled",
                "Operators:Token (environment Operators__Token) is not set."));
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || !SyncSecrets.SecretEquals(header["Bearer ".Length..].Trim(), token))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"operators\"";
            return ValueTask.FromResult<object?>(Problem(StatusCodes.Status401Unauthorized, "Operator not authenticated",
                "Send Authorization: Bearer <Operators:Token>."));
        }
        return next(context);
    }

    /// <summary>The fleet's check, also used by <c>/metrics</c> (Operators/OperatorPages.cs): Bearer Operators:Token or Monitoring:Token, compared in constant time.</summary>
    internal static ValueTask<object?> AuthenticateOperatorOrMonitoring(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        string?[] tokens =
        [
            http.RequestServices.GetRequiredService<IOptions<OperatorOptions>>().Value.Token,
            http.RequestServices.GetRequiredService<IOptions<MonitoringOptions>>().Value.Token,
        ];
        var configured = tokens.Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        if (configured.Count == 0)
            return ValueTask.FromResult<object?>(Problem(StatusCodes.Status403Forbidden, "Monitoring disabled",
                "Neither Operators:Token nor Monitoring:Token is set."));
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        // Compare with every configured token (no early exit), so the time taken does not say which one came close.
        var ok = false;
        foreach (var token in configured) ok |= SyncSecrets.SecretEquals(presented, token!);
        if (ok) return next(context);
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"monitoring\"";
        return ValueTask.FromResult<object?>(Problem(StatusCodes.Status401Unauthorized, "Not authenticated",
            "Send Authorization: Bearer <Operators:Token> or Bearer <Monitoring:Token>."));
    }

    internal static KioskAuthResult Kiosk(HttpContext http) => (KioskAuthResult)http.Items[KioskItem]!;

    /// <summary>The kiosk the authentication filter let through (for endpoints of the kiosk group mapped elsewhere).</summary>
    internal static KioskAuthResult AuthenticatedKiosk(HttpContext http) => Kiosk(http);

    // ---- kiosk endpoints ------------------------------------------------------------------------------------------

    private static async Task<IResult> Enroll(HttpContext http, KioskRegister register, IOptions<JsonOptions> json)
    {
        var (body, error) = await ReadJsonAsync<EnrollRequest>(http, MaxSmallBody, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (!KioskRegister.IsValidKioskId(body!.KioskId) || string.IsNullOrWhiteSpace(body.EnrollmentCode) || body.EnrollmentCode.Length > 64)
            return Problem(StatusCodes.Status400BadRequest, "Bad enrollment", "kioskId and enrollmentCode are required.");
        var credential = register.Enroll(body.KioskId!, body.EnrollmentCode);
        return credential is null
            ? Problem(StatusCodes.Status401Unauthorized, "Enrollment refused", "Unknown or revoked kiosk, or a wrong, used or expired enrollment code.")
            : Results.Ok(new EnrollAnswer(body.KioskId!, credential));
    }

    private static async Task<IResult> Push(HttpContext http, IntakeService intake, IOptions<IntakeOptions> options, IOptions<JsonOptions> json, TimeProvider time)
    {
        var kiosk = Kiosk(http);
        var (body, error) = await ReadJsonAsync<PushRequest>(http, options.Value.MaxPushBytes, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (body!.Envelopes is not { } envelopes)
            return Problem(StatusCodes.Status400BadRequest, "Bad push", "The body must be {\"envelopes\": [...]}.");
        if (envelopes.Count > options.Value.MaxBatch)
            return Problem(StatusCodes.Status400BadRequest, "Batch too large", $"At most {options.Value.MaxBatch} envelopes per push.");
        var answers = intake.Push(kiosk.KioskId!, kiosk.ClockSkewSeconds, envelopes);
        http.RequestServices.GetService<Kiosk.Central.Operators.CentralMetrics>()?.CountDuplicates(answers);
        return Results.Ok(new PushAnswer(answers, time.GetUtcNow()));
    }

    private static async Task<IResult> Heartbeat(HttpContext http, Fleet fleet, IOptions<JsonOptions> json)
    {
        var kiosk = Kiosk(http);
        var (body, error) = await ReadJsonAsync<HeartbeatRequest>(http, MaxSmallBody, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (body!.OutboxDepth < 0 || body.OldestPendingSeconds < 0 || body.DeadLetters < 0 || body.FreeDiskBytes < 0
            || body.Version is { Length: > Fleet.MaxVersionLength })
            return Problem(StatusCodes.Status400BadRequest, "Bad heartbeat", "Counts cannot be negative; version is at most 64 characters.");
        return Results.Ok(fleet.Record(kiosk.KioskId!, body));
    }

    private static async Task<IResult> Decisions(
        HttpContext http, SqliteDatabase db, IOptions<IntakeOptions> options, Kiosk.Central.Slips.DecisionSlips slips,
        [FromQuery, Description("The cursor from the previous answer's 'next'; omit or 0 for the beginning")] string? since)
    {
        var kiosk = Kiosk(http);
        long cursor = 0;
        if (!string.IsNullOrEmpty(since) && (!long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out cursor) || cursor < 0))
            return Problem(StatusCodes.Status400BadRequest, "Bad cursor", "'since' must be a cursor from an earlier answer.");
        var limit = options.Value.DecisionsPageSize;
        await using var c = db.Open();
        var rows = (await c.QueryAsync<DecisionRow>("""
            SELECT request_id AS RequestId, registration_number AS RegistrationNumber, kind AS Kind, status AS Status, reason AS Reason,
                   visit_date AS VisitDate, visit_from AS VisitFrom, visit_to AS VisitTo, decided_at AS DecidedAt, decision_seq AS Seq,
                   alternatives AS Alternatives
            FROM requests WHERE kiosk_id = @kioskId AND decision_seq > @cursor
            ORDER BY decision_seq LIMIT @take
            """, new { kioskId = kiosk.KioskId, cursor, take = limit + 1 })).ToList();
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        var decisions = rows.Select(r => new DecisionDto(
            r.RequestId, r.RegistrationNumber, r.Kind, r.Status, r.Reason,
            r.Reason is { } code && RefusalReasons.Has(code)
                ? new ReasonMessages(RefusalReasons.For(code, "kk"), RefusalReasons.For(code, "ru"), RefusalReasons.For(code, "en"))
                : null,
            r.VisitDate is { } d ? new VisitWindow(d, r.VisitFrom!, r.VisitTo!) : null,
            DateTimeOffset.Parse(r.DecidedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            slips.TokenFor(c, r.RequestId),
            r.Alternatives is { } alternatives ? JsonSerializer.Deserialize<List<AlternativeSlot>>(alternatives, IntakeService.AlternativesJson) : null)).ToList();
        var next = rows.Count > 0 ? rows[^1].Seq : cursor;
        return Results.Ok(new DecisionsAnswer(decisions, next.ToString(CultureInfo.InvariantCulture), more));
    }

    private sealed record DecisionRow(
        string RequestId, string RegistrationNumber, string Kind, string Status, string? Reason, string? VisitDate, string? VisitFrom,
        string? VisitTo, string DecidedAt, long Seq, string? Alternatives);

    // ---- operator endpoints ---------------------------------------------------------------------------------------

    private static async Task<IResult> CreateKiosk(HttpContext http, KioskRegister register, IOptions<JsonOptions> json)
    {
        var (body, error) = await ReadJsonAsync<CreateKioskRequest>(http, MaxSmallBody, json.Value.SerializerOptions);
        if (error is not null) return error;
        var name = body!.Name?.Trim();
        if (!KioskRegister.IsValidKioskId(body.KioskId) || string.IsNullOrEmpty(name) || name.Length > 200 || name.Any(char.IsControl))
            return Problem(StatusCodes.Status400BadRequest, "Bad kiosk",
                "kioskId: 1–64 of A-Z a-z 0-9 . _ - starting with a letter or digit; name: 1–200 characters.");
        if (body.ClinicId is <= 0) return Problem(StatusCodes.Status400BadRequest, "Bad clinic", "clinicId must be the id of a clinic.");
        var (outcome, code) = register.Create(body.KioskId!, name, body.ClinicId);
        return outcome == CreateKioskOutcome.Created
            ? Results.Json(new EnrollmentCodeAnswer(body.KioskId!, code!.Code, code.ExpiresAt), statusCode: StatusCodes.Status201Created)
            : Problem(StatusCodes.Status409Conflict, "Kiosk exists", "A kiosk with this id exists; POST /api/kiosks/{id}/enrollment-code gives it a new code.");
    }

    private static async Task<IResult> SetClinic(string id, HttpContext http, KioskRegister register, IOptions<JsonOptions> json)
    {
        var (body, error) = await ReadJsonAsync<SetClinicRequest>(http, MaxSmallBody, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (body!.ClinicId is not > 0) return Problem(StatusCodes.Status400BadRequest, "Bad clinic", "clinicId must be the id of a clinic.");
        return register.SetClinic(id, body.ClinicId.Value) == CreateKioskOutcome.Created
            ? Results.NoContent()
            : Problem(StatusCodes.Status404NotFound, "No such kiosk or clinic", "No kiosk has this id, or no clinic has that id.");
    }

    private static IResult NewCode(string id, KioskRegister register)
    {
        var (outcome, code) = register.NewCode(id);
        return outcome switch
        {
            CreateKioskOutcome.Created => Results.Ok(new EnrollmentCodeAnswer(id, code!.Code, code.ExpiresAt)),
            CreateKioskOutcome.Revoked => Problem(StatusCodes.Status409Conflict, "Kiosk revoked", "A revoked kiosk is not enrolled again."),
            _ => Problem(StatusCodes.Status404NotFound, "No such kiosk", "No kiosk has this id."),
        };
    }

    private static IResult Revoke(string id, KioskRegister register) =>
        register.Revoke(id) ? Results.NoContent() : Problem(StatusCodes.Status404NotFound, "No such kiosk", "No kiosk has this id.");

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);

    /// <summary>Reads a JSON body of at most <paramref name="limit"/> bytes (413 beyond, counted as read; 415 for another type; 400 when not the JSON expected).</summary>
    internal static async Task<(T? Body, IResult? Error)> ReadJsonAsync<T>(HttpContext http, int limit, JsonSerializerOptions json) where T : class
    {
        var request = http.Request;
        if (!request.HasJsonContentType())
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "Send application/json."));
        if (request.ContentLength is { } length && length > limit)
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"At most {limit} bytes."));
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(chunk, http.RequestAborted);
                if (read == 0) break;
                if (buffer.Length + read > limit)
                    return (null, Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"At most {limit} bytes."));
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            return (null, Problem(e.StatusCode, "The request body could not be read", "The body could not be read."));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return (null, Results.Empty); // the client went away
        }
        try
        {
            var body = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), json);
            return body is null ? (null, Problem(StatusCodes.Status400BadRequest, "Bad JSON", "The body is not the JSON object expected.")) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Bad JSON", $"The body is not the JSON object expected ({e.Path})."));
        }
    }
}

/// <summary>At start: provisions kiosks from configuration and says whether the operator endpoints are enabled.</summary>
public sealed partial class SyncStartupService(
    KioskRegister register, IConfiguration configuration, IOptions<OperatorOptions> operators, ILogger<SyncStartupService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The database was prepared in CentralDataService.StartingAsync, before any StartAsync.
        register.Provision(configuration);
        if (string.IsNullOrWhiteSpace(operators.Value.Token)) LogOperatorsDisabled();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Operators:Token is not set (environment Operators__Token): the operator endpoints (kiosk register, journals) answer 403")]
    private partial void LogOperatorsDisabled();
}
