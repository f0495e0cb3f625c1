using System.Security.Cryptography;
using System.Text.Json;
using Json.Schema;
using Kiosk.Core.Slips;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Slips;

/// <summary>docs/schemas/slip-claims-v1.schema.json against the claims the code signs.</summary>
public sealed class SlipClaimsSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(Solution.Root, "docs", "schemas", "slip-claims-v1.schema.json"))));

    private static EvaluationResults Evaluate(string token)
    {
        var claims = SlipToken.ReadTrusted(token)!;
        using var json = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(claims, new JsonSerializerOptions
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        }));
        return Schema.Value.Evaluate(json.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    [Fact]
    public void The_claims_of_every_kind_of_slip_conform_to_the_documented_schema_and_a_full_IIN_does_not()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new SlipSigner(key);
        var result = SlipTokenTests.TypicalResult();
        SlipClaims[] slips =
        [
            result,
            result with { Kind = SlipKinds.Refusal, Decision = "refused", Reason = "after-cut-off", At = null, Until = null },
            result with { Kind = SlipKinds.Receipt, Decision = "queued", Issuer = SlipIssuers.Kiosk("kiosk-01"), RegistrationNumber = null },
            result with { Service = "appointment", DoctorId = 17, At = "2026-12-01T09:20", Until = null, Deadline = "2026-12-01T09:20" },
        ];
        foreach (var claims in slips)
            Assert.True(Evaluate(signer.Sign(claims)).IsValid, claims.Kind);

        Assert.False(Evaluate(signer.Sign(result with { MaskedIin = "850314312017" })).IsValid);
    }
}
