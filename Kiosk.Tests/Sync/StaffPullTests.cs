using System.Net;
using Dapper;
using Kiosk.Central.Staff;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Node.Staff;
using Kiosk.Storage;
using Kiosk.Tests.Central;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Kiosk.Tests.Web;
using Kiosk.Tests.Web.Staff;

namespace Kiosk.Tests.Sync;

/// <summary>
/// Staff accounts end to end (issue 12 item 1): added with Central's staff register, pulled by the real Kiosk.Sync
/// process into a running kiosk node's file, where the registrar signs in over HTTP; disabled at Central, the session
/// ends and the sign-in is refused at the node after the next round; and the list stays while Central is down.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class StaffPullTests(DemoCaFixture ca)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_account_added_at_Central_signs_in_at_the_kiosk_node_and_a_disabled_one_is_shut_out()
    {
        await using var central = new SyncCentral(ca, $"--Staff:ProviderBin={NodeStaff.ProviderBin}");
        var register = new StaffRegister(central.Database, central.Time);
        using (var c = central.Database.Open())
        {
            c.Execute("UPDATE clinics SET bin = @bin WHERE id = 1", new { bin = NodeStaff.ClinicBin });
            c.Execute("INSERT INTO kiosks (kiosk_id, name, created_at, clinic_id) VALUES (@id, @id, @now, 1)",
                new { id = SyncCentral.KioskId, now = DapperTypeHandlers.Format(central.Time.GetUtcNow()) });
        }
        register.Add(Iin.Parse(NodeStaff.RegistrarIin), "Серикова Айгуль", Bin.Parse(NodeStaff.ClinicBin), StaffRoles.Parse("registrar")!,
            StaffPasswords.Hash(NodeStaff.Password));
        register.Add(Iin.Parse(NodeStaff.OperatorIin), "Дежурный Оператор", Bin.Parse(NodeStaff.ProviderBin), StaffRoles.Parse("operator")!,
            StaffPasswords.Hash(NodeStaff.Password));
        register.Add(Iin.Parse("880205400786"), "Другой Регистратор", Bin.Parse("050540000204"), StaffRoles.Parse("registrar")!,
            StaffPasswords.Hash(NodeStaff.Password)); // another clinic's: never sent here
        await central.StartAsync();

        await using var node = await KioskNode.StartAsync("--Staff:SecureCookies=false");
        var store = new StaffStore(new SqliteDatabase(new StorageOptions { DatabasePath = node.DatabasePath }));
        using var worker = KioskFile.StartWorkerOn(node.DatabasePath, central.BaseUrl);
        await Eventually.That(() => store.Count() == 2, Patience, () => worker.Output);
        Assert.Equal(new NodeClinic(1, NodeStaff.ClinicBin), store.Clinic());
        Assert.Null(store.Find(Iin.Parse("880205400786")));

        using var client = new KioskClient(node.BaseUrl);
        await client.GetAsync("/staff/sign-in");
        var (signedIn, html) = await client.PostAsync("/staff/sign-in", [new("Iin", NodeStaff.RegistrarIin), new("Password", NodeStaff.Password)]);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, html);
        Assert.Equal("/desk", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/desk")).Response.StatusCode);

        register.SetDisabled(Iin.Parse(NodeStaff.RegistrarIin), true);
        await Eventually.That(() => store.Find(Iin.Parse(NodeStaff.RegistrarIin))?.Disabled == true, Patience, () => worker.Output);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/desk")).Response.StatusCode);
        await client.GetAsync("/staff/sign-in");
        var (refused, _) = await client.PostAsync("/staff/sign-in", [new("Iin", NodeStaff.RegistrarIin), new("Password", NodeStaff.Password)]);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // Central goes away: the node keeps its list, and the operator still signs in (the desk's "offline" case).
        await central.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(2, store.Count());
        await client.GetAsync("/staff/sign-in");
        var (offline, _) = await client.PostAsync("/staff/sign-in", [new("Iin", NodeStaff.OperatorIin), new("Password", NodeStaff.Password)]);
        Assert.Equal("/staff", offline.Headers.Location!.OriginalString);
        Assert.DoesNotContain(NodeStaff.RegistrarIin, worker.Output);
        Assert.DoesNotContain(NodeStaff.RegistrarIin, node.Process.Output);
    }
}
