using System.Diagnostics;
using Kiosk.Core.Identity;

namespace Kiosk.Core.Eds.Demo;

/// <summary>
/// The demo CA as a command: <c>demo-ca --out &lt;dir&gt; [--password &lt;pw&gt;] [--citizens-from &lt;file.tsv&gt;]
/// [--clinic &lt;name&gt;] [--clinic-bin &lt;BIN&gt;] [--crl-days &lt;n&gt;] [--force]</c>. A product host wires it as a
/// sub-command and passes its own arguments and standard output.
/// </summary>
public static class DemoCaCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public const string UsageText = """
        demo-ca: writes a demo national-CA-like hierarchy (root, issuing CA, CRLs, citizens' AUTH and signing
        .p12 files, a registrar and a hostile set) for demos and tests. Never for real use.

        options:
          --out <dir>              folder to write (new or empty; required)
          --password <pw>          password for every .p12 (default: a random one, printed)
          --citizens-from <file>   tab-separated lines: IIN, surname, first name, patronymic
                                   (default: four synthetic citizens)
          --clinic <name>          the registrar's organisation (default: a demo clinic)
          --clinic-bin <BIN>       the clinic's BIN (default: a synthetic valid BIN)
          --crl-days <n>           days until the CRLs' next update (default 30)
          --force                  replace an earlier demo CA in the same folder
        """;

    /// <param name="citizens">
    /// The citizens a host already knows (Central passes people from its population registry); used when
    /// <c>--citizens-from</c> is not given. Null means the synthetic four.
    /// </param>
    public static int Run(string[] args, TextWriter output, IReadOnlyList<DemoPerson>? citizens = null)
    {
        string? outDir = null, password = null, citizensFile = null, clinic = null, clinicBin = null;
        var crlDays = 30;
        var force = false;
        for (var i = 0; i < args.Length; i++)
        {
            string? Value()
            {
                if (i + 1 < args.Length) return args[++i];
                output.WriteLine($"error: {args[i]} needs a value");
                return null;
            }
            switch (args[i])
            {
                case "--out": if ((outDir = Value()) is null) return Usage; break;
                case "--password": if ((password = Value()) is null) return Usage; break;
                case "--citizens-from": if ((citizensFile = Value()) is null) return Usage; break;
                case "--clinic": if ((clinic = Value()) is null) return Usage; break;
                case "--clinic-bin": if ((clinicBin = Value()) is null) return Usage; break;
                case "--crl-days":
                    if (Value() is not { } d || !int.TryParse(d, out crlDays) || crlDays is < 1 or > 3650)
                    {
                        output.WriteLine("error: --crl-days takes a number of days from 1 to 3650");
                        return Usage;
                    }
                    break;
                case "--force": force = true; break;
                case "-h" or "--help":
                    output.WriteLine(UsageText);
                    return Ok;
                default:
                    output.WriteLine($"error: unknown argument {args[i]}");
                    output.WriteLine(UsageText);
                    return Usage;
            }
        }
        if (outDir is null)
        {
            output.WriteLine("error: --out <dir> is required");
            output.WriteLine(UsageText);
            return Usage;
        }
        if (password is { Length: 0 })
        {
            output.WriteLine("error: --password must not be empty");
            return Usage;
        }

        if (citizensFile is not null)
        {
            try
            {
                using var reader = new StreamReader(citizensFile);
                citizens = DemoPerson.ReadTsv(reader, out var errors);
                foreach (var e in errors) output.WriteLine($"error: {citizensFile}: {e}");
                if (errors.Count > 0) return Usage;
                if (citizens.Count == 0)
                {
                    output.WriteLine($"error: {citizensFile} lists nobody");
                    return Usage;
                }
            }
            catch (IOException e)
            {
                output.WriteLine($"error: cannot read {citizensFile}: {e.Message}");
                return Usage;
            }
        }
        Bin? bin = null;
        if (clinicBin is not null)
        {
            if (!Bin.TryParse(clinicBin, out var parsed, out var binError))
            {
                output.WriteLine($"error: --clinic-bin {clinicBin} is not a valid BIN ({binError})");
                return Usage;
            }
            bin = parsed;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            using var result = DemoCa.Generate(new DemoCaOptions
            {
                OutputDirectory = outDir,
                Password = password,
                Citizens = citizens,
                ClinicName = clinic ?? DemoCa.DefaultClinicName,
                ClinicBin = bin,
                CrlValidity = TimeSpan.FromDays(crlDays),
                Overwrite = force,
            });
            var m = result.Manifest;
            output.WriteLine($"Demo CA written to {result.OutputDirectory} in {clock.Elapsed.TotalSeconds:0.0} s (demo only — never trust these keys).");
            output.WriteLine($"Password of every .p12 file: {m.Password}");
            output.WriteLine($"Trust directory (Pki:TrustDirectory): {result.TrustDirectory}");
            output.WriteLine($"CRLs fresh until {m.CrlNextUpdate:u}");
            output.WriteLine();
            foreach (var f in m.Files)
            {
                output.WriteLine($"{f.File}");
                output.WriteLine($"    {f.Holder} ({(f.Iin is null ? "no IIN" : "IIN " + f.Iin)}), {f.KeyType} {f.Algorithm}: sign-in {Outcome(f.ExpectedAtSignIn)}, signing {Outcome(f.ExpectedAtSigning)}");
            }
            output.WriteLine();
            output.WriteLine($"Details: {Path.Combine(result.OutputDirectory, "README.txt")} and {result.ManifestPath}");
            return Ok;
        }
        catch (IOException e)
        {
            output.WriteLine($"error: {e.Message}");
            return Failed;
        }
        catch (UnauthorizedAccessException e)
        {
            output.WriteLine($"error: {e.Message}");
            return Failed;
        }
    }

    private static string Outcome(IReadOnlyList<string> codes) => codes.Count == 0 ? "valid" : string.Join("+", codes);
}
