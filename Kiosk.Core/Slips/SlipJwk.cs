using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kiosk.Core.Slips;

/// <summary>
/// A public P-256 key as a JSON Web Key (RFC 7517/7518), the only kind that signs slips (ES256). Its <c>kid</c> is the
/// RFC 7638 thumbprint, so anyone can recompute it from the key itself.
/// </summary>
public sealed record SlipJwk
{
    [JsonPropertyName("kty")] public string Kty { get; init; } = "EC";
    [JsonPropertyName("crv")] public string Crv { get; init; } = "P-256";
    [JsonPropertyName("x")] public required string X { get; init; }
    [JsonPropertyName("y")] public required string Y { get; init; }
    [JsonPropertyName("kid")] public required string Kid { get; init; }
    [JsonPropertyName("use")] public string Use { get; init; } = "sig";
    [JsonPropertyName("alg")] public string Alg { get; init; } = "ES256";

    /// <summary>
    /// Who holds the private key (<see cref="SlipIssuers"/>): an extra JWK member (RFC 7517 §4 allows them) so that an
    /// offline checker refuses a kiosk's key signing a provider's result. JOSE libraries ignore it.
    /// </summary>
    [JsonPropertyName("issuer")] public string? Issuer { get; init; }

    public static SlipJwk FromKey(ECDsa key, string? issuer = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var p = key.ExportParameters(includePrivateParameters: false);
        if (p.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new ArgumentException("Slips are signed with P-256 (ES256) keys only.", nameof(key));
        var x = Base64Url.EncodeToString(p.Q.X!);
        var y = Base64Url.EncodeToString(p.Q.Y!);
        return new SlipJwk { X = x, Y = y, Kid = Thumbprint(x, y), Issuer = issuer };
    }

    /// <summary>RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace, base64url.</summary>
    public static string Thumbprint(string x, string y)
    {
        var canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The public key, or null when the members are not a P-256 point whose thumbprint is its kid.</summary>
    public ECDsa? ToPublicKey()
    {
        if (Kty != "EC" || Crv != "P-256") return null;
        byte[] x, y;
        try
        {
            x = Base64Url.DecodeFromChars(X);
            y = Base64Url.DecodeFromChars(Y);
        }
        catch (FormatException) { return null; }
        if (x.Length != 32 || y.Length != 32 || Thumbprint(X, Y) != Kid) return null;
        try
        {
            return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
        }
        catch (CryptographicException) { return null; } // not on the curve
    }
}

/// <summary>
/// The issuers' published keys (<c>/.well-known/jwks.json</c>): the current and still-relevant public keys, and the
/// kids of withdrawn keys (a revoked kiosk's), so that an offline checker can tell "revoked" from "unknown".
/// <c>revoked</c> is an extra member of the JWK Set, which RFC 7517 §5 allows; JOSE libraries ignore it.
/// </summary>
public sealed record SlipJwkSet
{
    public static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [JsonPropertyName("keys")] public IReadOnlyList<SlipJwk> Keys { get; init; } = [];
    [JsonPropertyName("revoked")] public IReadOnlyList<string> Revoked { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a saved JWKS; throws <see cref="FormatException"/> when it is not one.</summary>
    public static SlipJwkSet Parse(string json)
    {
        try
        {
            var set = JsonSerializer.Deserialize<SlipJwkSet>(json, Json) ?? throw new FormatException("Empty JWKS.");
            return set with { Keys = set.Keys ?? [], Revoked = set.Revoked ?? [] };
        }
        catch (JsonException e) { throw new FormatException("Not a JWK Set: " + e.Message, e); }
    }
}
