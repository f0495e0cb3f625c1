using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Core.Eds.Cms;

/// <summary>Where the time of use of a CMS signature's certificate came from (see <see cref="DetachedCmsVerifier"/>).</summary>
public enum SigningTimeBasis
{
    /// <summary>The signed signing-time attribute: the signer's claim, within the allowed age and clock skew.</summary>
    SigningTime,

    /// <summary>No signing-time attribute: the certificate is checked as of now.</summary>
    NowNoSigningTime,

    /// <summary>The signing-time is older than the allowed age: without a trusted timestamp the claim is not relied on, the certificate is checked as of now.</summary>
    NowSigningTimeTooOld,

    /// <summary>The signing-time is later than now (beyond the clock skew): refused as <c>not-yet-valid</c>, the certificate is checked as of now.</summary>
    NowSigningTimeInFuture,

    /// <summary>The signature could not be read at all.</summary>
    None,
}

/// <summary>
/// The answer of <see cref="DetachedCmsVerifier"/>. <see cref="Valid"/> is true only when the signature verifies over
/// the content and the signer certificate passes the checker for signing; <see cref="Problems"/> holds the signature's
/// codes (<c>malformed</c>, <c>bad-signature</c>, <c>content-mismatch</c>) followed by the certificate's, one per code.
/// </summary>
public sealed record CmsVerificationResult
{
    public required bool Valid { get; init; }

    /// <summary>Who the signer certificate names (empty when the signature could not be read).</summary>
    public required CertificateSubject Subject { get; init; }

    public required IReadOnlyList<EdsProblem> Problems { get; init; }

    /// <summary>The signed signing-time attribute, as the signer claims it (null when absent or unreadable).</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>The instant the certificate's validity was checked at; revocation is always judged as of now.</summary>
    public required DateTimeOffset TimeOfUse { get; init; }

    public required SigningTimeBasis TimeOfUseBasis { get; init; }

    /// <summary>The signer's certificate as embedded in the CMS (null when there is none). The caller may dispose it.</summary>
    public X509Certificate2? SignerCertificate { get; init; }

    /// <summary>The checker's answer for the signer certificate (null when the CMS could not be read that far).</summary>
    public CertificateCheckResult? Certificate { get; init; }

    /// <summary>The signer's digest algorithm ("SHA256", …), or its OID when it is not one we accept.</summary>
    public string? DigestAlgorithm { get; init; }

    public IEnumerable<string> Codes => Problems.Select(p => p.Code);

    public IEnumerable<string> ErrorCodes => Problems.Where(p => p.IsError).Select(p => p.Code);

    public bool Has(string code) => Problems.Any(p => p.Code == code);

    /// <summary>The citizen-facing message of every problem, in "kk", "ru" or "en".</summary>
    public IReadOnlyList<string> Messages(string language) => Problems.Select(p => p.Message(language)).ToList();
}
