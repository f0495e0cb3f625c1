using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kiosk.Core.Slips;
using Xunit;

namespace Kiosk.Tests.Slips;

public sealed class SlipTokenTests : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    public static SlipClaims TypicalResult() => new()
    {
        Issuer = "provider",
        IssuedAt = 1_795_000_000,
        Kind = SlipKinds.Result,
        RequestId = "3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f",
        RegistrationNumber = "HC-20261126-000123",
        Service = "home-call",
        ClinicId = 3,
        At = "2026-11-26T14:00",
        Until = "18:00",
        Decision = "accepted",
        Deadline = "2026-11-26",
        MaskedIin = "******300512",
        Initials = "А. Ж.",
    };

    private SlipJwkSet Keys(params string[] revoked) => new() { Keys = [SlipJwk.FromKey(_key)], Revoked = revoked };

    [Fact]
    public void A_signed_token_verifies_with_the_published_key_and_gives_back_every_claim()
    {
        var token = new SlipSigner(_key).Sign(TypicalResult());

        var result = SlipToken.Verify(token, Keys());

        Assert.True(result.Valid, string.Join(",", result.Problems));
        Assert.Empty(result.Problems);
        Assert.Equal(TypicalResult(), result.Claims);
        Assert.Equal(SlipKinds.Result, result.Kind);
        Assert.Equal(SlipJwk.FromKey(_key).Kid, result.Kid);
    }

    [Fact]
    public void A_typical_token_is_under_500_characters_and_its_header_says_ES256_DEF_and_the_kid()
    {
        var token = new SlipSigner(_key).Sign(TypicalResult());

        Assert.True(token.Length < 500, $"token is {token.Length} characters");
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[0]));
        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("DEF", header.RootElement.GetProperty("zip").GetString());
        Assert.Equal(SlipJwk.FromKey(_key).Kid, header.RootElement.GetProperty("kid").GetString());
    }

    [Fact]
    public void The_payload_never_carries_a_full_IIN_an_address_or_a_phone()
    {
        var token = new SlipSigner(_key).Sign(TypicalResult());
        var json = Encoding.UTF8.GetString(SlipToken.Inflate(Base64Url.DecodeFromChars(token.Split('.')[1]), 4096, out _)!);

        Assert.DoesNotMatch(@"\d{12}", json);
        using var doc = JsonDocument.Parse(json);
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Subset(new HashSet<string> { "iss", "iat", "k", "rid", "reg", "svc", "cln", "doc", "at", "to", "dec", "rsn", "dl", "iin", "ini" }, names);
    }

    [Fact]
    public void The_whole_QR_text_with_the_verification_URL_is_accepted()
    {
        var token = new SlipSigner(_key).Sign(TypicalResult());

        var result = SlipToken.Verify("http://127.0.0.1:5080/verify#" + token, Keys());

        Assert.True(result.Valid);
    }

    [Fact]
    public void A_changed_claim_is_a_bad_signature()
    {
        var token = new SlipSigner(_key).Sign(TypicalResult());
        var parts = token.Split('.');
        var json = Encoding.UTF8.GetString(SlipToken.Inflate(Base64Url.DecodeFromChars(parts[1]), 4096, out _)!);
        var forged = json.Replace("\"accepted\"", "\"refused\"");
        Assert.NotEqual(json, forged);
        var forgedToken = parts[0] + "." + Base64Url.EncodeToString(SlipToken.Deflate(Encoding.UTF8.GetBytes(forged))) + "." + parts[2];

        var result = SlipToken.Verify(forgedToken, Keys());

        Assert.False(result.Valid);
        Assert.Equal([SlipProblems.BadSignature], result.Problems);
        Assert.Null(result.Claims);
    }

    [Fact]
    public void A_token_signed_by_a_key_that_is_not_published_is_an_unknown_key()
    {
        var token = new SlipSigner(_otherKey).Sign(TypicalResult());

        var result = SlipToken.Verify(token, Keys());

        Assert.Equal([SlipProblems.UnknownKey], result.Problems);
    }

    [Fact]
    public void A_token_of_a_withdrawn_key_is_a_revoked_key_even_when_the_key_is_still_listed()
    {
        var signer = new SlipSigner(_key);
        var token = signer.Sign(TypicalResult());

        Assert.Equal([SlipProblems.RevokedKey], SlipToken.Verify(token, Keys(signer.Jwk.Kid)).Problems);
        Assert.Equal([SlipProblems.RevokedKey], SlipToken.Verify(token, new SlipJwkSet { Revoked = [signer.Jwk.Kid] }).Problems);
    }

    [Fact]
    public void A_published_key_whose_kid_is_not_its_thumbprint_is_not_used()
    {
        var signer = new SlipSigner(_key);
        var other = SlipJwk.FromKey(_otherKey);
        var lying = other with { Kid = signer.Jwk.Kid }; // another key posing under this kid

        var result = SlipToken.Verify(signer.Sign(TypicalResult()), new SlipJwkSet { Keys = [lying] });

        Assert.Equal([SlipProblems.UnknownKey], result.Problems);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.###.$$$")]
    [InlineData("http://127.0.0.1/verify#")]
    public void Garbage_is_malformed(string text)
    {
        Assert.Equal([SlipProblems.Malformed], SlipToken.Verify(text, Keys()).Problems);
    }

    [Theory]
    [InlineData("{\"alg\":\"none\",\"kid\":\"K\",\"zip\":\"DEF\"}")]
    [InlineData("{\"alg\":\"HS256\",\"kid\":\"K\",\"zip\":\"DEF\"}")]
    [InlineData("{\"alg\":\"ES256\",\"kid\":\"K\"}")]
    [InlineData("{\"alg\":\"ES256\",\"zip\":\"DEF\"}")]
    [InlineData("{\"alg\":\"ES256\",\"kid\":\"K\",\"zip\":\"DEF\",\"crit\":[\"exp\"]}")]
    public void A_header_other_than_ES256_with_DEF_and_a_kid_is_malformed(string header)
    {
        var token = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + ".AAAA.AAAA";

        Assert.Equal([SlipProblems.Malformed], SlipToken.Verify(token, Keys()).Problems);
    }

    [Fact]
    public void A_genuinely_signed_payload_that_is_not_DEFLATE_or_not_slip_claims_is_malformed()
    {
        Assert.Equal([SlipProblems.Malformed], SlipToken.Verify(SignRawPayload(Encoding.UTF8.GetBytes("{\"k\":\"receipt\"}")), Keys()).Problems);
        var notClaims = SlipToken.Deflate(Encoding.UTF8.GetBytes("{\"k\":\"receipt\"}"));
        Assert.Equal([SlipProblems.Malformed], SlipToken.Verify(SignRawPayload(notClaims), Keys()).Problems);
        var badKind = SlipToken.Deflate(JsonSerializer.SerializeToUtf8Bytes(TypicalResult() with { Kind = "coupon" }));
        Assert.Equal([SlipProblems.Malformed], SlipToken.Verify(SignRawPayload(badKind), Keys()).Problems);
    }

    [Fact]
    public void A_token_longer_than_any_slip_is_refused_unread()
    {
        var token = new string('A', SlipToken.MaxTokenLength + 1);

        Assert.Equal([SlipProblems.TooLarge], SlipToken.Verify(token, Keys()).Problems);
    }

    [Fact]
    public void A_signed_payload_that_inflates_past_the_cap_is_refused_not_processed()
    {
        // 1 MiB of spaces deflates to about a kilobyte: a small token that would inflate a thousandfold.
        var bomb = SlipToken.Deflate(Encoding.UTF8.GetBytes(new string(' ', 1 << 20)));
        var token = SignRawPayload(bomb);
        Assert.True(token.Length <= SlipToken.MaxTokenLength, $"{token.Length}");

        Assert.Equal([SlipProblems.TooLarge], SlipToken.Verify(token, Keys()).Problems);
    }

    [Fact]
    public void A_JWK_Set_survives_saving_and_reading()
    {
        var set = Keys("some-old-kid");

        var read = SlipJwkSet.Parse(set.ToJson());

        Assert.Equal(set.Keys, read.Keys);
        Assert.Equal(set.Revoked, read.Revoked);
        Assert.Throws<FormatException>(() => SlipJwkSet.Parse("[1,2]"));
    }

    [Fact]
    public void Only_P256_keys_sign_slips()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => new SlipSigner(p384));
    }

    private string SignRawPayload(byte[] payload)
    {
        var jwk = SlipJwk.FromKey(_key);
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"alg\":\"ES256\",\"kid\":\"{jwk.Kid}\",\"zip\":\"DEF\"}}"));
        var input = header + "." + Base64Url.EncodeToString(payload);
        return input + "." + Base64Url.EncodeToString(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }
}

public sealed class SlipIssuerTests
{
    [Fact]
    public void A_kiosk_key_that_signs_a_result_is_refused_as_the_wrong_issuer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = SlipJwk.FromKey(key, SlipIssuers.Kiosk("kiosk-01"));
        // Signed by hand: SlipSigner itself refuses to sign it.
        var claims = SlipTokenTests.TypicalResult() with { Issuer = SlipIssuers.Kiosk("kiosk-01") };
        Assert.Throws<ArgumentException>(() => new SlipSigner(key, SlipIssuers.Kiosk("kiosk-01")).Sign(claims));
        var token = new SlipSigner(key).Sign(claims);

        var result = SlipToken.Verify(token, new SlipJwkSet { Keys = [jwk] });

        Assert.Equal([SlipProblems.WrongIssuer], result.Problems);
    }

    [Fact]
    public void Claims_naming_another_issuer_than_the_key_holder_are_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = SlipJwk.FromKey(key, SlipIssuers.Kiosk("kiosk-01"));
        var receipt = SlipTokenTests.TypicalResult() with { Kind = SlipKinds.Receipt, Decision = "queued", Issuer = SlipIssuers.Kiosk("kiosk-02") };
        var token = new SlipSigner(key).Sign(receipt);

        Assert.Equal([SlipProblems.WrongIssuer], SlipToken.Verify(token, new SlipJwkSet { Keys = [jwk] }).Problems);
        var own = receipt with { Issuer = SlipIssuers.Kiosk("kiosk-01") };
        Assert.True(SlipToken.Verify(new SlipSigner(key, own.Issuer).Sign(own), new SlipJwkSet { Keys = [jwk] }).Valid);
    }

    [Theory]
    [InlineData("provider", "result", true)]
    [InlineData("provider", "refusal", true)]
    [InlineData("provider", "receipt", false)]
    [InlineData("kiosk:k1", "receipt", true)]
    [InlineData("kiosk:k1", "result", false)]
    [InlineData("kiosk:", "receipt", false)]
    [InlineData("someone", "receipt", false)]
    public void Who_may_sign_what(string issuer, string kind, bool may) => Assert.Equal(may, SlipIssuers.MaySign(issuer, kind));
}
