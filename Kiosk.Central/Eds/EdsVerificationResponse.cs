using System.ComponentModel;
using System.Text.Json.Serialization;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Cms;

namespace Kiosk.Central.Eds;

/// <summary>Who the certificate names (DESIGN §4). Null where the certificate says nothing.</summary>
public sealed record EdsSubjectDto(
    [property: Description("IIN from SERIALNUMBER (\"IIN\" + 12 digits), when present and valid")] string? Iin,
    [property: Description("BIN from OU (\"BIN\" + 12 digits) of a legal entity's employee")] string? Bin,
    string? Surname,
    [property: Description("The first name: CN minus the surname")] string? FirstName,
    [property: Description("The patronymic, from GIVENNAME (2.5.4.42)")] string? Patronymic,
    string? CommonName,
    [property: Description("O, for a legal entity's employee")] string? Organisation)
{
    public static EdsSubjectDto From(CertificateSubject s) =>
        new(s.Iin?.Value, s.Bin?.Value, s.Surname, s.FirstName, s.Patronymic, s.CommonName, s.Organisation);
}

/// <summary>A problem's citizen-facing message in three languages, and an English technical note.</summary>
public sealed record EdsMessageDto(
    string Code,
    string Kk,
    string Ru,
    string En,
    [property: Description("Technical note in English for operators (names, serials, dates; never key material)")] string? Detail);

/// <summary>The checked certificate (the signer's, for a CMS).</summary>
public sealed record EdsCertificateDto(
    [property: Description("SHA-256 of the certificate's DER, upper-case hex")] string Thumbprint,
    [property: Description("Serial number, upper-case hex")] string? SerialNumber,
    string? Issuer,
    DateTimeOffset? NotBefore,
    DateTimeOffset? NotAfter);

/// <summary>
/// The answer of both verification endpoints: <c>valid</c>, who the certificate names, the machine-readable problem
/// codes and their messages.
/// </summary>
public sealed record EdsVerificationResponse(
    [property: Description("True only when nothing is wrong (warnings allowed)")] bool Valid,
    [property: Description("\"auth\" or \"sign\": the purpose the certificate was checked for (a CMS is always \"sign\")")] string Purpose,
    EdsSubjectDto Subject,
    [property: Description("Error codes: malformed, untrusted, expired, not-yet-valid, revoked, crl-missing, crl-stale, wrong-key-usage, no-iin, bad-iin, unsupported-algorithm, bad-signature, content-mismatch")] IReadOnlyList<string> Problems,
    [property: Description("Codes that do not make the result invalid (crl-stale when Pki:StaleCrl is Warn)")] IReadOnlyList<string> Warnings,
    [property: Description("One entry per problem and warning, in the same order")] IReadOnlyList<EdsMessageDto> Messages,
    [property: Description("The instant the certificate's validity was checked at")] DateTimeOffset TimeOfUse,
    EdsCertificateDto? Certificate,
    [property: Description("CMS only: the signing-time attribute as the signer claims it")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? SigningTime = null,
    [property: Description("CMS only: signing-time, now-no-signing-time, now-signing-time-too-old or now-signing-time-in-future")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TimeOfUseBasis = null,
    [property: Description("CMS only: the signer's digest algorithm")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DigestAlgorithm = null)
{
    public const string Auth = "auth";
    public const string Sign = "sign";

    public bool IsMalformed => Problems.Contains(EdsProblemCodes.Malformed);

    public static EdsVerificationResponse From(CertificateCheckResult r, string? issuer) => new(
        r.Valid,
        r.Purpose == CertificatePurpose.SignIn ? Auth : Sign,
        EdsSubjectDto.From(r.Subject),
        r.ErrorCodes.ToList(),
        r.Problems.Where(p => !p.IsError).Select(p => p.Code).ToList(),
        MessagesOf(r.Problems),
        r.TimeOfUse,
        CertificateOf(r, issuer));

    public static EdsVerificationResponse From(CmsVerificationResult r) => new(
        r.Valid,
        Sign,
        EdsSubjectDto.From(r.Subject),
        r.ErrorCodes.ToList(),
        r.Problems.Where(p => !p.IsError).Select(p => p.Code).ToList(),
        MessagesOf(r.Problems),
        r.TimeOfUse,
        r.Certificate is { } c ? CertificateOf(c, r.SignerCertificate?.Issuer) : null,
        r.SigningTime,
        r.TimeOfUseBasis switch
        {
            SigningTimeBasis.SigningTime => "signing-time",
            SigningTimeBasis.NowNoSigningTime => "now-no-signing-time",
            SigningTimeBasis.NowSigningTimeTooOld => "now-signing-time-too-old",
            SigningTimeBasis.NowSigningTimeInFuture => "now-signing-time-in-future",
            _ => null,
        },
        r.DigestAlgorithm);

    /// <summary>A 400 answer for input that is not even worth checking (no certificate, unknown purpose, missing field).</summary>
    public static EdsVerificationResponse Malformed(string purpose, DateTimeOffset now, string detail) => new(
        false, purpose, EdsSubjectDto.From(CertificateSubject.Empty), [EdsProblemCodes.Malformed], [],
        MessagesOf([new EdsProblem(EdsProblemCodes.Malformed, EdsSeverity.Error, detail)]), now, null);

    private static List<EdsMessageDto> MessagesOf(IEnumerable<EdsProblem> problems) =>
        problems.Select(p => new EdsMessageDto(p.Code, EdsMessages.For(p.Code, "kk"), EdsMessages.For(p.Code, "ru"), EdsMessages.For(p.Code, "en"), p.Detail))
            .ToList();

    private static EdsCertificateDto? CertificateOf(CertificateCheckResult r, string? issuer) =>
        string.IsNullOrEmpty(r.Thumbprint) ? null : new EdsCertificateDto(r.Thumbprint, r.SerialNumber, issuer, r.NotBefore, r.NotAfter);
}
