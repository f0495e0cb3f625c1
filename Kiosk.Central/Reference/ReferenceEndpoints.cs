using Kiosk.Core.Time;
using System.Globalization;
using Dapper;
using Kiosk.Central.Schedule;
using Kiosk.Storage;

namespace Kiosk.Central.Reference;

public sealed record LocalizedText(string Ru, string Kk, string En);

public sealed record DistrictDto(string Code, LocalizedText Name);

/// <summary>Opening hours on one weekday: 0 = Sunday … 6 = Saturday; local Astana clock times "HH:mm".</summary>
public sealed record OpeningHoursDto(int Weekday, string Day, string Opens, string Closes);

public sealed record ClinicDto(
    long Id, LocalizedText Name, string Address, IReadOnlyList<DistrictDto> Districts, IReadOnlyList<OpeningHoursDto> Hours,
    long AttachedCount);

public sealed record ClinicsDto(long Version, string TimeZone, IReadOnlyList<ClinicDto> Clinics);

public sealed record DoctorDto(
    long Id, long ClinicId, string Surname, string FirstName, string? Patronymic, string Speciality, int SlotMinutes, string Room);

public sealed record DoctorsDto(long ClinicId, IReadOnlyList<DoctorDto> Doctors);

/// <summary>A free slot: instants in UTC, and the local Astana date and time a kiosk shows.</summary>
public sealed record SlotDto(long Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string LocalDate, string LocalTime);

public sealed record SlotsDto(long DoctorId, string From, int Days, string TimeZone, IReadOnlyList<SlotDto> Slots);

public sealed record ReferenceVersionDto(long Version, DateTimeOffset? ChangedAt);

/// <summary>
/// Public reference data under <c>/api/reference</c>: clinics with their districts and hours, doctors, free slots and
/// the reference version. No personal data: ids in URLs are clinic, doctor and slot ids only.
/// </summary>
public static class ReferenceEndpoints
{
    public const int MaxDays = 31;

    public static IEndpointRouteBuilder MapReferenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reference");
        api.MapGet("/version", GetVersion);
        api.MapGet("/clinics", GetClinics);
        api.MapGet("/clinics/{id:long}", GetClinic);
        api.MapGet("/clinics/{id:long}/doctors", GetDoctors);
        api.MapGet("/doctors/{id:long}/slots", GetFreeSlots);
        return app;
    }

    private static async Task<ReferenceVersionDto> GetVersion(SqliteDatabase db)
    {
        await using var c = db.Open();
        var rows = await c.QueryAsync<(long Version, string CreatedAt)>(
            "SELECT version, created_at FROM reference_versions ORDER BY version DESC LIMIT 1");
        return rows.ToList() is [var r] ? new ReferenceVersionDto(r.Version, SlotSchedule.ParseInstant(r.CreatedAt)) : new ReferenceVersionDto(0, null);
    }

    private static async Task<ClinicsDto> GetClinics(SqliteDatabase db) =>
        new(await CurrentVersion(db), AstanaTime.ZoneId, await LoadClinics(db, null));

    private static async Task<IResult> GetClinic(long id, SqliteDatabase db) =>
        await LoadClinics(db, id) is [var clinic] ? Results.Ok(clinic) : UnknownClinic(id);

    private static async Task<IResult> GetDoctors(long id, SqliteDatabase db)
    {
        await using var c = db.Open();
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM clinics WHERE id = @id", new { id }) == 0) return UnknownClinic(id);
        var doctors = (await c.QueryAsync<(long Id, long ClinicId, string Surname, string FirstName, string? Patronymic, string Speciality, long SlotMinutes, string Room)>("""
                SELECT id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room
                FROM doctors WHERE clinic_id = @id ORDER BY id
                """, new { id }))
            .Select(d => new DoctorDto(d.Id, d.ClinicId, d.Surname, d.FirstName, d.Patronymic, d.Speciality, (int)d.SlotMinutes, d.Room))
            .ToList();
        return Results.Ok(new DoctorsDto(id, doctors));
    }

    /// <summary>
    /// Free slots of a doctor on the local dates <c>from</c> … <c>from + days − 1</c> (default: today, 14 days):
    /// slots that no booking holds and that have not started yet.
    /// </summary>
    private static async Task<IResult> GetFreeSlots(long id, string? from, string? days, SqliteDatabase db, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        var first = AstanaTime.Today(time);
        if (from is not null && !DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first))
            errors["from"] = ["Expected a date as YYYY-MM-DD."];
        var count = SlotSchedule.HorizonDays;
        if (days is not null && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxDays))
            errors["days"] = [$"Expected a whole number of days from 1 to {MaxDays}."];
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Bad query parameters.");

        await using var c = db.Open();
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM doctors WHERE id = @id", new { id }) == 0)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown doctor.", detail: $"There is no doctor with id {id}.");

        var rows = await c.QueryAsync<(long Id, string StartsAt, string EndsAt)>("""
            SELECT s.id, s.starts_at, s.ends_at
            FROM slots s
            WHERE s.doctor_id = @id AND s.starts_at >= @start AND s.starts_at < @end AND s.starts_at > @now
              AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id)
            ORDER BY s.starts_at
            """, new
        {
            id,
            start = DapperTypeHandlers.Format(AstanaTime.StartOfDay(first)),
            end = DapperTypeHandlers.Format(AstanaTime.StartOfDay(first.AddDays(count))),
            now = DapperTypeHandlers.Format(time.GetUtcNow()),
        });
        var slots = rows.Select(r =>
        {
            var starts = SlotSchedule.ParseInstant(r.StartsAt);
            var local = AstanaTime.ToLocal(starts);
            return new SlotDto(r.Id, starts, SlotSchedule.ParseInstant(r.EndsAt),
                local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), local.ToString("HH:mm", CultureInfo.InvariantCulture));
        }).ToList();
        return Results.Ok(new SlotsDto(id, first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), count, AstanaTime.ZoneId, slots));
    }

    private static IResult UnknownClinic(long id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown clinic.", detail: $"There is no clinic with id {id}.");

    private static async Task<long> CurrentVersion(SqliteDatabase db)
    {
        await using var c = db.Open();
        return await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM reference_versions");
    }

    private static async Task<List<ClinicDto>> LoadClinics(SqliteDatabase db, long? onlyId)
    {
        await using var c = db.Open();
        var filter = new { onlyId };
        var clinics = await c.QueryAsync<(long Id, string NameRu, string NameKk, string NameEn, string Address)>(
            "SELECT id, name_ru, name_kk, name_en, address FROM clinics WHERE @onlyId IS NULL OR id = @onlyId ORDER BY id", filter);
        var districts = (await c.QueryAsync<(long ClinicId, string Code, string NameRu, string NameKk, string NameEn)>("""
                SELECT cd.clinic_id, d.code, d.name_ru, d.name_kk, d.name_en
                FROM clinic_districts cd JOIN districts d ON d.code = cd.district
                WHERE @onlyId IS NULL OR cd.clinic_id = @onlyId
                ORDER BY cd.clinic_id, d.code
                """, filter))
            .ToLookup(r => r.ClinicId, r => new DistrictDto(r.Code, new LocalizedText(r.NameRu, r.NameKk, r.NameEn)));
        var hours = (await c.QueryAsync<(long ClinicId, long Weekday, string Opens, string Closes)>("""
                SELECT clinic_id, weekday, opens, closes FROM clinic_hours
                WHERE @onlyId IS NULL OR clinic_id = @onlyId
                ORDER BY clinic_id, weekday
                """, filter))
            .ToLookup(r => r.ClinicId, r => new OpeningHoursDto(
                (int)r.Weekday, ((DayOfWeek)r.Weekday).ToString().ToLowerInvariant(), r.Opens, r.Closes));
        var attached = (await c.QueryAsync<(long ClinicId, long Count)>("""
                SELECT clinic_id, COUNT(*) FROM attachments
                WHERE detached_on IS NULL AND (@onlyId IS NULL OR clinic_id = @onlyId)
                GROUP BY clinic_id
                """, filter))
            .ToDictionary(r => r.ClinicId, r => r.Count);
        return clinics.Select(k => new ClinicDto(k.Id, new LocalizedText(k.NameRu, k.NameKk, k.NameEn), k.Address,
                districts[k.Id].ToList(), hours[k.Id].ToList(), attached.GetValueOrDefault(k.Id)))
            .ToList();
    }
}
