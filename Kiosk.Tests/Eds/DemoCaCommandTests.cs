using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;

namespace Kiosk.Tests.Eds;

[Collection(DemoCaCollection.Name)]
public class DemoCaCommandTests(DemoCaFixture fx)
{
    [Fact]
    public void The_command_writes_a_demo_CA_from_a_citizen_list_that_openssl_reads()
    {
        var dir = fx.NewTempDirectory("command");
        var people = new[]
        {
            new DemoPerson(Iin.Create(new DateOnly(1971, 4, 19), Sex.Male, 777), "БЕКОВ", "ТИМУР", "АСАНОВИЧ"),
            new DemoPerson(Iin.Create(new DateOnly(2003, 12, 31), Sex.Female, 888), "Әлиева", "Дана", null),
        };
        var tsv = Path.Combine(dir, "people.tsv");
        File.WriteAllLines(tsv, ["iin\tsurname\tfirst name\tpatronymic", "# from the registry", .. people.Select(p => $"{p.Iin}\t{p.Surname}\t{p.FirstName}\t{p.Patronymic}")]);
        var outDir = Path.Combine(dir, "ca");
        var output = new StringWriter();

        var exit = DemoCaCommand.Run(["--out", outDir, "--password", "Kiosk-Demo-1", "--citizens-from", tsv, "--crl-days", "7"], output);

        Assert.True(exit == 0, output.ToString());
        var text = output.ToString();
        Assert.Contains("Password of every .p12 file: Kiosk-Demo-1", text);
        Assert.Contains(Path.Combine(outDir, "trust"), text);
        var manifest = DemoCaManifest.Load(Path.Combine(outDir, DemoCaManifest.FileName));
        Assert.Equal("Kiosk-Demo-1", manifest.Password);
        var citizens = manifest.Files.Where(f => f.Case == "valid").ToList();
        Assert.Equal(4, citizens.Count);
        Assert.Contains(citizens, f => f.Holder == "ӘЛИЕВА ДАНА" && f.Iin == people[1].Iin.Value);
        Assert.Equal(manifest.GeneratedAt.AddDays(7), manifest.CrlNextUpdate);

        // The files are what the checker expects …
        var checker = new CertificateChecker(TrustStore.LoadFromDirectory(Path.Combine(outDir, "trust")));
        var auth = citizens.First(f => f.KeyType == "AUTH");
        using (var key = Pkcs12KeyFile.Open(File.ReadAllBytes(Path.Combine(outDir, auth.File)), "Kiosk-Demo-1").Key!)
            Assert.True(checker.Check(key.Certificate, CertificatePurpose.SignIn, manifest.GeneratedAt, key.ExtraCertificates).Valid);

        // … and openssl reads them: the PKCS#12 with its password, both CRLs in DER and PEM.
        var p12 = OpenSsl.Run(outDir, "pkcs12", "-in", auth.File, "-nokeys", "-passin", "pass:Kiosk-Demo-1");
        Assert.Contains("BEGIN CERTIFICATE", p12.Output);
        Assert.Contains($"serialNumber = IIN{auth.Iin}", p12.Output); // the bag's subject line
        Assert.NotEqual(0, OpenSsl.TryRun(outDir, "pkcs12", "-in", auth.File, "-nokeys", "-passin", "pass:wrong").ExitCode);

        var issuingDer = OpenSsl.Run(outDir, "crl", "-in", "trust/issuing-ca.crl", "-inform", "DER", "-noout", "-text");
        var revoked = manifest.Files.Single(f => f.Case == "revoked");
        Assert.Contains(revoked.SerialNumber, issuingDer.Output.Replace(":", ""));
        Assert.Contains("Key Compromise", issuingDer.Output);
        var rootPem = OpenSsl.Run(outDir, "crl", "-in", "ca/root-ca.crl.pem", "-inform", "PEM", "-noout", "-text");
        Assert.Contains("CA Compromise", rootPem.Output);
        var verified = OpenSsl.Run(outDir, "crl", "-in", "trust/issuing-ca.crl", "-inform", "DER", "-noout", "-CAfile", "ca/issuing-ca.pem");
        Assert.Contains("verify OK", verified.All);
    }

    [Fact]
    public void Usage_errors_exit_with_2_and_say_what_is_wrong()
    {
        var output = new StringWriter();
        Assert.Equal(DemoCaCommand.Usage, DemoCaCommand.Run([], output));
        Assert.Contains("--out <dir> is required", output.ToString());

        Assert.Equal(DemoCaCommand.Usage, DemoCaCommand.Run(["--out"], output = new StringWriter()));
        Assert.Equal(DemoCaCommand.Usage, DemoCaCommand.Run(["--out", "x", "--frobnicate"], output = new StringWriter()));
        Assert.Contains("unknown argument --frobnicate", output.ToString());
        Assert.Equal(DemoCaCommand.Usage, DemoCaCommand.Run(["--out", "x", "--clinic-bin", "123"], output = new StringWriter()));
        Assert.Equal(DemoCaCommand.Usage, DemoCaCommand.Run(["--out", "x", "--crl-days", "0"], output = new StringWriter()));

        var dir = fx.NewTempDirectory("usage");
        var tsv = Path.Combine(dir, "bad.tsv");
        File.WriteAllLines(tsv, ["450617336584\tТЕСТОВ\tТЕСТ\t"]);
        Assert.Equal(DemoCaCommand.Usage, DemoCaCommand.Run(["--out", Path.Combine(dir, "o"), "--citizens-from", tsv], output = new StringWriter()));
        Assert.Contains("line 1", output.ToString());
        Assert.Contains("CheckDigitMismatch", output.ToString());
        Assert.False(Directory.Exists(Path.Combine(dir, "o")));

        Assert.Equal(DemoCaCommand.Ok, DemoCaCommand.Run(["--help"], output = new StringWriter()));
        Assert.Contains("--citizens-from", output.ToString());
    }

    [Fact]
    public void The_command_never_writes_into_a_folder_that_holds_something_else()
    {
        var dir = fx.NewTempDirectory("occupied");
        File.WriteAllText(Path.Combine(dir, "precious.txt"), "keep me");
        var output = new StringWriter();
        Assert.Equal(DemoCaCommand.Failed, DemoCaCommand.Run(["--out", dir, "--force"], output));
        Assert.Contains("not empty", output.ToString());
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(dir, "precious.txt")));
        Assert.Single(Directory.EnumerateFileSystemEntries(dir));
        // An earlier demo CA is replaced only with --force.
        Assert.Throws<IOException>(() => DemoCa.Generate(new DemoCaOptions { OutputDirectory = fx.Ca.OutputDirectory }));
    }

    [Fact]
    public void The_tsv_reader_skips_headers_comments_and_blank_lines_and_reports_bad_rows()
    {
        var iin = Iin.Create(new DateOnly(1980, 1, 1), Sex.Male, 1);
        var people = DemoPerson.ReadTsv(new StringReader($"IIN\tSurname\tName\tPatronymic\n\n# note\n{iin}\tА\tБ\tВ\n{iin}\tА\n{iin}\tА\tБ\n"), out var errors);
        Assert.Equal(2, people.Count);
        Assert.Null(people[1].Patronymic);
        Assert.Equal("line 5: expected IIN, surname, first name[, patronymic] separated by tabs", Assert.Single(errors));
    }
}
