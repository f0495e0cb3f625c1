using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kiosk.Core.Eds.Demo;

/// <summary>
/// manifest.json in the demo CA's folder: every file, who holds it, its password and what the checker must answer
/// for it at sign-in and at signing (an empty list means "valid"). Tests and the kiosk's end-to-end tests read it to
/// find, say, the revoked citizen's AUTH file.
/// </summary>
public sealed record DemoCaManifest(
    string Format,
    DateTimeOffset GeneratedAt,
    string Password,
    string TrustDirectory,
    DateTimeOffset CrlNextUpdate,
    IReadOnlyList<DemoCaAuthorityInfo> Authorities,
    IReadOnlyList<DemoCaEntry> Files)
{
    public const string FileName = "manifest.json";
    public const string CurrentFormat = "kiosk-demo-ca/1";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep Cyrillic names readable
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static DemoCaManifest Load(string path) =>
        JsonSerializer.Deserialize<DemoCaManifest>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} is not a demo CA manifest.");

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The entries of one case (for example "revoked"), in file order.</summary>
    public IEnumerable<DemoCaEntry> OfCase(string @case) => Files.Where(f => f.Case == @case);
}

/// <summary>A CA certificate the demo wrote, and whether a node should trust it.</summary>
public sealed record DemoCaAuthorityInfo(string Role, string Subject, string Certificate, string Algorithm, bool InTrustList, string? Crl, string Note);

/// <summary>One PKCS#12 file of the demo CA.</summary>
public sealed record DemoCaEntry(
    string File,
    string Category,
    string Case,
    string Holder,
    string? Iin,
    string? Bin,
    string? Organisation,
    string KeyType,
    string Algorithm,
    string Sha1Thumbprint,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    IReadOnlyList<string> ExpectedAtSignIn,
    IReadOnlyList<string> ExpectedAtSigning,
    string Note)
{
    public IReadOnlyList<string> Expected(CertificatePurpose purpose) =>
        purpose == CertificatePurpose.SignIn ? ExpectedAtSignIn : ExpectedAtSigning;
}
