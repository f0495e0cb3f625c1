using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using Kiosk.Core.Eds;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Web.Pages.SignIn;
using Kiosk.Web.SignIn;

namespace Kiosk.Web.Requests;

/// <summary>
/// What the accepted page of a service shows once a signed request is saved and queued (kept in the signed-in session,
/// never in a URL). <paramref name="Service"/> names the screen flow that made it (<see cref="SigningServices"/>), so
/// each flow finds its own receipt.
/// </summary>
public sealed record RequestReceipt(Guid RequestId, string Service, DateTimeOffset SignedAt)
{
    /// <summary>The request number a citizen reads and says on the phone: the first 8 hex digits of the UUID, "3F2B-8C1E".</summary>
    public string ShortNumber => ShortForm(RequestId);

    /// <summary>The signing time as the kiosk shows it: Astana time, <c>dd.MM.yyyy HH:mm</c>.</summary>
    public string SignedAtText => AstanaTime.ToLocal(SignedAt).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string ShortForm(Guid id)
    {
        var hex = id.ToString("N").ToUpperInvariant();
        return $"{hex[..4]}-{hex[4..8]}";
    }
}

/// <summary>The screen flows that sign a request (the receipt's <see cref="RequestReceipt.Service"/>).</summary>
public static class SigningServices
{
    public const string HomeCall = "home-call";
    public const string Appointment = "appointment";
    public const string AppointmentCancel = "appointment-cancel";
    public const string Attachment = "attachment";
}

/// <summary>The receipts of the signed-in session, one per flow (the latest).</summary>
public sealed record SessionReceipts(ImmutableDictionary<string, RequestReceipt> ByService);

public static class SessionReceiptExtensions
{
    public static RequestReceipt? GetReceipt(this HttpContext context, string service) =>
        context.GetCitizenItem<SessionReceipts>()?.ByService.GetValueOrDefault(service);

    public static void SetReceipt(this HttpContext context, RequestReceipt receipt)
    {
        var book = context.GetCitizenItem<SessionReceipts>()?.ByService ?? ImmutableDictionary<string, RequestReceipt>.Empty;
        context.SetCitizenItem(new SessionReceipts(book.SetItem(receipt.Service, receipt)));
    }
}

/// <summary>What a signing attempt came to: a receipt (signed, saved and queued), or problem codes.</summary>
public sealed record SigningOutcome(RequestReceipt? Receipt, IReadOnlyList<string> Problems, TimeSpan? RetryAfter = null)
{
    public static SigningOutcome Refused(params string[] codes) => new(null, codes);
}

/// <summary>
/// The citizen's explicit act of signing a request, the same for every service (DESIGN §3.1 steps 3–4): builds the
/// request document from the details and the signed-in citizen, lets <see cref="RequestSigner"/> open the signing key
/// in memory, check it for signing and the IIN, and sign; then saves the signed request and its outbox row in ONE
/// SQLite transaction. Only a committed transaction gives a receipt. Failed attempts are throttled per signed-in citizen
/// and per key file with the sign-in's <see cref="SignInThrottle"/> (other keys, the same limits). Logs carry the
/// request id, the kind and problem codes, never a name, IIN, address, phone, key or password.
/// </summary>
public sealed class RequestSigning(
    RequestSigner signer,
    KioskTrust trust,
    SignInThrottle throttle,
    SqliteDatabase db,
    SignedRequestStore requests,
    OutboxStore outbox,
    KioskIdentity kiosk,
    TimeProvider time,
    ILogger<RequestSigning> logger)
{
    /// <summary>The details do not make a valid request document (should not happen after the form's checks).</summary>
    public const string DocumentInvalid = "document-invalid";

    public SigningOutcome Sign(SignedInCitizen citizen, string service, Guid requestId, RequestDetails details, string language,
        byte[] keyFile, string? password)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        ArgumentNullException.ThrowIfNull(details);
        return SignAndQueue("signer:" + citizen.Thumbprint, service, requestId, details.Kind,
            () => new RequestDocument(requestId, citizen.Iin, ApplicantName(citizen), time.GetUtcNow(), kiosk.KioskId, language, details),
            keyFile, password);
    }

    /// <summary>
    /// A registrar's signature at the clinic's desk (issue 12, regulation diagram 2, process 5): the request is the
    /// citizen's (the registry's IIN and name), filed by the registrar (<see cref="FiledByStaff"/>), signed with the
    /// registrar's own key; then saved and queued exactly as a citizen's. The node checks the key as for any
    /// signature and that it is the signed-in registrar's; whether it is an employee key of this clinic is Central's
    /// rule (docs/desk.md), decided where the staff register is.
    /// </summary>
    public SigningOutcome SignAtDesk(Kiosk.Core.Identity.Iin registrar, Kiosk.Web.Desk.DeskCitizen citizen, string service, Guid requestId,
        RequestDetails details, string language, byte[] keyFile, string? password)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        ArgumentNullException.ThrowIfNull(details);
        var name = Pages.Services.HomeCall.HomeCallForm.CleanText(citizen.FullName);
        if (name.Length > RequestDocument.MaxNameLength) name = name[..RequestDocument.MaxNameLength].TrimEnd();
        return SignAndQueue("desk:" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(registrar.Value))), service, requestId, details.Kind,
            () => new RequestDocument(requestId, citizen.Iin, name, time.GetUtcNow(), kiosk.KioskId, language, details, new FiledByStaff(registrar)),
            keyFile, password);
    }

    private SigningOutcome SignAndQueue(string signerKey, string service, Guid requestId, string kind, Func<RequestDocument> makeDocument,
        byte[] keyFile, string? password)
    {
        var fileKey = SignInThrottle.KeyFileKey(Convert.ToHexString(SHA256.HashData(keyFile)));
        if (throttle.RetryAfter(signerKey, fileKey) is { } wait)
        {
            logger.LogInformation("Signing refused: {Problem} for {Kind} request {RequestId}, {Seconds} s left", SignInProblems.TooManyAttempts, kind,
                requestId, (int)Math.Ceiling(wait.TotalSeconds));
            return new SigningOutcome(null, [SignInProblems.TooManyAttempts], wait);
        }
        if (!trust.CanCheck)
        {
            logger.LogWarning("Signing refused: {Problem} (no trust anchor in {TrustDirectory})", SignInProblems.TrustUnavailable,
                trust.Directory ?? "(not set)");
            return SigningOutcome.Refused(SignInProblems.TrustUnavailable);
        }

        RequestDocument document;
        try
        {
            document = makeDocument();
        }
        catch (ArgumentException e)
        {
            logger.LogWarning("The {Kind} request {RequestId} cannot be made: {Field} is not valid", kind, requestId, e.ParamName);
            return SigningOutcome.Refused(DocumentInvalid);
        }

        var result = signer.Sign(document, keyFile, password);
        if (!result.Success)
        {
            throttle.RecordFailure(signerKey, fileKey);
            var codes = result.Problems.Where(p => p.IsError).Select(p => p.Code).Distinct().ToList();
            logger.LogInformation("Signing refused for {Kind} request {RequestId}: {Problems}", kind, requestId, string.Join(",", codes));
            return new SigningOutcome(null, codes);
        }
        throttle.Forget(signerKey, fileKey);
        foreach (var warning in result.Problems)
            logger.LogWarning("The {Kind} request {RequestId} signed with a warning: {Problem}", kind, requestId, warning.Code);

        var signed = result.Request;
        try
        {
            using var connection = db.Open();
            using var transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE
            var saved = requests.Save(signed, transaction);
            outbox.Enqueue(signed.RequestId, time.GetUtcNow(), transaction);
            transaction.Commit();
            logger.LogInformation("The {Kind} request {RequestId} signed and queued in the outbox ({Outcome}; {Channel})", kind, signed.RequestId, saved,
                document.FiledBy is null ? "kiosk" : "desk");
            return new SigningOutcome(new RequestReceipt(signed.RequestId, service, signed.SignedAt), []);
        }
        catch (InvalidOperationException) when (requests.Get(signed.RequestId) is { } first)
        {
            // Two posts of one draft raced (a double tap): the first one's document is saved and queued under this id,
            // this one is dropped. The citizen's request is the first one.
            logger.LogInformation("The {Kind} request {RequestId} was already signed and queued; this second signature is dropped",
                kind, signed.RequestId);
            return new SigningOutcome(new RequestReceipt(first.RequestId, service, first.SignedAt), []);
        }
    }

    /// <summary>The name as the certificate gives it: surname, first name, patronymic (or its CN), NFC, one line.</summary>
    public static string ApplicantName(SignedInCitizen citizen)
    {
        var parts = new[] { citizen.Surname, citizen.FirstName, citizen.Patronymic }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        var name = parts.Count > 0 ? string.Join(' ', parts) : citizen.CommonName ?? "";
        name = Pages.Services.HomeCall.HomeCallForm.CleanText(name);
        return name.Length > RequestDocument.MaxNameLength ? name[..RequestDocument.MaxNameLength].TrimEnd() : name;
    }
}
