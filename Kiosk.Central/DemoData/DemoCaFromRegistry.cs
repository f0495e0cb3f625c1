using Dapper;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;
using Kiosk.Storage;

namespace Kiosk.Central.DemoData;

/// <summary>
/// <c>Kiosk.Central demo-ca --registry &lt;central.db&gt; --out &lt;dir&gt; [demo-ca options]</c>: the demo CA, issued
/// to people of Central's own population registry, so a demo key signs in as someone Central knows. An empty registry
/// is seeded first (with the default seed), which lets the one-command demo run this before Central's first start.
/// The holders cover the registry's cases a demo needs: attached adults, an unattached person, a deceased person and
/// someone living outside the clinics' districts.
/// </summary>
public static class DemoCaFromRegistry
{
    public const string CommandName = "demo-ca";

    public const string UsageText = """
        Kiosk.Central demo-ca --registry <central.db> --out <dir> [options of demo-ca below]
          --registry <file>        Central's SQLite database (created and seeded with demo data when empty)
        """;

    private static readonly (DemoPersonKind Kind, int Count)[] Holders =
    [
        (DemoPersonKind.Attached, 3),
        (DemoPersonKind.Unattached, 1),
        (DemoPersonKind.Deceased, 1),
        (DemoPersonKind.OutsideCity, 1),
    ];

    public static int Run(string[] args, TextWriter output, TimeProvider time)
    {
        string? registry = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--registry" && i + 1 < args.Length) registry = args[++i];
            else if (args[i] is "-h" or "--help")
            {
                output.WriteLine(UsageText);
                return DemoCaCommand.Run(["--help"], output);
            }
            else rest.Add(args[i]);
        }
        if (string.IsNullOrWhiteSpace(registry))
        {
            output.WriteLine("error: --registry <central.db> is required");
            output.WriteLine(UsageText);
            return DemoCaCommand.Usage;
        }

        var db = new SqliteDatabase(new StorageOptions { DatabasePath = registry, Synchronous = SynchronousMode.Normal });
        db.Prepare(MigrationSet.FromEmbeddedResources(typeof(CentralApp).Assembly), time);
        using var connection = db.Open();
        var options = new DemoDataOptions();
        var seeded = new DemoDataSeeder(options).SeedIfEmpty(connection, time);
        if (seeded.Seeded)
            output.WriteLine($"The registry was empty: seeded {seeded.Persons} synthetic persons (seed {options.Seed}).");

        var citizens = new List<DemoPerson>();
        foreach (var (kind, count) in Holders)
        {
            foreach (var iin in DemoDataSeeder.FindPersons(connection, kind, count))
            {
                var (surname, firstName, patronymic) = connection.QuerySingle<(string, string, string?)>(
                    "SELECT surname, first_name, patronymic FROM persons WHERE iin = @iin", new { iin = iin.Value });
                citizens.Add(new DemoPerson(iin, surname, firstName, patronymic));
                output.WriteLine($"Registry person for the demo keys: {surname} {firstName} — {Describe(kind)}");
            }
        }
        // The registrar works at the first clinic: its name and BIN go into the employee certificate (O, OU=BIN…), so
        // the demo's registrar signs as that clinic's employee (issue 12).
        var clinic = connection.QueryFirstOrDefault<(string Name, string? Bin)?>("SELECT name_ru, bin FROM clinics ORDER BY id LIMIT 1");
        string[] commandArgs = clinic switch
        {
            null => [.. rest],
            { Bin: null } k => ["--clinic", k.Name, .. rest],
            { } k => ["--clinic", k.Name, "--clinic-bin", k.Bin!, .. rest],
        };
        return DemoCaCommand.Run(commandArgs, output, citizens);
    }

    private static string Describe(DemoPersonKind kind) => kind switch
    {
        DemoPersonKind.Attached => "attached to a clinic (every service works)",
        DemoPersonKind.Unattached => "not attached to any clinic (a home call is refused; attachment works)",
        DemoPersonKind.Deceased => "deceased in the registry (every request is refused)",
        DemoPersonKind.OutsideCity => "lives outside the clinics' districts (attachment is refused)",
        _ => kind.ToString(),
    };
}
