namespace Kiosk.Core.Eds;

/// <summary>
/// The stable, machine-readable problem codes of the certificate checker. They are logged, returned by Central's
/// verification API and mapped to citizen-facing messages by <see cref="EdsMessages"/>: never rename one.
/// </summary>
public static class EdsProblemCodes
{
    public const string Untrusted = "untrusted";
    public const string Expired = "expired";
    public const string NotYetValid = "not-yet-valid";
    public const string Revoked = "revoked";
    public const string CrlStale = "crl-stale";
    public const string CrlMissing = "crl-missing";
    public const string WrongKeyUsage = "wrong-key-usage";
    public const string NoIin = "no-iin";
    public const string BadIin = "bad-iin";
    public const string UnsupportedAlgorithm = "unsupported-algorithm";
    public const string Malformed = "malformed";

    // Codes of a signature rather than of a certificate: reported by CMS verification (Central's API, the kiosk's own
    // check of what it signed) and by request signing.
    public const string BadSignature = "bad-signature";
    public const string ContentMismatch = "content-mismatch";
    public const string IinMismatch = "iin-mismatch";

    /// <summary>Every checker code, in the order the checker reports them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Malformed, Untrusted, Expired, NotYetValid, Revoked, CrlMissing, CrlStale, WrongKeyUsage, NoIin, BadIin,
        UnsupportedAlgorithm,
    ];

    /// <summary>The codes a signature (not its certificate) can add.</summary>
    public static IReadOnlyList<string> Signature { get; } = [BadSignature, ContentMismatch, IinMismatch];
}

public enum EdsSeverity
{
    /// <summary>The certificate must not be accepted.</summary>
    Error,

    /// <summary>Accepted, but the node should say so (a stale CRL under <see cref="StaleCrlPolicy.Warn"/>).</summary>
    Warning,
}

/// <summary>
/// One reason a certificate is not (fully) acceptable. <see cref="Detail"/> is a technical English note for logs and
/// operators (certificate subjects, serials, dates — never key material or passwords); citizens see
/// <see cref="Message"/>.
/// </summary>
public sealed record EdsProblem(string Code, EdsSeverity Severity, string Detail)
{
    public bool IsError => Severity == EdsSeverity.Error;

    /// <summary>The citizen-facing message in "kk", "ru" or "en".</summary>
    public string Message(string language) => EdsMessages.For(Code, language);

    public override string ToString() => $"{Code}{(IsError ? "" : " (warning)")}: {Detail}";
}
