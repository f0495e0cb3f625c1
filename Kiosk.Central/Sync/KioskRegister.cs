using Dapper;
using System.Text.RegularExpressions;
using Kiosk.Storage;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Sync;

/// <summary>Who a sync call comes from, after <see cref="KioskRegister.Authenticate"/>.</summary>
public enum KioskAuthOutcome
{
    Authenticated,

    /// <summary>No usable <c>Authorization: Bearer &lt;kioskId&gt;.&lt;credential&gt;</c> header.</summary>
    Missing,

    /// <summary>No such kiosk, not enrolled, or the credential is wrong (all alike to the caller).</summary>
    Unknown,

    /// <summary>The kiosk was revoked by an operator.</summary>
    Revoked,
}

public sealed record KioskAuthResult(KioskAuthOutcome Outcome, string? KioskId, double? ClockSkewSeconds = null);

public enum CreateKioskOutcome { Created, Exists, Revoked, NotFound }

public sealed record EnrollmentCode(string Code, DateTimeOffset ExpiresAt);

/// <summary>
/// Central's register of kiosks (issue 4 item 2): operators create kiosks and get one-time enrollment codes, kiosks
/// enroll with a code and get their credential, operators revoke kiosks, and configuration can provision kiosks with a
/// known credential (<c>Kiosks:Provisioned:&lt;kioskId&gt;</c>). Only hashes of codes and credentials are stored;
/// nothing secret is logged.
/// </summary>
public sealed partial class KioskRegister(SqliteDatabase db, TimeProvider time, IOptions<IntakeOptions> options, ILogger<KioskRegister> logger)
{
    public const string ProvisionedSection = "Kiosks:Provisioned";

    /// <summary><c>Kiosks:Clinics:&lt;kioskId&gt; = clinic id</c>: the clinic whose staff may sign in at that kiosk node.</summary>
    public const string ClinicsSection = "Kiosks:Clinics";

    /// <summary>The document schema's kiosk id: 1–64 of <c>A-Z a-z 0-9 . _ -</c>, starting with a letter or digit.</summary>
    public static bool IsValidKioskId(string? id) => id is not null && KioskIdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex KioskIdPattern();

    /// <summary>Creates a kiosk and its first enrollment code; <see cref="CreateKioskOutcome.Exists"/> when the id is taken.</summary>
    public (CreateKioskOutcome Outcome, EnrollmentCode? Code) Create(string kioskId, string name, long? clinicId = null)
    {
        var now = time.GetUtcNow();
        var code = SyncSecrets.NewEnrollmentCode();
        var expires = now + options.Value.EnrollmentCodeLifetime;
        using var c = db.Open();
        var inserted = c.Execute("""
            INSERT INTO kiosks (kiosk_id, name, enrollment_code_hash, enrollment_expires_at, created_at, clinic_id)
            VALUES (@kioskId, @name, @hash, @expires, @now, (SELECT id FROM clinics WHERE id = @clinicId))
            ON CONFLICT (kiosk_id) DO NOTHING
            """, new { kioskId, name, hash = SyncSecrets.Hash(SyncSecrets.NormaliseCode(code)), expires, now, clinicId });
        if (inserted == 0) return (CreateKioskOutcome.Exists, null);
        LogCreated(kioskId, expires);
        return (CreateKioskOutcome.Created, new EnrollmentCode(code, expires));
    }

    /// <summary>
    /// A new enrollment code for an existing, unrevoked kiosk (a kiosk that lost its credential, or a code that expired);
    /// the kiosk's current credential keeps working until the new code is used.
    /// </summary>
    public (CreateKioskOutcome Outcome, EnrollmentCode? Code) NewCode(string kioskId)
    {
        var now = time.GetUtcNow();
        var code = SyncSecrets.NewEnrollmentCode();
        var expires = now + options.Value.EnrollmentCodeLifetime;
        using var c = db.Open();
        var revoked = c.QuerySingleOrDefault<(string Id, string? RevokedAt)?>("SELECT kiosk_id, revoked_at FROM kiosks WHERE kiosk_id = @kioskId", new { kioskId });
        if (revoked is null) return (CreateKioskOutcome.NotFound, null);
        if (revoked.Value.RevokedAt is not null) return (CreateKioskOutcome.Revoked, null);
        c.Execute("UPDATE kiosks SET enrollment_code_hash = @hash, enrollment_expires_at = @expires WHERE kiosk_id = @kioskId AND revoked_at IS NULL",
            new { kioskId, hash = SyncSecrets.Hash(SyncSecrets.NormaliseCode(code)), expires });
        LogNewCode(kioskId, expires);
        return (CreateKioskOutcome.Created, new EnrollmentCode(code, expires));
    }

    /// <summary>Revokes a kiosk: its credential and any pending code stop working. False when there is no such kiosk.</summary>
    public bool Revoke(string kioskId)
    {
        using var c = db.Open();
        var now = time.GetUtcNow();
        var found = c.Execute("""
            UPDATE kiosks SET revoked_at = COALESCE(revoked_at, @now), enrollment_code_hash = NULL, enrollment_expires_at = NULL
            WHERE kiosk_id = @kioskId
            """, new { kioskId, now });
        if (found > 0) LogRevoked(kioskId);
        return found > 0;
    }

    /// <summary>
    /// Uses a one-time code: on success the kiosk's new credential (returned once, stored hashed) replaces any earlier
    /// one and the code is spent. Null for an unknown kiosk, a wrong, used or expired code, or a revoked kiosk.
    /// </summary>
    public string? Enroll(string kioskId, string code)
    {
        var now = time.GetUtcNow();
        var credential = SyncSecrets.NewCredential();
        using var c = db.Open();
        // One statement: the code is checked and spent atomically, so two racing enrollments cannot both succeed.
        var updated = c.Execute("""
            UPDATE kiosks
            SET credential_hash = @credentialHash, enrolled_at = @now, enrollment_code_hash = NULL, enrollment_expires_at = NULL
            WHERE kiosk_id = @kioskId AND revoked_at IS NULL AND enrollment_code_hash = @codeHash AND enrollment_expires_at > @now
            """, new { kioskId, now, credentialHash = SyncSecrets.Hash(credential), codeHash = SyncSecrets.Hash(SyncSecrets.NormaliseCode(code)) });
        if (updated == 0)
        {
            LogEnrollRefused(kioskId);
            return null;
        }
        LogEnrolled(kioskId);
        return credential;
    }

    /// <summary>
    /// Reads <c>Authorization: Bearer &lt;kioskId&gt;.&lt;credential&gt;</c> (the credential is base64url, so the last
    /// dot separates the two; a kiosk id may contain dots) and checks it against the register.
    /// </summary>
    public KioskAuthResult Authenticate(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return new(KioskAuthOutcome.Missing, null);
        var token = authorization["Bearer ".Length..].Trim();
        var dot = token.LastIndexOf('.');
        if (dot <= 0 || dot == token.Length - 1) return new(KioskAuthOutcome.Missing, null);
        var kioskId = token[..dot];
        var credential = token[(dot + 1)..];
        if (!IsValidKioskId(kioskId) || credential.Length > 256) return new(KioskAuthOutcome.Unknown, null);

        using var c = db.Open();
        var row = c.QuerySingleOrDefault<(string? CredentialHash, string? RevokedAt, double? Skew)?>(
            "SELECT credential_hash, revoked_at, clock_skew_seconds FROM kiosks WHERE kiosk_id = @kioskId", new { kioskId });
        // Hash even when the kiosk is unknown, so the answer takes the same time either way.
        var presented = SyncSecrets.Hash(credential);
        var stored = row?.CredentialHash;
        var matches = SyncSecrets.HashEquals(presented, stored ?? new string('0', 64));
        if (row is not { } r || stored is null || !matches)
        {
            LogUnknownCredential(kioskId);
            return new(KioskAuthOutcome.Unknown, null);
        }
        if (r.RevokedAt is not null)
        {
            LogRevokedCall(kioskId);
            return new(KioskAuthOutcome.Revoked, kioskId);
        }
        return new(KioskAuthOutcome.Authenticated, kioskId, r.Skew);
    }

    /// <summary>
    /// Upserts the kiosks of <c>Kiosks:Provisioned:&lt;kioskId&gt; = credential</c>: their credential hash is set (a
    /// revoked kiosk stays revoked). Ill-formed entries are skipped with a warning naming the kiosk id only.
    /// </summary>
    public int Provision(IConfiguration configuration)
    {
        var count = 0;
        var now = time.GetUtcNow();
        using var c = db.Open();
        foreach (var entry in configuration.GetSection(ProvisionedSection).GetChildren())
        {
            if (!IsValidKioskId(entry.Key) || !SyncSecrets.IsWellFormedCredential(entry.Value))
            {
                LogProvisionSkipped(entry.Key);
                continue;
            }
            c.Execute("""
                INSERT INTO kiosks (kiosk_id, name, credential_hash, enrolled_at, created_at)
                VALUES (@kioskId, @kioskId, @hash, @now, @now)
                ON CONFLICT (kiosk_id) DO UPDATE SET credential_hash = excluded.credential_hash,
                    enrolled_at = COALESCE(kiosks.enrolled_at, excluded.enrolled_at)
                """, new { kioskId = entry.Key, hash = SyncSecrets.Hash(entry.Value!), now });
            count++;
        }
        if (count > 0) LogProvisioned(count);
        foreach (var entry in configuration.GetSection(ClinicsSection).GetChildren())
        {
            if (!long.TryParse(entry.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var clinicId)
                || SetClinic(entry.Key, clinicId) != CreateKioskOutcome.Created)
                LogClinicSkipped(entry.Key);
        }
        return count;
    }

    /// <summary>Links a kiosk to the clinic it serves (its staff may sign in there); NotFound for an unknown kiosk or clinic.</summary>
    public CreateKioskOutcome SetClinic(string kioskId, long clinicId)
    {
        using var c = db.Open();
        var changed = c.Execute("""
            UPDATE kiosks SET clinic_id = @clinicId
            WHERE kiosk_id = @kioskId AND EXISTS (SELECT 1 FROM clinics WHERE id = @clinicId)
            """, new { kioskId, clinicId });
        return changed == 1 ? CreateKioskOutcome.Created : CreateKioskOutcome.NotFound;
    }

    [LoggerMessage(LogLevel.Information, "Kiosk {KioskId} created; its enrollment code expires at {ExpiresAt:o}")]
    private partial void LogCreated(string kioskId, DateTimeOffset expiresAt);

    [LoggerMessage(LogLevel.Information, "Kiosk {KioskId} got a new enrollment code, expiring at {ExpiresAt:o}")]
    private partial void LogNewCode(string kioskId, DateTimeOffset expiresAt);

    [LoggerMessage(LogLevel.Warning, "Kiosk {KioskId} revoked: its sync calls are refused from now on")]
    private partial void LogRevoked(string kioskId);

    [LoggerMessage(LogLevel.Information, "Kiosk {KioskId} enrolled")]
    private partial void LogEnrolled(string kioskId);

    [LoggerMessage(LogLevel.Warning, "Enrollment refused for kiosk id {KioskId}: unknown kiosk, revoked, or a wrong, used or expired code")]
    private partial void LogEnrollRefused(string kioskId);

    [LoggerMessage(LogLevel.Warning, "Sync call refused: unknown kiosk id {KioskId} or wrong credential")]
    private partial void LogUnknownCredential(string kioskId);

    [LoggerMessage(LogLevel.Warning, "Sync call refused: kiosk {KioskId} is revoked")]
    private partial void LogRevokedCall(string kioskId);

    [LoggerMessage(LogLevel.Information, "{Count} kiosks provisioned from configuration (Kiosks:Provisioned)")]
    private partial void LogProvisioned(int count);

    [LoggerMessage(LogLevel.Warning, "Kiosks:Clinics:{KioskId} skipped: no such kiosk, or the value is not the id of a clinic in the reference data")]
    private partial void LogClinicSkipped(string kioskId);

    [LoggerMessage(LogLevel.Warning, "Kiosks:Provisioned:{KioskId} skipped: the id must be a kiosk id and the credential 32–256 base64url characters")]
    private partial void LogProvisionSkipped(string kioskId);
}
