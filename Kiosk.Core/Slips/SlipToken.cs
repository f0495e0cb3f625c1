using System.Buffers.Text;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kiosk.Core.Slips;

/// <summary>
/// Signs slip claims as a compact JWS (RFC 7515): header <c>{"alg":"ES256","kid":…,"zip":"DEF"}</c>, payload the
/// minified claims compressed with raw DEFLATE (RFC 1951), as SMART Health Cards do, so a typical token stays well
/// under 500 characters. The key is a P-256 key; its kid is the RFC 7638 thumbprint.
/// </summary>
public sealed class SlipSigner
{
    private readonly ECDsa _key;
    private readonly string _encodedHeader;

    /// <param name="issuer">Who holds the key (<see cref="SlipIssuers"/>); published with the key.</param>
    public SlipSigner(ECDsa key, string? issuer = null)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        Jwk = SlipJwk.FromKey(key, issuer);
        var header = JsonSerializer.SerializeToUtf8Bytes(new SlipHeader { Alg = "ES256", Kid = Jwk.Kid, Zip = "DEF" }, SlipToken.Json);
        _encodedHeader = Base64Url.EncodeToString(header);
    }

    /// <summary>The public key that verifies this signer's tokens.</summary>
    public SlipJwk Jwk { get; }

    public string Sign(SlipClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (Jwk.Issuer is { } holder && (claims.Issuer != holder || !SlipIssuers.MaySign(holder, claims.Kind)))
            throw new ArgumentException($"A key of '{holder}' does not sign a {claims.Kind} of '{claims.Issuer}'.", nameof(claims));
        var json = JsonSerializer.SerializeToUtf8Bytes(claims, SlipToken.Json);
        var signingInput = _encodedHeader + "." + Base64Url.EncodeToString(SlipToken.Deflate(json));
        // .NET's ECDsa.SignData writes r‖s (IEEE P1363), the form JWS's ES256 takes.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}

/// <summary>What a check of a slip token found.</summary>
public sealed record SlipVerification(bool Valid, string? Kid, SlipClaims? Claims, IReadOnlyList<string> Problems)
{
    public string? Kind => Claims?.Kind;

    internal static SlipVerification Refused(string problem, string? kid = null, SlipClaims? claims = null) =>
        new(false, kid, claims, [problem]);
}

/// <summary>
/// Checks slip tokens against published keys, offline: parse, look the kid up, verify ES256, inflate with a cap,
/// read the claims. A token never gets more work than its size allows: over <see cref="MaxTokenLength"/> characters
/// it is refused unread, and its payload is inflated to at most <see cref="MaxPayloadBytes"/> bytes.
/// </summary>
public static class SlipToken
{
    /// <summary>Far above a real slip's token (about 300–450 characters), far below anything a QR code could hold.</summary>
    public const int MaxTokenLength = 2048;

    /// <summary>A slip's claims are a few hundred bytes; anything that inflates past this is refused, not processed.</summary>
    public const int MaxPayloadBytes = 4096;

    internal static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Cyrillic names of initials stay as UTF-8, not \uXXXX escapes: smaller tokens.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The token from what a QR code or a person gives: a bare token, or the verification URL with the token after
    /// <c>#</c>.
    /// </summary>
    public static string ExtractToken(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = text.IndexOf('#');
        return (hash >= 0 ? text[(hash + 1)..] : text).Trim();
    }

    public static SlipVerification Verify(string tokenOrUrl, SlipJwkSet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var token = ExtractToken(tokenOrUrl ?? "");
        if (token.Length > MaxTokenLength) return SlipVerification.Refused(SlipProblems.TooLarge);
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0)) return SlipVerification.Refused(SlipProblems.Malformed);

        SlipHeader? header;
        byte[] payload, signature;
        try
        {
            header = JsonSerializer.Deserialize<SlipHeader>(Base64Url.DecodeFromChars(parts[0]), Json);
            payload = Base64Url.DecodeFromChars(parts[1]);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return SlipVerification.Refused(SlipProblems.Malformed);
        }
        if (header is not { Alg: "ES256", Zip: "DEF" } || string.IsNullOrEmpty(header.Kid) || header.Crit is not null)
            return SlipVerification.Refused(SlipProblems.Malformed, header?.Kid);

        var kid = header.Kid;
        if (keys.Revoked.Contains(kid, StringComparer.Ordinal)) return SlipVerification.Refused(SlipProblems.RevokedKey, kid);
        var jwk = keys.Keys.FirstOrDefault(k => k.Kid == kid);
        if (jwk is null) return SlipVerification.Refused(SlipProblems.UnknownKey, kid);
        using var publicKey = jwk.ToPublicKey();
        if (publicKey is null) return SlipVerification.Refused(SlipProblems.UnknownKey, kid);

        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (signature.Length != 64 || !publicKey.VerifyData(signingInput, signature, HashAlgorithmName.SHA256))
            return SlipVerification.Refused(SlipProblems.BadSignature, kid);

        // Only a genuinely signed payload is inflated, and never past the cap.
        var json = Inflate(payload, MaxPayloadBytes, out var tooLarge);
        if (tooLarge) return SlipVerification.Refused(SlipProblems.TooLarge, kid);
        if (json is null) return SlipVerification.Refused(SlipProblems.Malformed, kid);
        SlipClaims? claims;
        try { claims = JsonSerializer.Deserialize<SlipClaims>(json, Json); }
        catch (JsonException) { return SlipVerification.Refused(SlipProblems.Malformed, kid); }
        if (claims is null || !SlipKinds.IsKnown(claims.Kind)) return SlipVerification.Refused(SlipProblems.Malformed, kid, claims);
        if (jwk.Issuer is { } holder && (claims.Issuer != holder || !SlipIssuers.MaySign(holder, claims.Kind)))
            return SlipVerification.Refused(SlipProblems.WrongIssuer, kid, claims);
        return new SlipVerification(true, kid, claims, []);
    }

    /// <summary>
    /// The claims of a token this node already trusts (one it signed or got from Central over its authenticated
    /// channel), for printing it again. Not a check: <see cref="Verify"/> is. Null when it cannot be read.
    /// </summary>
    public static SlipClaims? ReadTrusted(string token)
    {
        var parts = (token ?? "").Split('.');
        if (parts.Length != 3 || token!.Length > MaxTokenLength) return null;
        try
        {
            var json = Inflate(Base64Url.DecodeFromChars(parts[1]), MaxPayloadBytes, out _);
            return json is null ? null : JsonSerializer.Deserialize<SlipClaims>(json, Json);
        }
        catch (Exception e) when (e is FormatException or JsonException) { return null; }
    }

    internal static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            deflate.Write(data);
        return output.ToArray();
    }

    /// <summary>Raw DEFLATE, reading at most <paramref name="limit"/> + 1 bytes; null when it is not DEFLATE.</summary>
    internal static byte[]? Inflate(byte[] data, int limit, out bool tooLarge)
    {
        tooLarge = false;
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(data), CompressionMode.Decompress);
            var buffer = new byte[limit + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = deflate.Read(buffer, total, buffer.Length - total)) > 0) total += read;
            if (total > limit) { tooLarge = true; return null; }
            return buffer[..total];
        }
        catch (InvalidDataException) { return null; }
    }
}

/// <summary>The JOSE header of a slip token.</summary>
internal sealed record SlipHeader
{
    [JsonPropertyName("alg")] public string? Alg { get; init; }
    [JsonPropertyName("kid")] public string? Kid { get; init; }
    [JsonPropertyName("zip")] public string? Zip { get; init; }
    [JsonPropertyName("crit")] public JsonElement? Crit { get; init; }
}
