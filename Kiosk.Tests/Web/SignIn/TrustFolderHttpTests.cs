using System.Net;
using Kiosk.Core.Eds.Demo;
using Kiosk.Web.SignIn;
using Microsoft.Extensions.DependencyInjection;
using static Kiosk.Tests.Web.SignIn.SignInHttpTests;

namespace Kiosk.Tests.Web.SignIn;

/// <summary>The kiosk's trust folder over real HTTP: missing, and changed while the node runs.</summary>
public class TrustFolderHttpTests
{
    [Fact]
    public async Task A_missing_trust_folder_leaves_the_node_up_and_sign_in_says_eds_cannot_be_checked()
    {
        var missing = Path.Combine(Path.GetTempPath(), "kiosk-no-trust-" + Guid.NewGuid().ToString("N"));
        await using var host = await KioskAppHost.StartAsync($"--Pki:TrustDirectory={missing}");
        using var client = host.NewClient();

        var (ready, body) = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", body);

        await ChooseAsync(client, "home-call");
        var entry = SignInDemoCa.One("valid");
        var (_, html) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File);
        Assert.Equal([SignInProblems.TrustUnavailable], Problems(html));
        Assert.Contains("не может проверить ЭЦП", html);

        await client.PostAsync("/language", [new("lang", "kk"), new("returnUrl", "/sign-in")]);
        await client.GetAsync("/sign-in");
        var (_, kk) = await SignInAsync(client, SignInDemoCa.Bytes(entry), entry.File);
        Assert.Contains("ЭЦҚ-ны тексере алмайды", kk);
    }

    [Fact]
    public async Task A_new_crl_in_the_trust_folder_takes_effect_without_a_restart()
    {
        var ca = SignInDemoCa.Ca;
        var trust = SignInDemoCa.CopyTrustDirectory();
        var crlPath = Path.Combine(trust, "issuing-ca.crl");
        var now = DateTimeOffset.UtcNow;
        // First the issuing CA's CRL lists nothing: the revoked citizen's key still passes.
        File.WriteAllBytes(crlPath, ca.IssueCrl(DemoCrlIssuer.Issuing, now.AddHours(-2), now.AddDays(7), listRevoked: false));

        await using var host = await KioskAppHost.StartAsync($"--Pki:TrustDirectory={trust}", "--Pki:ReloadDebounce=00:00:00.100");
        var kioskTrust = host.Services.GetRequiredService<KioskTrust>();
        var revoked = SignInDemoCa.One("revoked");

        using (var before = host.NewClient())
        {
            await ChooseAsync(before, "home-call");
            var (response, html) = await SignInAsync(before, SignInDemoCa.Bytes(revoked), revoked.File);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, string.Join(",", Problems(html)));
        }

        // Then a newer CRL that lists it is dropped into the folder.
        var generation = kioskTrust.Generation;
        var fresh = ca.IssueCrl(DemoCrlIssuer.Issuing, now.AddHours(-1), now.AddDays(7), listRevoked: true);
        var temp = Path.Combine(Path.GetTempPath(), "crl-" + Guid.NewGuid().ToString("N") + ".tmp");
        File.WriteAllBytes(temp, fresh);
        File.Move(temp, crlPath, overwrite: true);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (kioskTrust.Generation == generation && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.True(kioskTrust.Generation > generation, "the trust folder was not read again within 30 s");

        using var after = host.NewClient();
        await ChooseAsync(after, "home-call");
        var (_, refused) = await SignInAsync(after, SignInDemoCa.Bytes(revoked), revoked.File);
        Assert.Equal(["revoked"], Problems(refused));
    }
}
