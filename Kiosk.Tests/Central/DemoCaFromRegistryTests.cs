using Kiosk.Central.DemoData;
using Kiosk.Core.Eds.Demo;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Central;

[Collection(CentralDatabaseCollection.Name)]
public class DemoCaFromRegistryTests(CentralDatabaseFixture fx)
{
    [Fact]
    public void Demo_keys_go_to_people_of_the_registry_including_its_awkward_cases()
    {
        using var dir = new TempDirectory("demo-ca-registry");
        var output = new StringWriter();

        var exit = DemoCaFromRegistry.Run(
            ["--registry", fx.Database.Path, "--out", dir.File("pki"), "--password", "Registry-Demo-1"], output, TimeProvider.System);

        Assert.True(exit == DemoCaCommand.Ok, output.ToString());
        var manifest = DemoCaManifest.Load(Path.Combine(dir.File("pki"), DemoCaManifest.FileName));
        var holders = manifest.OfCase("valid").Select(f => f.Iin).ToHashSet();
        using var connection = fx.Open();
        foreach (var kind in new[] { DemoPersonKind.Attached, DemoPersonKind.Unattached, DemoPersonKind.Deceased, DemoPersonKind.OutsideCity })
        {
            var person = DemoDataSeeder.FindPersons(connection, kind).Single();
            Assert.Contains(person.Value, holders);
        }
        Assert.Equal(3, DemoDataSeeder.FindPersons(connection, DemoPersonKind.Attached, 3).Count(p => holders.Contains(p.Value)));
        Assert.Contains("deceased", output.ToString());
        // The registry was read, not re-seeded.
        Assert.DoesNotContain("was empty", output.ToString());
        Assert.True(File.Exists(Path.Combine(dir.File("pki"), "trust", "issuing-ca.crl")));
    }

    [Fact]
    public void Without_a_registry_the_command_says_how_to_call_it()
    {
        var output = new StringWriter();
        Assert.Equal(DemoCaCommand.Usage, DemoCaFromRegistry.Run(["--out", "/tmp/never"], output, TimeProvider.System));
        Assert.Contains("--registry <central.db> is required", output.ToString());
    }
}
