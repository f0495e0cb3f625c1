using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Dapper;
using Kiosk.Central.Eds;
using Kiosk.Central.Schedule;
using Kiosk.Core.Eds;
using Kiosk.Core.Time;
using Kiosk.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Reference;

/// <summary>Configuration section <c>ReferenceSync</c>: the reference pull's page size.</summary>
public sealed class ReferenceSyncOptions
{
    public const string Section = "ReferenceSync";

    /// <summary>Slots per page when the kiosk asks for no <c>limit</c> (and the most it may ask for is <see cref="MaxPageSize"/>).</summary>
    public int PageSize { get; set; } = 2000;

    public int MaxPageSize { get; set; } = 10_000;
}

/// <param name="Since">The version the answer starts after (0: everything; also when the kiosk's version is newer than Central's, e.g. after Central was rebuilt).</param>
/// <param name="Version">The version the kiosk has once it has applied every page of this pull (send it as <c>since</c> next time).</param>
/// <param name="Full">True when <paramref name="Since"/> is 0: the pages hold every current row, not only changes.</param>
/// <param name="Districts">Changed districts (first page only).</param>
/// <param name="Clinics">Changed clinics, each with all its districts and hours (first page only).</param>
/// <param name="Doctors">Changed doctors (first page only).</param>
/// <param name="Slots">Changed slots that have not started yet, by id, at most <c>limit</c> per page.</param>
/// <param name="Served">How many people each clinic serves (its current attachments), for every clinic (first page only): it moves with every attachment, so it is not versioned.</param>
/// <param name="Trust">Central's trust list and CRLs when the kiosk's copy (the <c>trust</c> digest it sent) differs; else null. First page only.</param>
/// <param name="More">True: ask again with <paramref name="Next"/> as <c>cursor</c> (and the same <c>since</c>).</param>
/// <param name="Next">The cursor of the next page, when <paramref name="More"/>.</param>
/// <param name="Notices">Clinic notices (issue 12; docs/notices.md), first page only: when the pull is full or a notice
/// changed in this pull's versions, <em>every</em> notice that is not withdrawn and not over, which replaces the kiosk's
/// set; else null (the kiosk keeps what it has).</param>
public sealed record ReferenceAnswer(
    long Since, long Version, bool Full, string TimeZone,
    IReadOnlyList<ReferenceDistrict> Districts, IReadOnlyList<ReferenceClinic> Clinics, IReadOnlyList<ReferenceDoctor> Doctors,
    IReadOnlyList<ReferenceSlot> Slots,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ClinicServed>? Served,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TrustList? Trust,
    bool More,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Notices.ReferenceNotice>? Notices = null);

public sealed record ReferenceDistrict(string Code, LocalizedText Name, bool InCity, long Version);

/// <summary>A clinic; <paramref name="Districts"/> and <paramref name="Hours"/> are complete (they replace what the kiosk had).</summary>
/// <param name="Hours">Weekly opening hours, 0 = Sunday … 6 = Saturday, local Astana clock "HH:mm"; a day without a row is closed.</param>
/// <param name="Website">The clinic's own web site (https), the only place its notices may link to; null when unknown.</param>
public sealed record ReferenceClinic(
    long Id, LocalizedText Name, string Address, string? Phone, IReadOnlyList<string> Districts, IReadOnlyList<ReferenceHours> Hours, long Version,
    string? Website = null);

public sealed record ReferenceHours(int Weekday, string Opens, string Closes);

/// <param name="Speciality"><c>district-therapist</c>, <c>paediatrician</c> or <c>general-practitioner</c>.</param>
public sealed record ReferenceDoctor(
    long Id, long ClinicId, string Surname, string FirstName, string? Patronymic, string Speciality, int SlotMinutes, string Room, long Version);

/// <param name="Booked">Whether a booking holds the slot now (a booking or cancellation gives the slot a new version, so the kiosk hears of it).</param>
public sealed record ReferenceSlot(long Id, long DoctorId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Booked);

public sealed record ClinicServed(long ClinicId, long Served);

/// <param name="Digest">SHA-256 (hex) of the list: send it back as <c>trust</c> to hear of the list only when it changes.</param>
/// <param name="Complete">Always true: these are all the trust anchors, issuing CAs and CRLs Central uses, so a file the kiosk got from an earlier list and that is missing here may go.</param>
public sealed record TrustList(string Digest, bool Complete, IReadOnlyList<TrustFile> Files);

/// <param name="Name">A file name for the kiosk's trust folder: letters, digits, '.', '_', '-', ending .cer or .crl.</param>
/// <param name="Kind"><c>certificate</c> or <c>crl</c>.</param>
/// <param name="Der">Base64 of the DER bytes.</param>
public sealed record TrustFile(string Name, string Kind, string Der);

public sealed record RegistryAddressRequest([property: Description("The signed-in citizen's IIN (12 digits)")] string? Iin);

/// <param name="Address">The address the population registry holds.</param>
/// <param name="District">The registry's district code (see the reference districts).</param>
/// <param name="ClinicId">The clinic the person is attached to now (issue 5: the kiosk's appointment and attachment
/// screens), or null when attached to none.</param>
public sealed record RegistryAddressAnswer(string Address, string District, long? ClinicId = null);

/// <summary>
/// The reference pull and the registry address lookup of the sync protocol (issue 4 items 1 and 4; DESIGN §6;
/// docs/sync-protocol.md): <c>GET /api/sync/reference?since=</c> gives a kiosk every reference row changed after the
/// version it has — districts, clinics with hours, doctors, future slots with a <c>booked</c> flag computed from the
/// bookings now, how many each clinic serves, and Central's trust list and CRLs when they changed — in pages;
/// <c>POST /api/sync/registry/address</c> gives the registry's address of one citizen for the home-call form.
/// Both are mapped on the kiosk-authenticated group of <see cref="Sync.SyncEndpoints"/>.
/// <para>
/// Consistency: the first page fixes the upper version (<c>version</c>, the newest at that moment) and every page
/// selects <c>since &lt; version ≤ upper</c>. A row changed while the kiosk pages gets a version above the upper one,
/// so it is in the next pull; rows are never lost between pulls because a row's version only grows.
/// </para>
/// </summary>
public static partial class ReferenceSync
{
    private const int MaxSmallBody = 1024;

    public static IServiceCollection AddReferenceSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReferenceSyncOptions>()
            .Bind(configuration.GetSection(ReferenceSyncOptions.Section))
            .Validate(o => o.MaxPageSize is > 0 and <= 100_000 && o.PageSize > 0 && o.PageSize <= o.MaxPageSize,
                "ReferenceSync:PageSize must be between 1 and ReferenceSync:MaxPageSize (at most 100000).")
            .ValidateOnStart();
        services.AddSingleton<TrustListSource>();
        return services;
    }

    /// <param name="kiosk">The kiosk-authenticated group under <c>/api/sync</c>.</param>
    public static RouteGroupBuilder MapReferenceSync(this RouteGroupBuilder kiosk)
    {
        kiosk.MapGet("/reference", Pull)
            .WithName("PullReference")
            .WithSummary("Reference data changed after a version: districts, clinics and hours, doctors, future slots, trust list and CRLs")
            .WithDescription("Authorization: Bearer <kioskId>.<credential>. 'since' is the version the kiosk has (0 or omitted: everything). " +
                             "The first page carries districts, clinics (with all their districts and hours), doctors, how many each clinic serves and, " +
                             "when it differs from the 'trust' digest sent, Central's trust list; every page carries up to 'limit' slots that have not started, by id, " +
                             "with 'booked' computed from the bookings now. While 'more' is true, ask again with the same 'since' and 'cursor' = 'next'. " +
                             "Store 'version' (and send it as 'since' next time) only after the last page. " +
                             "'notices' (first page, when the pull is full or a notice changed): every clinic notice not withdrawn and not over, replacing the kiosk's. " +
                             "400: bad since, cursor or limit; 401/403 as for push.")
            .Produces<ReferenceAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        kiosk.MapPost("/registry/address", Address)
            .WithName("RegistryAddress")
            .WithSummary("The population registry's address, district and current clinic of the signed-in citizen (the home-call form, the appointment and attachment screens)")
            .WithDescription("Authorization: Bearer <kioskId>.<credential>. The IIN goes in the body, never in the URL; the kiosk asks only for the citizen " +
                             "signed in at it, and the citizen may correct the address. Nothing personal is logged. " +
                             "'clinicId' is the clinic the person is attached to now, null when none. 200: found; 400: not an IIN; 404: not in the registry; 401/403 as for push.")
            .Accepts<RegistryAddressRequest>("application/json")
            .Produces<RegistryAddressAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return kiosk;
    }

    // ---- GET /api/sync/reference ----------------------------------------------------------------------------------

    private static async Task<IResult> Pull(
        HttpContext http, SqliteDatabase db, TrustListSource trustSource, IOptions<ReferenceSyncOptions> options, TimeProvider time,
        ILoggerFactory loggers,
        [FromQuery, Description("The reference version the kiosk has; omit or 0 for everything")] string? since,
        [FromQuery, Description("The 'next' of the previous page; omit for the first page")] string? cursor,
        [FromQuery, Description("Most slots per page (default ReferenceSync:PageSize)")] string? limit,
        [FromQuery, Description("The trust list digest the kiosk has; 'off' for no trust list")] string? trust)
    {
        var o = options.Value;
        long from = 0;
        if (!string.IsNullOrEmpty(since) && (!long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from < 0))
            return Problem(StatusCodes.Status400BadRequest, "Bad version", "'since' must be a reference version from an earlier answer.");
        var take = o.PageSize;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > o.MaxPageSize))
            return Problem(StatusCodes.Status400BadRequest, "Bad limit", $"'limit' must be from 1 to {o.MaxPageSize}.");
        long upper = 0, afterSlot = 0;
        if (cursor is not null && !TryParseCursor(cursor, out upper, out afterSlot))
            return Problem(StatusCodes.Status400BadRequest, "Bad cursor", "'cursor' must be the 'next' of an earlier page.");

        await using var c = db.Open();
        await using var tx = (Microsoft.Data.Sqlite.SqliteTransaction)await c.BeginTransactionAsync(); // one snapshot for the page
        var current = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM reference_versions", transaction: tx);
        if (from > current) from = 0; // Central was rebuilt: start the kiosk afresh
        var first = cursor is null;
        if (first) upper = current;
        else if (upper < from || upper > current)
            return Problem(StatusCodes.Status400BadRequest, "Bad cursor", "'cursor' does not belong to this 'since'.");
        var range = new { from, upper };

        IReadOnlyList<ReferenceDistrict> districts = [];
        IReadOnlyList<ReferenceClinic> clinics = [];
        IReadOnlyList<ReferenceDoctor> doctors = [];
        IReadOnlyList<ClinicServed>? served = null;
        TrustList? trustList = null;
        IReadOnlyList<Notices.ReferenceNotice>? notices = null;
        if (first && upper > from)
        {
            districts = (await c.QueryAsync<(string Code, string NameRu, string NameKk, string NameEn, long InCity, long Version)>("""
                    SELECT code, name_ru, name_kk, name_en, in_city, version FROM districts
                    WHERE version > @from AND version <= @upper ORDER BY code
                    """, range, tx))
                .Select(d => new ReferenceDistrict(d.Code, new LocalizedText(d.NameRu, d.NameKk, d.NameEn), d.InCity == 1, d.Version))
                .ToList();
            clinics = await Clinics(c, tx, from, upper);
            doctors = (await c.QueryAsync<(long Id, long ClinicId, string Surname, string FirstName, string? Patronymic, string Speciality, long SlotMinutes, string Room, long Version)>("""
                    SELECT id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room, version FROM doctors
                    WHERE version > @from AND version <= @upper ORDER BY id
                    """, range, tx))
                .Select(d => new ReferenceDoctor(d.Id, d.ClinicId, d.Surname, d.FirstName, d.Patronymic, d.Speciality, (int)d.SlotMinutes, d.Room, d.Version))
                .ToList();
        }
        if (first)
        {
            served = (await c.QueryAsync<(long ClinicId, long Served)>("""
                    SELECT k.id, (SELECT COUNT(*) FROM attachments a WHERE a.clinic_id = k.id AND a.detached_on IS NULL)
                    FROM clinics k ORDER BY k.id
                    """, transaction: tx))
                .Select(r => new ClinicServed(r.ClinicId, r.Served)).ToList();
            if (!string.Equals(trust, "off", StringComparison.Ordinal) && trustSource.Current() is { } list && list.Digest != trust)
                trustList = list;
            // Clinic notices (Kiosk.Central/Notices/ReferenceNotice.cs): the whole current set, when it may have changed.
            notices = Notices.ReferenceNotice.ForPull(c, tx, from, upper, time.GetUtcNow());
        }

        var slotRows = upper > from
            ? (await c.QueryAsync<(long Id, long DoctorId, string StartsAt, string EndsAt, long Booked)>("""
                    SELECT s.id, s.doctor_id, s.starts_at, s.ends_at, EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id)
                    FROM slots s
                    WHERE s.version > @from AND s.version <= @upper AND s.id > @afterSlot AND s.starts_at > @now
                    ORDER BY s.id LIMIT @take
                    """, new { from, upper, afterSlot, now = DapperTypeHandlers.Format(time.GetUtcNow()), take = take + 1 }, tx)).ToList()
            : [];
        var more = slotRows.Count > take;
        if (more) slotRows.RemoveAt(slotRows.Count - 1);
        var slots = slotRows
            .Select(s => new ReferenceSlot(s.Id, s.DoctorId, SlotSchedule.ParseInstant(s.StartsAt), SlotSchedule.ParseInstant(s.EndsAt), s.Booked == 1))
            .ToList();
        var next = more ? FormatCursor(upper, slots[^1].Id) : null;

        if (first)
        {
            var kiosk = Sync.SyncEndpoints.AuthenticatedKiosk(http).KioskId ?? "?";
            Log.Pulled(loggers.CreateLogger(typeof(ReferenceSync).FullName!), kiosk, from, upper, districts.Count, clinics.Count, doctors.Count,
                trustList is not null);
        }
        return Results.Ok(new ReferenceAnswer(from, upper, from == 0, AstanaTime.ZoneId, districts, clinics, doctors, slots, served, trustList, more, next, notices));
    }

    private static async Task<IReadOnlyList<ReferenceClinic>> Clinics(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, long from, long upper)
    {
        var range = new { from, upper };
        var rows = (await c.QueryAsync<(long Id, string NameRu, string NameKk, string NameEn, string Address, string? Phone, long Version, string? Website)>("""
            SELECT id, name_ru, name_kk, name_en, address, phone, version, website FROM clinics
            WHERE version > @from AND version <= @upper ORDER BY id
            """, range, tx)).ToList();
        if (rows.Count == 0) return [];
        var districts = (await c.QueryAsync<(long ClinicId, string District)>("""
                SELECT cd.clinic_id, cd.district FROM clinic_districts cd JOIN clinics k ON k.id = cd.clinic_id
                WHERE k.version > @from AND k.version <= @upper ORDER BY cd.clinic_id, cd.district
                """, range, tx))
            .ToLookup(r => r.ClinicId, r => r.District);
        var hours = (await c.QueryAsync<(long ClinicId, long Weekday, string Opens, string Closes)>("""
                SELECT h.clinic_id, h.weekday, h.opens, h.closes FROM clinic_hours h JOIN clinics k ON k.id = h.clinic_id
                WHERE k.version > @from AND k.version <= @upper ORDER BY h.clinic_id, h.weekday
                """, range, tx))
            .ToLookup(r => r.ClinicId, r => new ReferenceHours((int)r.Weekday, r.Opens, r.Closes));
        return rows.Select(k => new ReferenceClinic(k.Id, new LocalizedText(k.NameRu, k.NameKk, k.NameEn), k.Address, k.Phone,
            districts[k.Id].ToList(), hours[k.Id].ToList(), k.Version, k.Website)).ToList();
    }

    internal static string FormatCursor(long upper, long afterSlot) =>
        upper.ToString(CultureInfo.InvariantCulture) + "." + afterSlot.ToString(CultureInfo.InvariantCulture);

    internal static bool TryParseCursor(string cursor, out long upper, out long afterSlot)
    {
        upper = afterSlot = 0;
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        return dot > 0
               && long.TryParse(cursor.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out upper)
               && long.TryParse(cursor.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out afterSlot);
    }

    // ---- POST /api/sync/registry/address --------------------------------------------------------------------------

    private static async Task<IResult> Address(HttpContext http, SqliteDatabase db, ILoggerFactory loggers,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var logger = loggers.CreateLogger(typeof(ReferenceSync).FullName!);
        var kiosk = Sync.SyncEndpoints.AuthenticatedKiosk(http).KioskId ?? "?";
        var (body, error) = await Sync.SyncEndpoints.ReadJsonAsync<RegistryAddressRequest>(http, MaxSmallBody, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (!Kiosk.Core.Identity.Iin.TryParse(body!.Iin, out var iin))
            return Problem(StatusCodes.Status400BadRequest, "Bad IIN", "'iin' must be a valid 12-digit IIN.");
        await using var c = db.Open();
        var rows = (await c.QueryAsync<(string Address, string District, long? ClinicId)>("""
            SELECT p.address, p.district, a.clinic_id
            FROM persons p LEFT JOIN attachments a ON a.iin = p.iin AND a.detached_on IS NULL
            WHERE p.iin = @iin
            """, new { iin = iin.Value })).ToList();
        Log.AddressLookup(logger, kiosk, rows.Count == 1);
        return rows is [var row]
            ? Results.Ok(new RegistryAddressAnswer(row.Address, row.District, row.ClinicId))
            : Problem(StatusCodes.Status404NotFound, "Not in the registry", "The population registry has no person with this IIN.");
    }

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information,
            "Kiosk {KioskId} pulls reference data after version {Since} up to {Version}: {Districts} districts, {Clinics} clinics, {Doctors} doctors changed; trust list sent: {TrustSent}")]
        public static partial void Pulled(ILogger logger, string kioskId, long since, long version, int districts, int clinics, int doctors, bool trustSent);

        // Never the IIN, the address or the district: only that a lookup happened and whether it found someone.
        [LoggerMessage(LogLevel.Information, "Kiosk {KioskId} looked up a registry address for the home-call form: found {Found}")]
        public static partial void AddressLookup(ILogger logger, string kioskId, bool found);
    }
}

/// <summary>
/// Central's trust list as the reference pull sends it: the trust anchors, issuing CAs and CRLs of the
/// <see cref="TrustStoreProvider"/>'s current snapshot, with the names of the files they came from, as DER. Only what the
/// trust store itself took as a CA certificate or CRL is sent (never, say, a citizen certificate dropped into the
/// folder by mistake). Rebuilt when the snapshot changes, so a new CRL at Central reaches the kiosks at their next pull.
/// </summary>
public sealed partial class TrustListSource(TrustStoreProvider provider)
{
    private readonly Lock _gate = new();
    private (TrustStore Store, TrustList? List)? _cached;

    /// <summary>The list of the current snapshot; null when Central has no trust folder.</summary>
    public TrustList? Current()
    {
        if (!provider.Configured) return null;
        var store = provider.Current;
        lock (_gate)
        {
            if (_cached is { } cached && ReferenceEquals(cached.Store, store)) return cached.List;
            var list = Build(provider.Directory!, store);
            _cached = (store, list);
            return list;
        }
    }

    private static TrustList Build(string directory, TrustStore store)
    {
        var certificates = store.Anchors.Concat(store.Intermediates).Select(x => Convert.ToHexString(x.RawData)).ToHashSet(StringComparer.Ordinal);
        var crls = store.Crls.Select(x => Convert.ToHexString(x.RawData)).ToHashSet(StringComparer.Ordinal);
        var files = new List<TrustFile>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        IEnumerable<string> paths;
        try
        {
            paths = Directory.Exists(directory) ? Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal).ToList() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            paths = [];
        }
        foreach (var path in paths)
        {
            var ext = Path.GetExtension(path).ToLowerInvariant();
            if (ext is not (".cer" or ".crt" or ".pem" or ".crl")) continue;
            byte[] data;
            try
            {
                if (new FileInfo(path).Length > TrustStore.MaxFileBytes) continue;
                data = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var items = Items(data, ext == ".crl").ToList();
            var stem = SafeStem(Path.GetFileNameWithoutExtension(path));
            for (var i = 0; i < items.Count; i++)
            {
                var (der, isCrl) = items[i];
                var hex = Convert.ToHexString(der);
                if (!(isCrl ? crls.Contains(hex) : certificates.Contains(hex))) continue;
                var name = stem + (items.Count > 1 ? "-" + (i + 1).ToString(CultureInfo.InvariantCulture) : "") + (isCrl ? ".crl" : ".cer");
                if (!names.Add(name)) continue;
                files.Add(new TrustFile(name, isCrl ? "crl" : "certificate", Convert.ToBase64String(der)));
            }
        }
        return new TrustList(Digest(files), true, files);
    }

    /// <summary>The DER items of a trust file: PEM blocks, or the file itself as DER.</summary>
    private static IEnumerable<(byte[] Der, bool IsCrl)> Items(byte[] data, bool crlByName)
    {
        var text = data.Length > 0 && data[0] == (byte)'-' ? Encoding.ASCII.GetString(data) : null;
        if (text is null || !text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            yield return (data, crlByName);
            yield break;
        }
        var rest = text.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            var base64 = rest.Span[fields.Base64Data].ToString();
            rest = rest[fields.Location.End..];
            if (label is not ("CERTIFICATE" or "X509 CRL")) continue;
            byte[] der;
            try
            {
                der = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                continue;
            }
            yield return (der, label == "X509 CRL");
        }
    }

    private static string SafeStem(string stem)
    {
        var safe = UnsafeChars().Replace(stem, "_").Trim('.', '_', '-');
        if (safe.Length == 0) safe = "trust";
        return safe.Length > 80 ? safe[..80] : safe;
    }

    internal static string Digest(IEnumerable<TrustFile> files)
    {
        var text = new StringBuilder();
        foreach (var f in files.OrderBy(f => f.Name, StringComparer.Ordinal))
            text.Append(f.Name).Append('\n').Append(f.Kind).Append('\n').Append(f.Der).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex UnsafeChars();
}
