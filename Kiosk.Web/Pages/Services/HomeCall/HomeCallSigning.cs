using System.Security.Cryptography;
using Kiosk.Core.Eds;
using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Storage;
using Kiosk.Web.SignIn;

namespace Kiosk.Web.Pages.Services.HomeCall;

/// <summary>What a signing attempt came to: a receipt (signed, saved and queued), or problem codes.</summary>
public sealed record HomeCallSigningOutcome(HomeCallReceipt? Receipt, IReadOnlyList<string> Problems, TimeSpan? RetryAfter = null)
{
    public static HomeCallSigningOutcome Refused(params string[] codes) => new(null, codes);
}

/// <summary>
/// The citizen's explicit act of signing a home call (DESIGN §3.1 steps 3–4): builds the request document from the
/// draft and the signed-in citizen, lets <see cref="RequestSigner"/> open the signing key in memory, check it for
/// signing and the IIN, and sign; then saves the signed request and its outbox row in ONE SQLite transaction. Only a
/// committed transaction gives a receipt. Failed attempts are throttled per signed-in citizen and per key file with the
/// sign-in's <see cref="SignInThrottle"/> (other keys, the same limits). Logs carry the request id and problem codes,
/// never a name, IIN, address, phone, key or password.
/// </summary>
public sealed class HomeCallSigning(
    RequestSigner signer,
    KioskTrust trust,
    SignInThrottle throttle,
    SqliteDatabase db,
    SignedRequestStore requests,
    OutboxStore outbox,
    KioskIdentity kiosk,
    TimeProvider time,
    ILogger<HomeCallSigning> logger)
{
    /// <summary>The details do not make a valid request document (should not happen after the form's checks).</summary>
    public const string DocumentInvalid = "document-invalid";

    public HomeCallSigningOutcome Sign(SignedInCitizen citizen, HomeCallDraft draft, string language, byte[] keyFile, string? password)
    {
        var citizenKey = "signer:" + citizen.Thumbprint;
        var fileKey = SignInThrottle.KeyFileKey(Convert.ToHexString(SHA256.HashData(keyFile)));
        if (throttle.RetryAfter(citizenKey, fileKey) is { } wait)
        {
            logger.LogInformation("Home-call signing refused: {Problem} for {RequestId}, {Seconds} s left", SignInProblems.TooManyAttempts, draft.RequestId,
                (int)Math.Ceiling(wait.TotalSeconds));
            return new HomeCallSigningOutcome(null, [SignInProblems.TooManyAttempts], wait);
        }
        if (!trust.CanCheck)
        {
            logger.LogWarning("Home-call signing refused: {Problem} (no trust anchor in {TrustDirectory})", SignInProblems.TrustUnavailable,
                trust.Directory ?? "(not set)");
            return HomeCallSigningOutcome.Refused(SignInProblems.TrustUnavailable);
        }

        RequestDocument document;
        try
        {
            document = new RequestDocument(draft.RequestId, citizen.Iin, ApplicantName(citizen), time.GetUtcNow(), kiosk.KioskId,
                language, draft.ToDetails());
        }
        catch (ArgumentException e)
        {
            logger.LogWarning("Home-call request {RequestId} cannot be made: {Field} is not valid", draft.RequestId, e.ParamName);
            return HomeCallSigningOutcome.Refused(DocumentInvalid);
        }

        var result = signer.Sign(document, keyFile, password);
        if (!result.Success)
        {
            throttle.RecordFailure(citizenKey, fileKey);
            var codes = result.Problems.Where(p => p.IsError).Select(p => p.Code).Distinct().ToList();
            logger.LogInformation("Home-call signing refused for {RequestId}: {Problems}", draft.RequestId, string.Join(",", codes));
            return new HomeCallSigningOutcome(null, codes);
        }
        throttle.Forget(citizenKey, fileKey);
        foreach (var warning in result.Problems)
            logger.LogWarning("Home-call request {RequestId} signed with a warning: {Problem}", draft.RequestId, warning.Code);

        var signed = result.Request;
        try
        {
            using var connection = db.Open();
            using var transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE
            var saved = requests.Save(signed, transaction);
            outbox.Enqueue(signed.RequestId, time.GetUtcNow(), transaction);
            transaction.Commit();
            logger.LogInformation("Home-call request {RequestId} signed and queued in the outbox ({Outcome})", signed.RequestId, saved);
            return new HomeCallSigningOutcome(new HomeCallReceipt(signed.RequestId, signed.SignedAt), []);
        }
        catch (InvalidOperationException) when (requests.Get(signed.RequestId) is { } first)
        {
            // Two posts of one draft raced (a double tap): the first one's document is saved and queued under this id,
            // this one is dropped. The citizen's request is the first one.
            logger.LogInformation("Home-call request {RequestId} was already signed and queued; this second signature is dropped",
                signed.RequestId);
            return new HomeCallSigningOutcome(new HomeCallReceipt(first.RequestId, first.SignedAt), []);
        }
    }

    /// <summary>The name as the certificate gives it: surname, first name, patronymic (or its CN), NFC, one line.</summary>
    public static string ApplicantName(SignedInCitizen citizen)
    {
        var parts = new[] { citizen.Surname, citizen.FirstName, citizen.Patronymic }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        var name = parts.Count > 0 ? string.Join(' ', parts) : citizen.CommonName ?? "";
        name = HomeCallForm.CleanText(name);
        return name.Length > RequestDocument.MaxNameLength ? name[..RequestDocument.MaxNameLength].TrimEnd() : name;
    }
}
