using System.Globalization;
using Dapper;
using Kiosk.Central.Sync;
using Kiosk.Core.Services;
using Kiosk.Core.Slips;
using Kiosk.Storage;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Slips;

/// <summary>Asks Central to check a slip token: the token alone, or the whole text of the QR code (URL and all).</summary>
public sealed record SlipVerifyRequest(string? Token);

/// <param name="Valid">True when the signature, the key and the claims all check out.</param>
/// <param name="Kind">receipt, result or refusal (from the claims; null when they could not be read).</param>
/// <param name="Claims">What the slip says, once its signature verified.</param>
/// <param name="Problems">Why it is not genuine: bad-signature, unknown-key, revoked-key, wrong-issuer, malformed, too-large.</param>
/// <param name="Current">What Central knows of the request now (null when it has not received it).</param>
/// <param name="Details">Names for the ids and codes in the claims, in kk/ru/en, for a person.</param>
public sealed record SlipVerifyAnswer(
    bool Valid, string? Kind, SlipClaims? Claims, IReadOnlyList<string> Problems, string? Kid, SlipCurrentState? Current, SlipDetails? Details);

/// <param name="Status">registered, accepted or refused.</param>
/// <param name="Newer">True when Central's decision differs from what the slip states: the slip is out of date.</param>
public sealed record SlipCurrentState(string Status, string RegistrationNumber, DateTimeOffset? DecidedAt, string? Reason, bool Newer);

public sealed record Texts(string Kk, string Ru, string En);

public sealed record SlipDetails(Texts? Clinic, string? ClinicAddress, string? Doctor, string? DoctorSpeciality, Texts? Reason);

public sealed record DeviceKeyRequest(SlipJwk? Jwk);

public sealed record DeviceKeyAnswer(string Kid, bool Recorded);

public sealed record RotateKeyRequest(DateTimeOffset? SignsFrom);

/// <summary>
/// Slips on Central (issue 6; docs/slips.md): the issuers' public keys at <c>/.well-known/jwks.json</c>, the public
/// check <c>POST /api/slips/verify</c> and page <c>/verify</c>, kiosks' device keys, and the operators' key rotation.
/// The public parts answer any origin (CORS <c>*</c>): they hold nothing secret and take no credentials.
/// </summary>
public static partial class SlipEndpoints
{
    private const int MaxVerifyBody = 8 * 1024;

    public static IServiceCollection AddSlips(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SlipOptions>()
            .Bind(configuration.GetSection(SlipOptions.Section))
            .Validate(o => o.KeyRelevance > TimeSpan.Zero, "Slips:KeyRelevance must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SlipKeyring>();
        services.AddSingleton<DecisionSlips>();
        services.AddHostedService<SlipKeysStartup>();
        return services;
    }

    public static IEndpointRouteBuilder MapSlips(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwks.json", (HttpContext http, SlipKeyring keys) =>
            {
                OpenToAnyOrigin(http);
                http.Response.Headers.CacheControl = "public, max-age=300";
                return Results.Text(keys.Published().ToJson(), "application/jwk-set+json");
            })
            .WithTags("Slips")
            .WithName("SlipKeys")
            .WithSummary("The public keys that sign slips (JWK Set)")
            .WithDescription("ES256 keys, kid = RFC 7638 thumbprint; each key names its holder in the extra member 'issuer' (provider or kiosk:<id>). " +
                             "'revoked' lists the kids of withdrawn keys and revoked kiosks' keys. Any origin may read it.")
            .Produces<SlipJwkSet>(contentType: "application/jwk-set+json");

        var slips = app.MapGroup("/api/slips").WithTags("Slips").DisableAntiforgery();
        slips.MapPost("/verify", Verify)
            .WithName("VerifySlip")
            .WithSummary("Check a slip's token")
            .WithDescription("Body {\"token\": \"…\"}: the token, or the whole text of the QR code (the verification URL with the token after '#'). " +
                             "200 with valid, kind, claims, problems (bad-signature, unknown-key, revoked-key, wrong-issuer, malformed, too-large) and, when Central " +
                             "knows the request, its current state ('newer' when Central's decision differs from the slip). 400: not JSON; 413: over 8 KiB.")
            .Accepts<SlipVerifyRequest>("application/json")
            .Produces<SlipVerifyAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        slips.MapMethods("/verify", ["OPTIONS"], (HttpContext http) =>
        {
            OpenToAnyOrigin(http);
            http.Response.Headers.AccessControlAllowMethods = "POST";
            http.Response.Headers.AccessControlAllowHeaders = "Content-Type";
            http.Response.Headers.AccessControlMaxAge = "86400";
            return Results.NoContent();
        }).ExcludeFromDescription();

        app.MapPut("/api/sync/device-key", RecordDeviceKey)
            .WithTags("Sync (kiosk ⇄ Central)")
            .WithName("RecordDeviceKey")
            .WithSummary("A kiosk records the public half of its device key, which signs its receipts")
            .WithDescription("Authorization: Bearer <kioskId>.<credential>. Body {\"jwk\": {P-256 public JWK with kid = its RFC 7638 thumbprint}}. " +
                             "200: recorded (or known already); 400: not a P-256 key or kid mismatch; 401/403 as for push; 409: the key is another issuer's.")
            .Accepts<DeviceKeyRequest>("application/json")
            .Produces<DeviceKeyAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .DisableAntiforgery()
            .AddEndpointFilter(SyncEndpoints.AuthenticateKiosk);

        app.MapPost("/api/slips/keys/rotate", Rotate)
            .WithTags("Operators")
            .WithName("RotateSlipKey")
            .WithSummary("A new provider key for slips")
            .WithDescription("Authorization: Bearer <Operators:Token>. Body {\"signsFrom\": instant} (optional, default now): the new key is published at once and " +
                             "signs from then on; the key it replaces stays published for Slips:KeyRelevance.")
            .Accepts<RotateKeyRequest>("application/json")
            .Produces<SlipJwk>()
            .DisableAntiforgery()
            .AddEndpointFilter(SyncEndpoints.AuthenticateOperator);

        MapVerifyPage(app);
        return app;
    }

    private static async Task<IResult> Verify(HttpContext http, SlipKeyring keys, SqliteDatabase db, IOptions<JsonOptions> json, ILoggerFactory logs)
    {
        OpenToAnyOrigin(http);
        var (body, error) = await SyncEndpoints.ReadJsonAsync<SlipVerifyRequest>(http, MaxVerifyBody, json.Value.SerializerOptions);
        if (error is not null) return error;
        var result = SlipToken.Verify(body!.Token ?? "", keys.Published());
        // The kid is a key's public thumbprint, the problem a code: nothing personal in the log.
        logs.CreateLogger("Kiosk.Central.Slips.Verify").LogInformation(
            "Slip check: {Valid} {Problem} key {Kid}", result.Valid, result.Problems.FirstOrDefault() ?? "none", result.Kid ?? "-");
        if (!result.Valid)
            return Results.Ok(new SlipVerifyAnswer(false, result.Kind, null, result.Problems, result.Kid, null, null));

        var claims = result.Claims!;
        await using var c = db.Open();
        var current = await c.QuerySingleOrDefaultAsync<(string Status, string RegistrationNumber, string? DecidedAt, string? Reason)?>("""
            SELECT status, registration_number, decided_at, reason FROM requests WHERE request_id = @id
            """, new { id = claims.RequestId });
        var state = current is { } r
            ? new SlipCurrentState(r.Status, r.RegistrationNumber,
                r.DecidedAt is { } d ? DateTimeOffset.Parse(d, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null,
                r.Reason, Newer: r.Status is "accepted" or "refused" && r.Status != claims.Decision)
            : null;
        return Results.Ok(new SlipVerifyAnswer(true, claims.Kind, claims, [], result.Kid, state, await DetailsAsync(c, claims)));
    }

    private static async Task<SlipDetails> DetailsAsync(Microsoft.Data.Sqlite.SqliteConnection c, SlipClaims claims)
    {
        var clinic = claims.ClinicId is { } clinicId
            ? await c.QuerySingleOrDefaultAsync<(string Kk, string Ru, string En, string Address)?>(
                "SELECT name_kk, name_ru, name_en, address FROM clinics WHERE id = @clinicId", new { clinicId })
            : null;
        var doctor = claims.DoctorId is { } doctorId
            ? await c.QuerySingleOrDefaultAsync<(string Surname, string FirstName, string? Patronymic, string Speciality)?>(
                "SELECT surname, first_name, patronymic, speciality FROM doctors WHERE id = @doctorId", new { doctorId })
            : null;
        var reason = claims.Reason is { } code && RefusalReasons.Has(code)
            ? new Texts(RefusalReasons.For(code, "kk"), RefusalReasons.For(code, "ru"), RefusalReasons.For(code, "en"))
            : null;
        return new SlipDetails(
            clinic is { } k ? new Texts(k.Kk, k.Ru, k.En) : null, clinic?.Address,
            doctor is { } d ? string.Join(' ', new[] { d.Surname, d.FirstName, d.Patronymic }.Where(p => !string.IsNullOrEmpty(p))) : null,
            doctor?.Speciality, reason);
    }

    private static async Task<IResult> RecordDeviceKey(HttpContext http, SlipKeyring keys, IOptions<JsonOptions> json)
    {
        var kiosk = SyncEndpoints.Kiosk(http);
        var (body, error) = await SyncEndpoints.ReadJsonAsync<DeviceKeyRequest>(http, 4 * 1024, json.Value.SerializerOptions);
        if (error is not null) return error;
        using var key = body!.Jwk?.ToPublicKey();
        if (key is null)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad key",
                detail: "jwk must be a P-256 public key (kty EC, crv P-256, x, y) whose kid is its RFC 7638 thumbprint.");
        return keys.RecordKioskKey(kiosk.KioskId!, body.Jwk!) switch
        {
            KioskKeyOutcome.TakenByAnother => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Key taken",
                detail: "This key is recorded for another issuer."),
            var outcome => Results.Ok(new DeviceKeyAnswer(body.Jwk!.Kid, outcome == KioskKeyOutcome.Recorded)),
        };
    }

    private static async Task<IResult> Rotate(HttpContext http, SlipKeyring keys, TimeProvider time, IOptions<JsonOptions> json)
    {
        var signsFrom = time.GetUtcNow();
        if (http.Request.HasJsonContentType())
        {
            var (body, error) = await SyncEndpoints.ReadJsonAsync<RotateKeyRequest>(http, 1024, json.Value.SerializerOptions);
            if (error is not null) return error;
            if (body!.SignsFrom is { } at) signsFrom = at.ToUniversalTime();
        }
        return Results.Ok(keys.Rotate(signsFrom));
    }

    private static void OpenToAnyOrigin(HttpContext http) => http.Response.Headers.AccessControlAllowOrigin = "*";
}

public static partial class SlipEndpoints
{
    private static readonly string[] PageFiles = ["verify.html", "verify.js", "verify.css"];

    /// <summary>The public verification page: static files embedded in Central, nothing from elsewhere.</summary>
    private static void MapVerifyPage(IEndpointRouteBuilder app)
    {
        var files = PageFiles.ToDictionary(f => f, ReadPageFile);
        app.MapGet("/verify", (HttpContext http) => PageFile(http, files["verify.html"], "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/verify/verify.js", (HttpContext http) => PageFile(http, files["verify.js"], "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/verify/verify.css", (HttpContext http) => PageFile(http, files["verify.css"], "text/css; charset=utf-8")).ExcludeFromDescription();
    }

    private static IResult PageFile(HttpContext http, byte[] content, string type)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Bytes(content, type);
    }

    private static byte[] ReadPageFile(string name)
    {
        using var stream = typeof(SlipEndpoints).Assembly.GetManifestResourceStream("Kiosk.Central.Slips.VerifyPage." + name)
            ?? throw new InvalidOperationException($"The verification page's {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>At start: the provider's slip key exists (made on first start) before the JWKS is asked for.</summary>
public sealed class SlipKeysStartup(SlipKeyring keys) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The database was prepared in CentralDataService.StartingAsync, before any StartAsync.
        keys.ProviderSigner();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
