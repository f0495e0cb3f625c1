using System.ComponentModel;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Kiosk.Central.Sync;
using Kiosk.Core.Staff;
using Kiosk.Storage;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Staff;

/// <summary>The clinic a kiosk serves, as <c>GET /api/sync/staff</c> tells it.</summary>
public sealed record KioskClinic(
    [property: Description("The clinic's id in the reference data")] long Id,
    [property: Description("The clinic's BIN; null when Central does not know it")] string? Bin);

/// <summary>One account a kiosk node may let sign in.</summary>
public sealed record KioskStaffAccount(
    [property: Description("The person's IIN: what they sign in with")] string Iin,
    [property: Description("Surname and name, for the staff pages' header")] string Name,
    [property: Description("The organisation (BIN) they work for")] string Bin,
    [property: Description("registrar and/or operator")] IReadOnlyList<string> Roles,
    [property: Description("ASP.NET Core Identity PasswordHasher hash; null when disabled")] string? PasswordHash,
    [property: Description("Disabled: no sign-in, and sessions end")] bool Disabled);

/// <param name="Clinic">The kiosk's clinic; null when none is set at Central (then only the provider's operators).</param>
public sealed record KioskStaffAnswer(KioskClinic? Clinic, string? ProviderBin, IReadOnlyList<KioskStaffAccount> Accounts);

/// <summary>
/// <c>GET /api/sync/staff</c> (issue 12 item 1; docs/staff.md, docs/sync-protocol.md): the staff a kiosk node may let
/// sign in when the network is down — the accounts of its clinic's BIN and the provider's operators — as a whole list
/// each time (tens of rows), with an ETag so an unchanged list costs a 304. Password hashes travel, never passwords;
/// the node stores them in its SQLite file as Central does. Kiosk-authenticated like every sync call.
/// </summary>
public static partial class StaffSync
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="kiosk">The kiosk-authenticated group under <c>/api/sync</c>.</param>
    public static RouteGroupBuilder MapStaffSync(this RouteGroupBuilder kiosk)
    {
        kiosk.MapGet("/staff", Pull)
            .WithName("PullStaff")
            .WithSummary("The staff accounts this kiosk node may let sign in, and the clinic it serves")
            .WithDescription("Accounts of the kiosk's clinic (its BIN) and the operators of the provider's BIN (Staff:ProviderBin), " +
                             "with PasswordHasher hashes (none for a disabled account). Send the last ETag in If-None-Match: 304 when nothing changed.")
            .Produces<KioskStaffAnswer>()
            .Produces(StatusCodes.Status304NotModified);
        return kiosk;
    }

    private static async Task<IResult> Pull(HttpContext http, SqliteDatabase db, StaffRegister register, IOptions<StaffOptions> options,
        ILoggerFactory logs)
    {
        var kioskId = SyncEndpoints.Kiosk(http).KioskId!;
        var providerBin = options.Value.ProviderBin;
        await using var c = db.Open();
        var clinic = await c.QuerySingleOrDefaultAsync<(long Id, string? Bin)?>("""
            SELECT k.id, k.bin FROM kiosks s JOIN clinics k ON k.id = s.clinic_id WHERE s.kiosk_id = @kioskId
            """, new { kioskId });
        var accounts = register.ForKiosk(c, clinic?.Bin, providerBin)
            .Select(a => new KioskStaffAccount(a.Iin.Value, a.Name, a.Organisation.Value, a.Roles.ToList(), a.PasswordHash, a.Disabled))
            .ToList();
        var answer = new KioskStaffAnswer(clinic is { } k ? new KioskClinic(k.Id, k.Bin) : null, providerBin, accounts);
        var body = JsonSerializer.SerializeToUtf8Bytes(answer, Json);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..32] + "\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "no-store";
        if (http.Request.Headers.IfNoneMatch.ToString() == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        LogServed(logs.CreateLogger("Kiosk.Central.Staff.StaffSync"), kioskId, accounts.Count, clinic?.Id);
        return Results.Bytes(body, "application/json");
    }

    [LoggerMessage(LogLevel.Information, "Kiosk {KioskId} pulled its staff list: {Count} accounts (clinic {ClinicId})")]
    private static partial void LogServed(ILogger logger, string kioskId, int count, long? clinicId);
}
