namespace Kiosk.Core.Eds;

/// <summary>
/// The checker's answer. <see cref="Valid"/> is true when no problem is an error (a stale CRL under
/// <see cref="StaleCrlPolicy.Warn"/> is a warning and leaves the result valid). Problems come one per code, in the
/// order of <see cref="EdsProblemCodes.All"/>.
/// </summary>
public sealed record CertificateCheckResult
{
    public required bool Valid { get; init; }
    public required CertificateSubject Subject { get; init; }
    public required IReadOnlyList<EdsProblem> Problems { get; init; }

    /// <summary>SHA-256 of the certificate's DER, upper-case hex (empty when the input was not a certificate).</summary>
    public required string Thumbprint { get; init; }

    public required CertificatePurpose Purpose { get; init; }
    public required DateTimeOffset TimeOfUse { get; init; }

    /// <summary>The certificate's serial number, upper-case hex as in the certificate (null when malformed).</summary>
    public string? SerialNumber { get; init; }

    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? NotAfter { get; init; }

    public IEnumerable<string> Codes => Problems.Select(p => p.Code);

    public IEnumerable<string> ErrorCodes => Problems.Where(p => p.IsError).Select(p => p.Code);

    public bool Has(string code) => Problems.Any(p => p.Code == code);

    /// <summary>The citizen-facing message of every problem, in "kk", "ru" or "en".</summary>
    public IReadOnlyList<string> Messages(string language) => Problems.Select(p => p.Message(language)).ToList();
}
