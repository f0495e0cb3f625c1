using System.ComponentModel;
using Dapper;
using Kiosk.Central.Sync;
using Kiosk.Core.Identity;
using Kiosk.Storage;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Desk;

public sealed record RegistryPersonRequest([property: Description("The citizen's IIN as the registrar typed it (12 digits)")] string? Iin);

/// <summary>A person of the population registry (ГБД ФЛ) for the registrar's form.</summary>
/// <param name="Deceased">The registry records a death: then nothing else is sent, and the desk refuses (process 4).</param>
public sealed record RegistryPersonAnswer(
    bool Deceased,
    string? Surname = null,
    string? FirstName = null,
    string? Patronymic = null,
    [property: Description("yyyy-MM-dd")] string? BirthDate = null,
    [property: Description("male or female")] string? Sex = null,
    string? Address = null,
    [property: Description("The registry's district code")] string? District = null,
    [property: Description("The clinic the person is attached to now; null when none")] long? ClinicId = null);

/// <summary>
/// <c>POST /api/sync/registry/person</c> (issue 12 item 2; regulation diagram 2, process 3: "a request to the population
/// registry through the e-government gateway"): the person a registrar serves at a clinic's desk, asked live. Only a
/// kiosk node that serves a clinic (its desk) may ask; the IIN travels in the body, never in a URL; the log says only
/// that a look-up happened and what it found.
/// </summary>
public static partial class DeskRegistry
{
    private const int MaxBody = 4 * 1024;

    /// <param name="kiosk">The kiosk-authenticated group under <c>/api/sync</c>.</param>
    public static RouteGroupBuilder MapDeskRegistry(this RouteGroupBuilder kiosk)
    {
        kiosk.MapPost("/registry/person", Person)
            .WithName("RegistryPerson")
            .WithSummary("The population registry's record of a citizen served at the clinic's desk")
            .WithDescription("For kiosk nodes linked to a clinic (their registrars' desk). 200: found (deceased: true and nothing else when the registry records a death); " +
                             "404: not in the registry; 400: not an IIN; 403: the kiosk serves no clinic.")
            .Produces<RegistryPersonAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return kiosk;
    }

    private static async Task<IResult> Person(HttpContext http, SqliteDatabase db, ILoggerFactory loggers, IOptions<JsonOptions> json)
    {
        var logger = loggers.CreateLogger(typeof(DeskRegistry).FullName!);
        var kioskId = SyncEndpoints.Kiosk(http).KioskId!;
        var (body, error) = await SyncEndpoints.ReadJsonAsync<RegistryPersonRequest>(http, MaxBody, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (!Iin.TryParse(body!.Iin, out var iin))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad IIN", detail: "'iin' must be a valid 12-digit IIN.");
        await using var c = db.Open();
        if (await c.ExecuteScalarAsync<long?>("SELECT clinic_id FROM kiosks WHERE kiosk_id = @kioskId", new { kioskId }) is null)
        {
            LogNoClinic(logger, kioskId);
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No desk",
                detail: "This kiosk serves no clinic, so it has no registrars' desk: POST /api/kiosks/{id}/clinic links it to one.");
        }
        var row = await c.QuerySingleOrDefaultAsync<(string Surname, string FirstName, string? Patronymic, string Sex, string BirthDate, string District,
            string Address, string? DeceasedOn, long? ClinicId)?>("""
            SELECT p.surname, p.first_name, p.patronymic, p.sex, p.birth_date, p.district, p.address, p.deceased_on, a.clinic_id
            FROM persons p LEFT JOIN attachments a ON a.iin = p.iin AND a.detached_on IS NULL
            WHERE p.iin = @iin
            """, new { iin = iin.Value });
        LogLookup(logger, kioskId, row is null ? "not-found" : row.Value.DeceasedOn is not null ? "deceased" : "found");
        if (row is not { } p)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not in the registry", detail: "The population registry has no person with this IIN.");
        if (p.DeceasedOn is not null) return Results.Ok(new RegistryPersonAnswer(true));
        return Results.Ok(new RegistryPersonAnswer(false, p.Surname, p.FirstName, p.Patronymic, p.BirthDate, p.Sex, p.Address, p.District, p.ClinicId));
    }

    // Never the IIN or anything of the person: what was found, and for which kiosk.
    [LoggerMessage(LogLevel.Information, "Kiosk {KioskId} looked up a person for its desk: {Outcome}")]
    private static partial void LogLookup(ILogger logger, string kioskId, string outcome);

    [LoggerMessage(LogLevel.Warning, "Kiosk {KioskId} asked for a person for a desk, but serves no clinic")]
    private static partial void LogNoClinic(ILogger logger, string kioskId);
}
