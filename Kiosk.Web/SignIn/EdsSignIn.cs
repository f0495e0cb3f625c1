using System.Security.Cryptography;
using Kiosk.Core.Eds;

namespace Kiosk.Web.SignIn;

/// <summary>The kiosk's own sign-in problem codes, beside the checker's and the key file's (<see cref="EdsMessages"/>).</summary>
public static class SignInProblems
{
    /// <summary>The node has no usable trust list: no certificate can be checked.</summary>
    public const string TrustUnavailable = "trust-unavailable";

    /// <summary>Too many failed attempts: refused until the cooldown ends.</summary>
    public const string TooManyAttempts = "too-many-attempts";

    /// <summary>The form's nonce is not the one the server issued for this session (a replayed or stale form).</summary>
    public const string FormExpired = "form-expired";

    /// <summary>The key in the file did not sign the nonce so that its certificate verifies it.</summary>
    public const string ProofFailed = "proof-failed";

    public const string FileMissing = "file-missing";
    public const string FileEmpty = "file-empty";
    public const string PasswordMissing = "password-missing";
}

/// <summary>What a sign-in attempt came to: a citizen, or problem codes (and, when throttled, how long to wait).</summary>
public sealed record SignInAttempt(SignedInCitizen? Citizen, IReadOnlyList<string> Problems, TimeSpan? RetryAfter = null)
{
    public bool Success => Citizen is not null;

    public static SignInAttempt Refused(params string[] problems) => new(null, problems);
}

/// <summary>
/// Sign-in with an AUTH key file (issue 3 item 3, DESIGN §3.1): opens the PKCS#12 in memory, checks the certificate
/// for <see cref="CertificatePurpose.SignIn"/> at the node's time, proves possession of the key over the server's
/// nonce, and counts failures (<see cref="SignInThrottle"/>). The log gets problem codes and the certificate's serial
/// and thumbprint only: never the IIN, the name, the password or anything of the key.
/// </summary>
public sealed class EdsSignIn(KioskTrust trust, SignInThrottle throttle, TimeProvider time, ILogger<EdsSignIn> logger)
{
    /// <param name="keyFile">The file's bytes (the caller clears them afterwards).</param>
    /// <param name="password">The typed password; used for this call only.</param>
    /// <param name="nonce">The single-use nonce the server issued for this form, already taken out of the session.</param>
    /// <param name="sessionId">The kiosk session, for the per-session failure count.</param>
    /// <param name="serviceCode">The service chosen on the start screen, kept in the signed-in session.</param>
    public SignInAttempt Attempt(ReadOnlyMemory<byte> keyFile, ReadOnlySpan<char> password, ReadOnlySpan<byte> nonce,
        string sessionId, string serviceCode)
    {
        var sessionKey = SignInThrottle.SessionKey(sessionId);
        if (throttle.RetryAfter(sessionKey) is { } wait) return Throttled(wait, "this kiosk session");

        if (!trust.CanCheck)
        {
            logger.LogWarning("EDS sign-in refused: {Problem}; the trust folder {TrustDirectory} gives no trust anchor (see Pki:TrustDirectory)",
                SignInProblems.TrustUnavailable, trust.Directory ?? "(not set)");
            return SignInAttempt.Refused(SignInProblems.TrustUnavailable);
        }

        var fileKey = SignInThrottle.KeyFileKey(Convert.ToHexString(SHA256.HashData(keyFile.Span)));
        if (throttle.RetryAfter(fileKey) is { } fileWait) return Throttled(fileWait, "this key file");

        var opened = Pkcs12KeyFile.Open(keyFile, password);
        if (!opened.Success)
            return Failed([opened.ErrorCode!], serial: null, thumbprint: null, sessionKey, fileKey);

        using var key = opened.Key!;
        var thumbprint = key.Certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var serial = key.Certificate.SerialNumber;
        var certKey = SignInThrottle.CertificateKey(thumbprint);
        if (throttle.RetryAfter(certKey) is { } certWait) return Throttled(certWait, "this certificate");

        var check = trust.Checker.Check(key.Certificate, CertificatePurpose.SignIn, time.GetUtcNow(), key.ExtraCertificates);
        foreach (var warning in check.Problems.Where(p => !p.IsError))
            logger.LogWarning("EDS sign-in: warning {Problem} for certificate serial {Serial}, thumbprint {Thumbprint}",
                warning.Code, serial, thumbprint);
        if (!check.Valid)
            return Failed(check.ErrorCodes.ToList(), serial, thumbprint, sessionKey, fileKey, certKey);

        var iin = check.Subject.Iin;
        if (iin is null) // the checker reports no-iin for this; kept as a guard so nobody is ever signed in without an IIN
            return Failed([EdsProblemCodes.NoIin], serial, thumbprint, sessionKey, fileKey, certKey);

        if (!Proves(key, nonce))
            return Failed([SignInProblems.ProofFailed], serial, thumbprint, sessionKey, fileKey, certKey);

        throttle.Forget(sessionKey, fileKey, certKey);
        logger.LogInformation("EDS sign-in succeeded: certificate serial {Serial}, thumbprint {Thumbprint}", serial, thumbprint);
        var subject = check.Subject;
        return new SignInAttempt(
            new SignedInCitizen(iin.Value, subject.Surname, subject.FirstName, subject.Patronymic, subject.CommonName, thumbprint,
                serviceCode, time.GetUtcNow()),
            []);
    }

    /// <summary>Signs the server's nonce with the key and verifies the signature with the certificate's public key.</summary>
    private static bool Proves(EdsKey key, ReadOnlySpan<byte> nonce)
    {
        try
        {
            var proof = ProofOfPossession.Sign(key.Certificate, nonce);
            return ProofOfPossession.Verify(key.Certificate, nonce, proof);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private SignInAttempt Failed(IReadOnlyList<string> problems, string? serial, string? thumbprint, params ReadOnlySpan<string> keys)
    {
        throttle.RecordFailure(keys);
        logger.LogInformation("EDS sign-in refused: {Problems}; certificate serial {Serial}, thumbprint {Thumbprint}",
            string.Join(",", problems), serial ?? "(not opened)", thumbprint ?? "(not opened)");
        return new SignInAttempt(null, problems);
    }

    private SignInAttempt Throttled(TimeSpan wait, string what)
    {
        logger.LogWarning("EDS sign-in refused: {Problem} for {Throttled}, {Seconds} s left",
            SignInProblems.TooManyAttempts, what, (int)Math.Ceiling(wait.TotalSeconds));
        return new SignInAttempt(null, [SignInProblems.TooManyAttempts], wait);
    }
}
