using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Kiosk.Central.Eds;
using Kiosk.Central.Services;
using Kiosk.Central.Staff;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Cms;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Core.Services.HomeCall;
using Kiosk.Core.Staff;
using Kiosk.Core.Time;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Sync;

/// <summary>
/// Central's intake of signed requests (issue 4 item 3; DESIGN §6; docs/sync-protocol.md), without HTTP. Per envelope:
/// (a) an envelope id seen before gets its first answer again; (b) the detached CMS is verified against Central's trust
/// folder; (c) the exact bytes are parsed as a request document (never re-serialised); (d) the document must name the
/// envelope's id, the authenticated kiosk and the signer's IIN; (e) it is registered — registration number, stored
/// bytes and idempotency record in one transaction — and (f) decided there and then, in that transaction: a home call by
/// <see cref="HomeCallRule"/> against the population registry; an appointment, a cancellation of one and an attachment by
/// <see cref="AppointmentDecider"/> and <see cref="AttachmentDecider"/> (issue 5). Permanent rejections are recorded per envelope id.
/// Logs request ids, kiosk ids and codes only: never an IIN, a name or document content.
/// </summary>
public sealed partial class IntakeService(
    SqliteDatabase db,
    DetachedCmsVerifier verifier,
    TrustStoreProvider trust,
    TimeProvider time,
    IOptions<IntakeOptions> options,
    AttachmentDecider attachments,
    ILogger<IntakeService> logger)
{
    /// <summary>Checker codes that depend on what Central holds now rather than on the envelope: not a permanent answer.</summary>
    private static readonly HashSet<string> TransientCodes = [EdsProblemCodes.CrlStale, EdsProblemCodes.CrlMissing];

    /// <summary>A CMS with a signer certificate and its issuing CA is a few KiB; anything near this is not one of ours.</summary>
    public const int MaxSignatureBytes = 64 * 1024;

    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        [RequestKinds.HomeCall] = "HC",
        [RequestKinds.Appointment] = "AP",
        [RequestKinds.Attachment] = "AT",
    };

    /// <summary>Registration numbers of signed cancellations of bookings (kind appointment, action cancel).</summary>
    private const string CancellationPrefix = "AC";

    /// <summary>How <c>requests.alternatives</c> is written (and read by the decisions pull).</summary>
    public static readonly JsonSerializerOptions AlternativesJson = new(JsonSerializerDefaults.Web);

    /// <summary>Handles a batch in order; the kiosk is already authenticated.</summary>
    public IReadOnlyList<PushItemAnswer> Push(string kioskId, double? clockSkewSeconds, IReadOnlyList<SyncEnvelope> envelopes)
    {
        var answers = new List<PushItemAnswer>(envelopes.Count);
        foreach (var envelope in envelopes) answers.Add(Process(kioskId, clockSkewSeconds, envelope));
        LogPushed(kioskId, envelopes.Count,
            answers.Count(a => a.Status == PushStatus.Registered), answers.Count(a => a.Status == PushStatus.Duplicate),
            answers.Count(a => a.Status == PushStatus.Rejected), answers.Count(a => a.Status == PushStatus.Deferred));
        return answers;
    }

    public PushItemAnswer Process(string kioskId, double? clockSkewSeconds, SyncEnvelope envelope)
    {
        var receivedAt = time.GetUtcNow();
        if (envelope is null) return new PushItemAnswer(null, PushStatus.Rejected, Reason: IntakeReasons.InvalidEnvelope, Problems: [IntakeReasons.InvalidEnvelope]);
        // Without a well-formed id there is nothing to record the answer under.
        if (!Guid.TryParseExact(envelope.RequestId, "D", out var id) || id == Guid.Empty || envelope.RequestId != id.ToString("D"))
            return new PushItemAnswer(envelope.RequestId, PushStatus.Rejected, Reason: IntakeReasons.InvalidEnvelope, Problems: [IntakeReasons.InvalidEnvelope]);
        var requestId = envelope.RequestId;

        byte[]? document = null, signature = null;
        try
        {
            if (envelope.Document is not null) document = Convert.FromBase64String(envelope.Document);
            if (envelope.Signature is not null) signature = Convert.FromBase64String(envelope.Signature);
        }
        catch (FormatException)
        {
            document = signature = null;
        }

        // (a) Seen before: the first answer again.
        using (var c = db.Open())
        {
            if (FirstAnswer(c, null, kioskId, requestId, document) is { } first) return first;
        }

        // Envelope fields.
        if (document is null || signature is null || document.Length == 0 || signature.Length == 0 || envelope.CreatedAt is null)
            return Reject(kioskId, requestId, [IntakeReasons.InvalidEnvelope], document);
        if (signature.Length > MaxSignatureBytes) return Reject(kioskId, requestId, [IntakeReasons.InvalidEnvelope], document);
        if (envelope.KioskId != kioskId) return Reject(kioskId, requestId, [IntakeReasons.KioskMismatch], document);
        // A document over the size limit is refused unread (the reader would refuse it too), before any hashing.
        if (document.Length > RequestDocument.MaxBytes) return Reject(kioskId, requestId, [RequestDocumentFormatException.Invalid], document);

        // (b) The signature and the signer's certificate.
        var verification = verifier.Verify(document, signature, receivedAt);
        try
        {
            if (!verification.Valid)
            {
                var codes = verification.ErrorCodes.Distinct().ToList();
                if (trust.Current.Anchors.Count == 0)
                    return Defer(kioskId, requestId, [IntakeReasons.TrustUnavailable]);
                if (codes.Count > 0 && codes.All(TransientCodes.Contains))
                    return Defer(kioskId, requestId, codes);
                return Reject(kioskId, requestId, codes.Count > 0 ? codes : [EdsProblemCodes.Malformed], document);
            }

            // (c) The exact bytes, read strictly.
            if (!RequestDocument.TryParse(document, out var parsed, out var error))
                return Reject(kioskId, requestId, [error.Code], document);

            // (d) Whose and which request it is.
            if (parsed.RequestId != id) return Reject(kioskId, requestId, [IntakeReasons.RequestIdMismatch], document);
            if (parsed.KioskId != kioskId) return Reject(kioskId, requestId, [IntakeReasons.KioskMismatch], document);
            // The citizen's own signature, or at the desk the registrar's who filed it (issue 12).
            if (verification.Subject.Iin is not { } signerIin || signerIin != parsed.SignerIin)
                return Reject(kioskId, requestId, [IntakeReasons.IinMismatch], document);
            var signer = new SignerFacts(verification.SignerCertificate is { } cert && EdsRoles.IsEmployee(cert), verification.Subject.Bin);

            // (e) + (f)
            var judgedAt = JudgedAt(verification.SigningTime, envelope.CreatedAt.Value, clockSkewSeconds, receivedAt, options.Value.SigningTimeTolerance);
            return Register(kioskId, parsed, document, signature, verification.SigningTime, judgedAt, receivedAt, signer);
        }
        finally
        {
            verification.SignerCertificate?.Dispose();
        }
    }

    /// <summary>
    /// The instant the rules are judged at. The CMS signing-time is the kiosk's claim, by the kiosk's clock: it is relied
    /// on only when it lies within <paramref name="tolerance"/> of the envelope's <c>createdAt</c> (the same clock, a
    /// moment later), then moved onto Central's clock by the kiosk's measured skew (kiosk minus Central), and only when
    /// that is not after the receipt. Otherwise: the receipt.
    /// </summary>
    public static DateTimeOffset JudgedAt(DateTimeOffset? signingTime, DateTimeOffset createdAt, double? clockSkewSeconds, DateTimeOffset receivedAt, TimeSpan tolerance)
    {
        if (signingTime is not { } signed) return receivedAt;
        if ((signed - createdAt).Duration() > tolerance) return receivedAt;
        var onCentralClock = signed - TimeSpan.FromSeconds(clockSkewSeconds ?? 0);
        return onCentralClock > receivedAt ? receivedAt : onCentralClock;
    }

    /// <summary>What the signing certificate says of its holder's organisation (the desk's rule needs it).</summary>
    private sealed record SignerFacts(bool Employee, Bin? Bin);

    private PushItemAnswer Register(string kioskId, RequestDocument document, byte[] bytes, byte[] signature, DateTimeOffset? signedAt,
        DateTimeOffset judgedAt, DateTimeOffset receivedAt, SignerFacts signer)
    {
        var requestId = document.RequestId.ToString("D");
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var c = db.Open();
        using var tx = c.BeginTransaction(); // BEGIN IMMEDIATE: one writer at a time, so the check below cannot race
        if (FirstAnswer(c, tx, kioskId, requestId, bytes) is { } first) return first;

        string status = "registered";
        string? reason = null;
        long? clinicId = null;
        HomeCallDecision.Accepted? visit = null;
        IReadOnlyList<AlternativeSlot>? alternatives = null;
        // Filed at the desk (issue 12): the registrar's account, certificate and clinic first; a refusal here is the decision.
        var staffRefusal = document.FiledBy is { } filedBy ? StaffRefusal(c, tx, kioskId, filedBy, signer) : null;
        if (staffRefusal is not null)
        {
            status = "refused";
            reason = staffRefusal;
        }
        else if (document.Details is HomeCallDetails)
        {
            var (applicant, clinic) = LoadApplicant(c, tx, document.ApplicantIin.Value);
            switch (HomeCallRule.Decide(applicant, judgedAt, receivedAt))
            {
                case HomeCallDecision.Accepted a:
                    status = "accepted";
                    visit = a;
                    clinicId = clinic;
                    break;
                case HomeCallDecision.Refused r:
                    status = "refused";
                    reason = r.Reason;
                    clinicId = clinic; // the clinic the person is attached to, if any: its journal lists the refusal too
                    break;
            }
        }
        else
        {
            // Issue 5: the other services, decided in this same transaction (docs/appointments-and-attachment.md).
            var decision = document.Details switch
            {
                AppointmentDetails booking => AppointmentDecider.Book(c, tx, document, booking, judgedAt, receivedAt),
                AppointmentCancellationDetails cancellation => AppointmentDecider.Cancel(c, tx, document, cancellation, receivedAt),
                AttachmentDetails attachment => attachments.Decide(c, tx, document, attachment, judgedAt, receivedAt),
                _ => null,
            };
            if (decision is not null)
            {
                (status, reason, clinicId, alternatives) = (decision.Status, decision.Reason, decision.ClinicId, decision.Alternatives);
            }
        }
        var decided = status != "registered";

        var prefix = document.Details is AppointmentCancellationDetails ? CancellationPrefix : Prefixes[document.Kind];
        var day = DateOnly.FromDateTime(AstanaTime.ToLocal(receivedAt));
        var sequence = c.ExecuteScalar<long>("""
            INSERT INTO registration_counters (prefix, day, last) VALUES (@prefix, @day, 1)
            ON CONFLICT (prefix, day) DO UPDATE SET last = last + 1
            RETURNING last
            """, new { prefix, day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, tx);
        var number = $"{prefix}-{day:yyyyMMdd}-{sequence:D6}";
        long? decisionSeq = decided ? c.ExecuteScalar<long>("SELECT COALESCE(MAX(decision_seq), 0) + 1 FROM requests", transaction: tx) : null;

        c.Execute("""
            INSERT INTO requests (request_id, kiosk_id, kind, iin, document, document_sha256, signature, signed_at, judged_at,
                received_at, registration_number, status, decided_at, reason, visit_date, visit_from, visit_to, clinic_id, decision_seq,
                alternatives, channel, staff_iin)
            VALUES (@requestId, @kioskId, @kind, @iin, @bytes, @sha, @signature, @signedAt, @judgedAt,
                @receivedAt, @number, @status, @decidedAt, @reason, @visitDate, @visitFrom, @visitTo, @clinicId, @decisionSeq,
                @alternatives, @channel, @staffIin)
            """, new
        {
            requestId, kioskId, kind = document.Kind, iin = document.ApplicantIin.Value, bytes, sha, signature, signedAt, judgedAt,
            receivedAt, number, status, decidedAt = decided ? receivedAt : (DateTimeOffset?)null, reason,
            visitDate = visit?.VisitDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            visitFrom = visit?.From.ToString("HH:mm", CultureInfo.InvariantCulture),
            visitTo = visit?.To.ToString("HH:mm", CultureInfo.InvariantCulture),
            clinicId,
            decisionSeq,
            alternatives = alternatives is null ? null : JsonSerializer.Serialize(alternatives, AlternativesJson),
            channel = document.FiledBy is null ? "kiosk" : "desk",
            staffIin = document.FiledBy?.StaffIin.Value,
        }, tx);
        tx.Commit();
        LogRegistered(requestId, kioskId, number, status, reason ?? "-", judgedAt == receivedAt ? "receipt" : "signing-time");
        return new PushItemAnswer(requestId, PushStatus.Registered, RegistrationNumber: number);
    }

    /// <summary>
    /// The desk's rule (<see cref="StaffFilingRule"/>): the signer's account in the staff register, the certificate's
    /// employee role and BIN, and the BIN of the clinic the kiosk serves, read in the registration transaction.
    /// </summary>
    private static string? StaffRefusal(SqliteConnection c, SqliteTransaction tx, string kioskId, FiledByStaff filedBy, SignerFacts signer)
    {
        var account = StaffRegister.Find(c, tx, filedBy.StaffIin);
        var clinicBin = c.QuerySingleOrDefault<string?>(
            "SELECT k.bin FROM kiosks s JOIN clinics k ON k.id = s.clinic_id WHERE s.kiosk_id = @kioskId", new { kioskId }, tx);
        return StaffFilingRule.Refusal(account, signer.Employee, signer.Bin, Bin.TryParse(clinicBin, out var bin) ? bin : null);
    }

    /// <summary>The registry's view of a person for a home call, and the clinic they are attached to.</summary>
    private static (HomeCallApplicant Applicant, long? ClinicId) LoadApplicant(SqliteConnection c, SqliteTransaction tx, string iin)
    {
        var person = c.QuerySingleOrDefault<(string Iin, string? DeceasedOn)?>(
            "SELECT iin, deceased_on FROM persons WHERE iin = @iin", new { iin }, tx);
        if (person is null) return (HomeCallApplicant.NotInRegistry, null);
        if (person.Value.DeceasedOn is not null) return (new HomeCallApplicant(true, true, null), null);
        var clinic = c.QuerySingleOrDefault<long?>(
            "SELECT clinic_id FROM attachments WHERE iin = @iin AND detached_on IS NULL", new { iin }, tx);
        if (clinic is null) return (new HomeCallApplicant(true, false, null), null);
        var week = c.Query<(long Weekday, string Opens, string Closes)>(
                "SELECT weekday, opens, closes FROM clinic_hours WHERE clinic_id = @clinic", new { clinic }, tx)
            .ToDictionary(
                h => (DayOfWeek)(int)h.Weekday,
                h => new WorkingHours(
                    TimeOnly.ParseExact(h.Opens, "HH:mm", CultureInfo.InvariantCulture),
                    TimeOnly.ParseExact(h.Closes, "HH:mm", CultureInfo.InvariantCulture)));
        return (new HomeCallApplicant(true, false, week), clinic);
    }

    /// <summary>
    /// The answer already given for this envelope id, or null when it is new. Another kiosk's id, or the same id with
    /// different document bytes, is a conflict (refused, not recorded: the first answer stays the envelope's).
    /// </summary>
    private PushItemAnswer? FirstAnswer(SqliteConnection c, SqliteTransaction? tx, string kioskId, string requestId, byte[]? document)
    {
        var registered = c.QuerySingleOrDefault<(string KioskId, string Number, string Sha)?>(
            "SELECT kiosk_id, registration_number, document_sha256 FROM requests WHERE request_id = @requestId", new { requestId }, tx);
        if (registered is { } r)
        {
            if (r.KioskId != kioskId || document is null || Convert.ToHexStringLower(SHA256.HashData(document)) != r.Sha)
            {
                LogConflict(requestId, kioskId);
                return new PushItemAnswer(requestId, PushStatus.Rejected, Reason: IntakeReasons.RequestIdConflict, Problems: [IntakeReasons.RequestIdConflict]);
            }
            return new PushItemAnswer(requestId, PushStatus.Duplicate, RegistrationNumber: r.Number);
        }
        var rejected = c.QuerySingleOrDefault<(string KioskId, string Reason, string Problems)?>(
            "SELECT kiosk_id, reason, problems FROM rejected_envelopes WHERE request_id = @requestId", new { requestId }, tx);
        if (rejected is { } j)
        {
            if (j.KioskId != kioskId)
            {
                LogConflict(requestId, kioskId);
                return new PushItemAnswer(requestId, PushStatus.Rejected, Reason: IntakeReasons.RequestIdConflict, Problems: [IntakeReasons.RequestIdConflict]);
            }
            return new PushItemAnswer(requestId, PushStatus.Rejected, Reason: j.Reason, Problems: j.Problems.Split(' '));
        }
        return null;
    }

    /// <summary>Records a permanent rejection (unless the envelope got an answer meanwhile) and returns the recorded answer.</summary>
    private PushItemAnswer Reject(string kioskId, string requestId, IReadOnlyList<string> problems, byte[]? document)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        if (FirstAnswer(c, tx, kioskId, requestId, document) is { } first) return first;
        c.Execute("""
            INSERT INTO rejected_envelopes (request_id, kiosk_id, reason, problems, rejected_at)
            VALUES (@requestId, @kioskId, @reason, @problems, @now)
            """, new { requestId, kioskId, reason = problems[0], problems = string.Join(' ', problems), now = time.GetUtcNow() }, tx);
        tx.Commit();
        LogRejected(requestId, kioskId, string.Join(' ', problems));
        return new PushItemAnswer(requestId, PushStatus.Rejected, Reason: problems[0], Problems: problems);
    }

    private PushItemAnswer Defer(string kioskId, string requestId, IReadOnlyList<string> problems)
    {
        LogDeferred(requestId, kioskId, string.Join(' ', problems));
        return new PushItemAnswer(requestId, PushStatus.Deferred, Reason: problems[0], Problems: problems);
    }

    [LoggerMessage(LogLevel.Information, "Push from kiosk {KioskId}: {Count} envelopes, {Registered} registered, {Duplicates} duplicates, {Rejected} rejected, {Deferred} deferred")]
    private partial void LogPushed(string kioskId, int count, int registered, int duplicates, int rejected, int deferred);

    [LoggerMessage(LogLevel.Information, "Request {RequestId} from kiosk {KioskId} registered as {RegistrationNumber}: {Status} {Reason} (judged at {Basis})")]
    private partial void LogRegistered(string requestId, string kioskId, string registrationNumber, string status, string reason, string basis);

    [LoggerMessage(LogLevel.Warning, "Envelope {RequestId} from kiosk {KioskId} rejected: {Problems}")]
    private partial void LogRejected(string requestId, string kioskId, string problems);

    [LoggerMessage(LogLevel.Warning, "Envelope {RequestId} from kiosk {KioskId} deferred (Central cannot judge it now): {Problems}")]
    private partial void LogDeferred(string requestId, string kioskId, string problems);

    [LoggerMessage(LogLevel.Warning, "Envelope {RequestId} from kiosk {KioskId} conflicts with an earlier one of that id (another kiosk, or other document bytes)")]
    private partial void LogConflict(string requestId, string kioskId);
}
