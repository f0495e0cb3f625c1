using System.Net;
using System.Security.Cryptography;
using Kiosk.Core.Slips;
using Kiosk.Node.Slips;
using Kiosk.Tests.Central.Slips;
using Kiosk.Tests.Slips;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosk.Tests.Web.Staff;

/// <summary>The staff's slip check at the kiosk, offline against the keys the kiosk holds (issue 6 item 4).</summary>
public sealed class StaffSlipCheckTests
{
    private static async Task<(HttpResponseMessage Response, string Html)> CheckAsync(KioskClient client, string qrText)
    {
        await client.GetAsync("/staff/slips");
        return await client.PostAsync("/staff/slips", [new("QrText", qrText)]);
    }

    [Fact]
    public async Task Staff_check_slips_offline_the_kiosks_own_receipts_and_the_providers_results_from_the_cached_keys_and_refuse_forgeries()
    {
        await using var kiosk = await StaffKiosk.StartAsync("--Sync:KioskId=kiosk-staff.01");
        using var client = kiosk.NewClient();
        await kiosk.SignInAsync(client);
        var device = kiosk.App.Services.GetRequiredService<KioskDeviceKey>().Signer;
        var receiptClaims = SlipTokenTests.TypicalResult() with
        {
            Issuer = SlipIssuers.Kiosk("kiosk-staff.01"), Kind = SlipKinds.Receipt, Decision = "queued", RegistrationNumber = null,
        };
        var receipt = device.Sign(receiptClaims);

        // No copy of Central's keys yet: the kiosk's own receipts still check, a provider's result does not.
        var (_, own) = await CheckAsync(client, "http://central.example/verify#" + receipt);
        Assert.Contains("data-valid=\"true\"", own);
        Assert.Contains("Расписка о приёме заявки", own);
        using var providerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var provider = new SlipSigner(providerKey, SlipIssuers.Provider);
        var result = provider.Sign(SlipTokenTests.TypicalResult());
        var (_, unknown) = await CheckAsync(client, result);
        Assert.Contains("data-problem=\"unknown-key\"", unknown);

        // The sync worker's copy of the JWKS arrives: the result checks; a changed claim and a revoked key do not.
        OutboxSeed.Settings(kiosk.Database, kiosk.Time.GetUtcNow(),
            (SlipKeyCache.JwksSetting, new SlipJwkSet { Keys = [provider.Jwk], Revoked = ["revoked-kid-1"] }.ToJson()),
            (SlipKeyCache.JwksAtSetting, OutboxSeed.At(kiosk.Time.GetUtcNow())));
        var (_, genuine) = await CheckAsync(client, result);
        Assert.Contains("data-valid=\"true\"", genuine);
        Assert.Contains("HC-20261126-000123", genuine);
        var (_, forged) = await CheckAsync(client, SlipTestTokens.ReplaceClaims(result, j => j.Replace("\"accepted\"", "\"refused\"")));
        Assert.Contains("data-problem=\"bad-signature\"", forged);
        Assert.Contains("Подпись не сходится", forged);
        OutboxSeed.Settings(kiosk.Database, kiosk.Time.GetUtcNow(),
            (SlipKeyCache.JwksSetting, new SlipJwkSet { Keys = [provider.Jwk], Revoked = [device.Jwk.Kid] }.ToJson()));
        var (_, revoked) = await CheckAsync(client, receipt);
        Assert.Contains("data-problem=\"revoked-key\"", revoked);

        // The token is not logged.
        Assert.DoesNotContain(kiosk.Logs.Lines, l => l.Contains(receipt.Split('.')[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_slip_check_is_for_operators_only()
    {
        await using var kiosk = await StaffKiosk.StartAsync();
        using var client = kiosk.NewClient();

        var (response, _) = await client.GetAsync("/staff/slips");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/staff/sign-in", response.Headers.Location?.AbsolutePath);
    }
}
