using System.Text.Json.Serialization;

namespace Kiosk.Core.Slips;

/// <summary>The kinds of slip (DESIGN §5): a receipt from the kiosk, a result or a refusal from the provider.</summary>
public static class SlipKinds
{
    public const string Receipt = "receipt";
    public const string Result = "result";
    public const string Refusal = "refusal";

    public static bool IsKnown(string? kind) => kind is Receipt or Result or Refusal;
}

/// <summary>Who signs slips: the provider (Central) its results and refusals, each kiosk its own receipts.</summary>
public static class SlipIssuers
{
    public const string Provider = "provider";
    private const string KioskPrefix = "kiosk:";

    public static string Kiosk(string kioskId) => KioskPrefix + kioskId;

    public static string? KioskIdOf(string issuer) => issuer.StartsWith(KioskPrefix, StringComparison.Ordinal) ? issuer[KioskPrefix.Length..] : null;

    /// <summary>A kiosk's key signs only receipts; the provider's only results and refusals.</summary>
    public static bool MaySign(string issuer, string kind) =>
        issuer == Provider ? kind is SlipKinds.Result or SlipKinds.Refusal : KioskIdOf(issuer) is { Length: > 0 } && kind == SlipKinds.Receipt;
}

/// <summary>
/// What a slip says, and no more (issue 6 item 2): the claims of the signed token in its QR code. Short member names
/// keep the token small enough for a QR code that a receipt printer's coarse dots and a cheap phone can handle.
/// Never the full IIN, the address, the phone or the reason for a home call: the masked IIN and initials only.
/// Schema: docs/slips.md.
/// </summary>
public sealed record SlipClaims
{
    /// <summary>Issuer: <c>provider</c> for Central, <c>kiosk:&lt;kioskId&gt;</c> for a kiosk's receipt.</summary>
    [JsonPropertyName("iss")] public required string Issuer { get; init; }

    /// <summary>Issued at, seconds since the Unix epoch (UTC).</summary>
    [JsonPropertyName("iat")] public required long IssuedAt { get; init; }

    /// <summary><see cref="SlipKinds"/>.</summary>
    [JsonPropertyName("k")] public required string Kind { get; init; }

    /// <summary>The request id (lower-case UUID).</summary>
    [JsonPropertyName("rid")] public required string RequestId { get; init; }

    /// <summary>Central's registration number, once registered.</summary>
    [JsonPropertyName("reg")] public string? RegistrationNumber { get; init; }

    /// <summary>The service: home-call, appointment, attachment.</summary>
    [JsonPropertyName("svc")] public required string Service { get; init; }

    /// <summary>The clinic's id in the reference data.</summary>
    [JsonPropertyName("cln")] public long? ClinicId { get; init; }

    /// <summary>The doctor's id in the reference data, where there is one.</summary>
    [JsonPropertyName("doc")] public long? DoctorId { get; init; }

    /// <summary>When: the visit or appointment start, Astana local time (<c>yyyy-MM-ddTHH:mm</c>).</summary>
    [JsonPropertyName("at")] public string? At { get; init; }

    /// <summary>Until: the end of a visit window, Astana local time (<c>HH:mm</c>).</summary>
    [JsonPropertyName("to")] public string? Until { get; init; }

    /// <summary>The status the slip states: queued (a receipt), accepted, refused.</summary>
    [JsonPropertyName("dec")] public required string Decision { get; init; }

    /// <summary>A refusal's reason code.</summary>
    [JsonPropertyName("rsn")] public string? Reason { get; init; }

    /// <summary>The service deadline, Astana local (<c>yyyy-MM-dd</c> or <c>yyyy-MM-ddTHH:mm</c>).</summary>
    [JsonPropertyName("dl")] public string? Deadline { get; init; }

    /// <summary>The masked IIN (<c>******</c> and the last six digits).</summary>
    [JsonPropertyName("iin")] public required string MaskedIin { get; init; }

    /// <summary>Initials, e.g. <c>А. Б.</c></summary>
    [JsonPropertyName("ini")] public string? Initials { get; init; }

    /// <summary>Initials of a full name as the certificate gives it ("ТЕСТОВ ТЕСТ ТЕСТОВИЧ" → "Т. Т. Т.").</summary>
    public static string? InitialsOf(string? fullName)
    {
        var parts = (fullName ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0 ? null : string.Join(' ', parts.Select(p => char.ToUpperInvariant(p[0]) + "."));
    }
}
