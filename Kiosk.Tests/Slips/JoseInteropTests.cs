using System.Security.Cryptography;
using System.Text.Json;
using Kiosk.Central.Slips;
using Kiosk.Core.Slips;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Central.Slips;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosk.Tests.Slips;

/// <summary>
/// Slip tokens checked by an independent JOSE implementation: the `jose` npm package run by Node
/// (Kiosk.Tests/Slips/jose-check, installed by scripts/prerequisites.sh), against the JWKS Central really publishes.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class JoseInteropTests(DemoCaFixture ca)
{
    private static readonly string CheckDirectory = Path.Combine(Solution.Root, "Kiosk.Tests", "Slips", "jose-check");

    private static (bool Ok, JsonElement Answer) NodeVerify(string jwksJson, string token)
    {
        using var dir = new TempDirectory("jose-check");
        var jwksPath = dir.File("jwks.json");
        File.WriteAllText(jwksPath, jwksJson);
        Assert.True(Directory.Exists(Path.Combine(CheckDirectory, "node_modules", "jose")),
            "The jose package is missing: run scripts/prerequisites.sh test (npm ci in Kiosk.Tests/Slips/jose-check).");
        var result = CommandLine.Run("node", CheckDirectory, ["verify.mjs", jwksPath, token], "apt-get install nodejs", mustSucceed: false);
        var line = result.Output.Trim().Split('\n').Last();
        return (result.ExitCode == 0, JsonDocument.Parse(line).RootElement.Clone());
    }

    [Fact]
    public async Task The_independent_jose_library_verifies_Centrals_and_a_kiosks_tokens_reads_the_same_claims_and_computes_the_same_kids()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var provider = central.App.Services.GetRequiredService<SlipKeyring>().ProviderSigner();
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kiosk = new SlipSigner(deviceKey, SlipIssuers.Kiosk(IntakeCentral.KioskId));
        central.App.Services.GetRequiredService<SlipKeyring>().RecordKioskKey(IntakeCentral.KioskId, kiosk.Jwk);
        var jwks = await central.Http.GetStringAsync("/.well-known/jwks.json");
        var result = SlipTokenTests.TypicalResult();
        var receipt = result with { Issuer = SlipIssuers.Kiosk(IntakeCentral.KioskId), Kind = SlipKinds.Receipt, Decision = "queued", RegistrationNumber = null };

        foreach (var (token, claims) in new[] { (provider.Sign(result), result), (kiosk.Sign(receipt), receipt) })
        {
            var (ok, answer) = NodeVerify(jwks, token);

            Assert.True(ok, answer.ToString());
            Assert.Equal("ES256", answer.GetProperty("header").GetProperty("alg").GetString());
            Assert.Equal("DEF", answer.GetProperty("header").GetProperty("zip").GetString());
            var read = JsonSerializer.Deserialize<SlipClaims>(answer.GetProperty("claims").GetRawText());
            Assert.Equal(claims, read);
            foreach (var t in answer.GetProperty("thumbprints").EnumerateArray())
                Assert.Equal(t.GetProperty("kid").GetString(), t.GetProperty("computed").GetString());
            Assert.Equal(2, answer.GetProperty("thumbprints").GetArrayLength());
        }
    }

    [Fact]
    public async Task The_independent_jose_library_refuses_a_changed_claim_and_an_unpublished_key_too()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var provider = central.App.Services.GetRequiredService<SlipKeyring>().ProviderSigner();
        var jwks = await central.Http.GetStringAsync("/.well-known/jwks.json");
        var token = provider.Sign(SlipTokenTests.TypicalResult());

        var (forgedOk, forged) = NodeVerify(jwks, SlipTestTokens.ReplaceClaims(token, j => j.Replace("\"accepted\"", "\"refused\"")));
        Assert.False(forgedOk);
        Assert.Equal("ERR_JWS_SIGNATURE_VERIFICATION_FAILED", forged.GetProperty("error").GetString());

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (strangerOk, unknown) = NodeVerify(jwks, new SlipSigner(stranger).Sign(SlipTokenTests.TypicalResult()));
        Assert.False(strangerOk);
        Assert.Equal("ERR_JWKS_NO_MATCHING_KEY", unknown.GetProperty("error").GetString());
    }
}
