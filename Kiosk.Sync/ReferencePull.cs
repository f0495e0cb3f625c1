using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kiosk.Core.Eds;
using Kiosk.Node;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

/// <summary>The reference pull's settings, in the <c>Sync</c> section (docs/sync-protocol.md, "Reference data").</summary>
public sealed class ReferencePullOptions
{
    /// <summary>
    /// Where the trust anchors, issuing CAs and CRLs pulled from Central are written (environment
    /// <c>Sync__TrustDirectory</c>); default: the kiosk's <c>Pki:TrustDirectory</c>, the folder sign-in reads and reloads
    /// on change, so a fresh CRL reaches sign-in at once. Neither set: the trust list is not pulled.
    /// </summary>
    public string? TrustDirectory { get; set; }

    /// <summary>Slots per page asked of Central (1–10000).</summary>
    public int ReferencePageSize { get; set; } = 2000;
}

public static class ReferencePullServiceCollectionExtensions
{
    public static IServiceCollection AddReferencePull(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReferencePullOptions>()
            .Bind(configuration.GetSection(SyncOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.TrustDirectory)) o.TrustDirectory = configuration["Pki:TrustDirectory"];
                if (string.IsNullOrWhiteSpace(o.TrustDirectory)) o.TrustDirectory = null;
            })
            .Validate(o => o.ReferencePageSize is >= 1 and <= 10_000, "Sync:ReferencePageSize must be from 1 to 10000.")
            .ValidateOnStart();
        services.TryAddSingleton<ReferenceStore>();
        services.AddSingleton<TrustFolderWriter>();
        services.AddSingleton<ReferencePull>();
        return services;
    }
}

/// <summary>
/// The reference pull of each sync round (issue 4 item 4; docs/sync-protocol.md "Reference data"): asks Central
/// (<c>GET /api/sync/reference</c>) for everything changed after the kiosk's reference version, page by page, and
/// applies each page in one transaction (<see cref="ReferenceStore.Apply"/>); the last page stores the new version with
/// its rows. The trust list, when Central says it changed, goes to the trust folder (<see cref="TrustFolderWriter"/>).
/// A worker killed mid-pull keeps the old version and asks again from it next round.
/// </summary>
public sealed partial class ReferencePull(
    CentralClient central,
    ReferenceStore store,
    TrustFolderWriter trust,
    IOptions<ReferencePullOptions> options,
    TimeProvider time,
    ILogger<ReferencePull> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Pulls until Central says there is no more; null when done, else the failed call's problem code.</summary>
    public async Task<string?> PullAsync(string credential, CancellationToken cancellationToken)
    {
        var since = store.Version();
        var sinceText = since.ToString(CultureInfo.InvariantCulture);
        var limit = options.Value.ReferencePageSize.ToString(CultureInfo.InvariantCulture);
        string? cursor = null;
        var slots = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var query = $"api/sync/reference?since={sinceText}&limit={limit}" + (cursor is null
                ? "&trust=" + Uri.EscapeDataString(trust.Enabled ? trust.Digest() ?? "" : "off")
                : "&cursor=" + Uri.EscapeDataString(cursor));
            var result = await central.GetJsonAsync(credential, query, Read, cancellationToken);
            if (!result.Ok) return result.Problem;
            var page = result.Value!;
            if (page.More && (page.Next is null || page.Next == cursor)) return "bad-answer"; // would never end
            if (page.Trust is { } list && trust.Enabled) trust.Apply(list);
            var now = time.GetUtcNow();
            store.Apply(page.ToPage(), now);
            slots += page.Slots?.Count ?? 0;
            int districts = page.Districts?.Count ?? 0, clinics = page.Clinics?.Count ?? 0, doctors = page.Doctors?.Count ?? 0;
            if (cursor is null && districts + clinics + doctors > 0) LogChanged(page.Since, page.Version, districts, clinics, doctors);
            if (page.Notices is { } notices) LogNotices(notices.Count, page.Version);
            if (!page.More)
            {
                if (page.Version != since) LogPulled(since, page.Version, slots);
                return null;
            }
            cursor = page.Next;
        }
    }

    private static WireAnswer? Read(JsonElement root)
    {
        var answer = root.Deserialize<WireAnswer>(Json);
        return answer is not null && answer.IsValid() ? answer : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reference data after version {Since} up to {Version}: {Districts} districts, {Clinics} clinics, {Doctors} doctors changed")]
    private partial void LogChanged(long since, long version, int districts, int clinics, int doctors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clinic notices replaced: {Notices} not withdrawn and not over at reference version {Version}")]
    private partial void LogNotices(int notices, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reference data now at version {Version} (was {Since}); {Slots} slots pulled")]
    private partial void LogPulled(long since, long version, int slots);
}

/// <summary>
/// Writes the trust list pulled from Central into the kiosk's trust folder, so that <see cref="TrustFolder"/> (which
/// watches it) reloads. Each file is checked (a name of its own kind, a certificate or CRL that parses) and written
/// only when its content changed, atomically: a temporary file beside it, flushed, then renamed over it, so sign-in
/// never reads half a CRL. A file the kiosk already had and that Central does not send is left alone; only a file this
/// writer put there earlier and that Central's complete list no longer holds is deleted. What the writer put there is
/// remembered in the kiosk's settings, with the list's digest (so Central sends the list again only when it changes).
/// </summary>
public sealed partial class TrustFolderWriter(IOptions<ReferencePullOptions> options, KioskSettings settings, TimeProvider time, ILogger<TrustFolderWriter> logger)
{
    public const string DigestKey = "sync.reference.trust.digest";
    public const string FilesKey = "sync.reference.trust.files";

    private readonly string? _directory = options.Value.TrustDirectory is { } d ? Path.GetFullPath(d) : null;

    public bool Enabled => _directory is not null;

    public string? Directory => _directory;

    /// <summary>The digest of the list last applied, or null.</summary>
    public string? Digest() => settings.Get(DigestKey);

    public void Apply(WireTrust list)
    {
        if (_directory is null) return;
        System.IO.Directory.CreateDirectory(_directory);
        var before = settings.Get(FilesKey) is { } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];
        var ours = new HashSet<string>(before, StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        int written = 0, unchanged = 0, refused = 0, deleted = 0;
        foreach (var file in list.Files ?? [])
        {
            if (Check(file) is not { } der)
            {
                refused++;
                continue;
            }
            names.Add(file.Name!);
            var path = Path.Combine(_directory, file.Name!);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(der))
            {
                unchanged++;
                continue;
            }
            WriteAtomically(path, der);
            ours.Add(file.Name!);
            written++;
        }
        if (list.Complete)
        {
            foreach (var name in ours.Where(n => !names.Contains(n)).ToList())
            {
                var path = Path.Combine(_directory, name);
                if (File.Exists(path))
                {
                    File.Delete(path);
                    deleted++;
                }
                ours.Remove(name);
            }
        }
        settings.Set(time.GetUtcNow(),
            (DigestKey, list.Digest ?? ""),
            (FilesKey, JsonSerializer.Serialize(ours.Order(StringComparer.Ordinal).ToList())));
        if (written + deleted + refused > 0) LogApplied(_directory, written, unchanged, deleted, refused);
    }

    /// <summary>The file's DER bytes when its name, kind and content are what a trust folder may hold; else null.</summary>
    private static byte[]? Check(WireTrustFile file)
    {
        if (file.Name is not { } name || !SafeName().IsMatch(name) || file.Der is not { } base64) return null;
        var isCrl = name.EndsWith(".crl", StringComparison.Ordinal);
        if (isCrl != (file.Kind == "crl") || (!isCrl && file.Kind != "certificate")) return null;
        byte[] der;
        try
        {
            der = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
        if (der.Length == 0 || der.Length > TrustStore.MaxFileBytes) return null;
        if (isCrl) return RevocationList.TryParse(der, out _, out _) ? der : null;
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority) ? der : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(cer|crl)\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Trust list from Central applied to {TrustDirectory}: {Written} files written, {Unchanged} unchanged, {Deleted} deleted, {Refused} refused")]
    private partial void LogApplied(string trustDirectory, int written, int unchanged, int deleted, int refused);
}

// ---- Central's answer, as read (docs/sync-protocol.md) ------------------------------------------------------------

public sealed record WireName(string? Ru, string? Kk, string? En)
{
    internal bool IsValid => Ru is not null && Kk is not null && En is not null;
}

public sealed record WireDistrict(string? Code, WireName? Name, bool InCity, long Version);

public sealed record WireHours(int Weekday, string? Opens, string? Closes);

public sealed record WireClinic(long Id, WireName? Name, string? Address, string? Phone, List<string>? Districts, List<WireHours>? Hours, long Version,
    string? Website = null);

public sealed record WireDoctor(long Id, long ClinicId, string? Surname, string? FirstName, string? Patronymic, string? Speciality, int SlotMinutes, string? Room, long Version);

public sealed record WireSlot(long Id, long DoctorId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Booked);

public sealed record WireServed(long ClinicId, long Served);

public sealed record WireTrustFile(string? Name, string? Kind, string? Der);

public sealed record WireTrust(string? Digest, bool Complete, List<WireTrustFile>? Files);

/// <summary>A clinic notice (issue 12; docs/notices.md): titles plain text, bodies HTML the kiosk sanitises again before showing.</summary>
public sealed record WireNotice(long Id, WireName? Title, WireName? Body, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, List<long>? ClinicIds, long Version)
{
    internal bool IsValid => Title is { IsValid: true } && Body is { IsValid: true } && ValidTo > ValidFrom && ClinicIds is not null;

    internal NoticeRow ToRow() => new(Id, new Kiosk.Core.Notices.NoticeText(Title!.Kk!, Title.Ru!, Title.En!),
        new Kiosk.Core.Notices.NoticeText(Body!.Kk!, Body.Ru!, Body.En!), ValidFrom, ValidTo, ClinicIds!, Version);
}

/// <param name="Notices">Central's complete set of clinic notices (first page; null: none sent, keep the kiosk's).</param>
public sealed record WireAnswer(
    long Since, long Version, bool Full,
    List<WireDistrict>? Districts, List<WireClinic>? Clinics, List<WireDoctor>? Doctors, List<WireSlot>? Slots,
    List<WireServed>? Served, WireTrust? Trust, bool More, string? Next, List<WireNotice>? Notices = null)
{
    /// <summary>Every row has what the kiosk's tables require; a page with one bad row is refused whole.</summary>
    internal bool IsValid() =>
        Version >= 0 && Since >= 0
        && (Districts ?? []).All(d => d.Code is not null && d.Name is { IsValid: true })
        && (Clinics ?? []).All(k => k.Name is { IsValid: true } && k.Address is not null
                                   && (k.Hours ?? []).All(h => h.Weekday is >= 0 and <= 6 && h.Opens is not null && h.Closes is not null)
                                   && (k.Districts ?? []).All(d => d is not null))
        && (Doctors ?? []).All(d => d.Surname is not null && d.FirstName is not null && d.Speciality is not null && d.Room is not null)
        && (Slots ?? []).All(s => s.EndsAt > s.StartsAt)
        && (Notices ?? []).All(n => n is { IsValid: true });

    internal ReferencePage ToPage() => new(
        (Districts ?? []).Select(d => new ReferenceDistrictRow(d.Code!, d.Name!.Ru!, d.Name.Kk!, d.Name.En!, d.InCity, d.Version)).ToList(),
        (Clinics ?? []).Select(k => new ReferenceClinicRow(k.Id, k.Name!.Ru!, k.Name.Kk!, k.Name.En!, k.Address!, k.Phone,
            k.Districts ?? [], (k.Hours ?? []).Select(h => new ClinicHoursRow(h.Weekday, h.Opens!, h.Closes!)).ToList(), k.Version, k.Website)).ToList(),
        (Doctors ?? []).Select(d => new ReferenceDoctorRow(d.Id, d.ClinicId, d.Surname!, d.FirstName!, d.Patronymic, d.Speciality!, d.SlotMinutes, d.Room!, d.Version)).ToList(),
        (Slots ?? []).Select(s => new ReferenceSlotRow(s.Id, s.DoctorId, s.StartsAt, s.EndsAt, s.Booked)).ToList(),
        Served?.ToDictionary(s => s.ClinicId, s => s.Served),
        More ? null : Version,
        Notices?.Select(n => n.ToRow()).ToList());
}
