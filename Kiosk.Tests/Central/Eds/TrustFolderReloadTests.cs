using System.Diagnostics;
using System.Net;
using Kiosk.Core.Eds;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Central.Eds;

/// <summary>Central's trust folder: missing, incomplete, then completed while Central runs; health follows.</summary>
[Collection(DemoCaCollection.Name)]
public class TrustFolderReloadTests(DemoCaFixture fx)
{
    private const string CertificatePath = "/api/eds/certificates/verify?purpose=sign";

    private static void Copy(string from, string to, string name) => File.Copy(Path.Combine(from, name), Path.Combine(to, name));

    /// <summary>Polls the certificate endpoint until the answer's problems are <paramref name="expected"/> (or the time is up).</summary>
    private static async Task<VerifyAnswer> WaitFor(HttpClient http, byte[] certificate, string[] expected, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (response, answer, body) = await EdsCentral.PostAsync(http, CertificatePath, EdsCentral.Raw(certificate, "application/pkix-cert"));
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            if (answer!.Problems.SequenceEqual(expected) || clock.Elapsed > within) return answer;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_incomplete_trust_folder_refuses_and_the_same_check_passes_once_the_files_are_written()
    {
        using var dir = new TempDirectory("kiosk-central-trust");
        var trust = Directory.CreateDirectory(Path.Combine(dir.Path, "trust")).FullName;
        Copy(fx.Ca.TrustDirectory, trust, "root-ca.cer");
        Copy(fx.Ca.TrustDirectory, trust, "root-ca.crl");
        var logs = new CollectingLoggerProvider();
        // A long recheck interval: here the file watcher must do the work.
        var app = await EdsCentral.StartAsync(dir.Path, trust, logs, "--Pki:RecheckInterval=01:00:00");
        try
        {
            using var http = EdsCentral.Client(app);
            using var key = fx.Open(fx.One("valid", "SIGN"));
            var certificate = key.Certificate.RawData; // DER alone: the issuing CA must come from the trust folder
            Assert.Equal([EdsProblemCodes.Untrusted], (await WaitFor(http, certificate, [], TimeSpan.Zero)).Problems);
            Assert.Equal("Healthy", await http.GetStringAsync("/health/ready"));

            Copy(fx.Ca.TrustDirectory, trust, "issuing-ca.cer");
            Assert.Equal([EdsProblemCodes.CrlMissing], (await WaitFor(http, certificate, [EdsProblemCodes.CrlMissing], TimeSpan.FromSeconds(10))).Problems);

            Copy(fx.Ca.TrustDirectory, trust, "issuing-ca.crl");
            var answer = await WaitFor(http, certificate, [], TimeSpan.FromSeconds(10));
            Assert.True(answer.Valid, string.Join(",", answer.Problems));

            // A revoked key is refused by the CRL that just arrived.
            using var revoked = fx.Open(fx.One("revoked-signing-key", "SIGN"));
            Assert.Equal([EdsProblemCodes.Revoked], (await WaitFor(http, revoked.Certificate.RawData, [EdsProblemCodes.Revoked], TimeSpan.Zero)).Problems);

            // Removing the issuing CA's CRL is noticed as well.
            File.Delete(Path.Combine(trust, "issuing-ca.crl"));
            Assert.Equal([EdsProblemCodes.CrlMissing], (await WaitFor(http, certificate, [EdsProblemCodes.CrlMissing], TimeSpan.FromSeconds(10))).Problems);

            Assert.Contains(logs.Lines, l => l.Contains("Trust store loaded") && l.Contains("(the folder changed)"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_missing_trust_folder_leaves_Central_running_degraded_until_the_folder_appears()
    {
        using var dir = new TempDirectory("kiosk-central-trust");
        var trust = Path.Combine(dir.Path, "not-yet");
        var logs = new CollectingLoggerProvider();
        var app = await EdsCentral.StartAsync(dir.Path, trust, logs, "--Pki:RecheckInterval=00:00:00.500");
        try
        {
            using var http = EdsCentral.Client(app);
            var ready = await http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
            Assert.Contains(logs.Lines, l => l.StartsWith("Warning") && l.Contains("has no trust anchors"));

            using var key = fx.Open(fx.One("valid", "SIGN"));
            var certificate = key.Certificate.RawData;
            Assert.Equal([EdsProblemCodes.Untrusted], (await WaitFor(http, certificate, [], TimeSpan.Zero)).Problems);

            // The folder is made (and filled) after start: the look on use notices it.
            var staging = Directory.CreateDirectory(Path.Combine(dir.Path, "staging")).FullName;
            foreach (var file in Directory.GetFiles(fx.Ca.TrustDirectory)) Copy(fx.Ca.TrustDirectory, staging, Path.GetFileName(file));
            Directory.Move(staging, trust);
            var answer = await WaitFor(http, certificate, [], TimeSpan.FromSeconds(10));
            Assert.True(answer.Valid, string.Join(",", answer.Problems));
            Assert.Equal("Healthy", await http.GetStringAsync("/health/ready"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_a_trust_directory_Central_is_ready_and_answers_untrusted()
    {
        using var dir = new TempDirectory("kiosk-central-trust");
        var logs = new CollectingLoggerProvider();
        var app = await EdsCentral.StartAsync(dir.Path, null, logs);
        try
        {
            using var http = EdsCentral.Client(app);
            Assert.Equal("Healthy", await http.GetStringAsync("/health/ready"));
            Assert.Contains(logs.Lines, l => l.StartsWith("Warning") && l.Contains("Pki:TrustDirectory is not set"));
            using var key = fx.Open(fx.One("valid", "SIGN"));
            var answer = await WaitFor(http, key.Certificate.RawData, [], TimeSpan.Zero);
            Assert.False(answer.Valid);
            Assert.Equal([EdsProblemCodes.Untrusted], answer.Problems);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
