using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using CsCheck;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Eds.Cms;

namespace Kiosk.Tests.Central.Eds;

/// <summary>
/// Central's EDS verification API over real HTTP (Kestrel on loopback), trusting the shared demo CA's trust folder:
/// every demo file for both purposes, openssl-made CMS signatures, malformed and oversized input, fuzzing, OpenAPI.
/// </summary>
[Collection(DemoCaCollection.Name)]
public class EdsVerificationApiTests(DemoCaFixture fx, EdsCentralServer server) : IClassFixture<EdsCentralServer>
{
    private const string CertificatePath = "/api/eds/certificates/verify";
    private const string CmsPath = "/api/eds/cms/verify";
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("""{"format":"kiosk-request/1","service":"appointment","slotId":42,"note":"Дәрігер керек"}""");

    private Task<HttpClient> Http() => server.ClientAsync(fx);

    private static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    private async Task<(HttpResponseMessage Response, VerifyAnswer? Answer, string Body)> PostCertificate(string purpose, HttpContent content) =>
        await EdsCentral.PostAsync(await Http(), $"{CertificatePath}?purpose={purpose}", content);

    private async Task<VerifyAnswer> CheckEntry(DemoCaEntry entry, string purpose, bool multipart)
    {
        using var key = fx.Open(entry);
        HttpContent content = multipart
            ? EdsCentral.Form([("certificate", key.Certificate.RawData), .. key.ExtraCertificates.Select(c => ("chain", c.RawData))])
            : EdsCentral.Raw(Encoding.ASCII.GetBytes(Pem(key.Certificate) + string.Concat(key.ExtraCertificates.Select(Pem))), "application/x-pem-file");
        var (response, answer, body) = await PostCertificate(purpose, content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{entry.File} {purpose}: {(int)response.StatusCode} {body}");
        return answer!;
    }

    [Fact]
    public async Task Every_demo_file_gets_exactly_its_expected_codes_for_both_purposes()
    {
        var failures = new List<string>();
        foreach (var entry in fx.Manifest.Files)
        {
            foreach (var (purpose, expected) in new[] { ("auth", entry.ExpectedAtSignIn), ("sign", entry.ExpectedAtSigning) })
            {
                // PEM chain in the body for sign-in, multipart (DER certificate + DER chain fields) for signing.
                var answer = await CheckEntry(entry, purpose, multipart: purpose == "sign");
                var got = answer.Problems.Order().ToArray();
                if (!got.SequenceEqual(expected.Order()) || answer.Valid != (expected.Count == 0) || answer.Purpose != purpose)
                    failures.Add($"{entry.File} ({entry.Case}, {entry.KeyType}) {purpose}: expected [{string.Join(",", expected)}], got [{string.Join(",", got)}] valid={answer.Valid}");
                if (answer.Messages.Select(m => m.Code).Order().SequenceEqual(got) is false)
                    failures.Add($"{entry.File} {purpose}: messages do not match problems");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("valid", "AUTH", "auth")]
    [InlineData("valid", "SIGN", "sign")]
    [InlineData("ecdsa-p256", "AUTH", "auth")]
    [InlineData("ecdsa-p256", "SIGN", "sign")]
    [InlineData("registrar", "SIGN", "sign")]
    [InlineData("valid", "AUTH", "sign", EdsProblemCodes.WrongKeyUsage)]
    [InlineData("valid", "SIGN", "auth", EdsProblemCodes.WrongKeyUsage)]
    [InlineData("expired", "AUTH", "auth", EdsProblemCodes.Expired)]
    [InlineData("not-yet-valid", "AUTH", "auth", EdsProblemCodes.NotYetValid)]
    [InlineData("revoked", "AUTH", "auth", EdsProblemCodes.Revoked)]
    [InlineData("revoked-signing-key", "SIGN", "sign", EdsProblemCodes.Revoked)]
    [InlineData("revoked-signing-key", "AUTH", "auth")]
    [InlineData("lookalike-ca", "AUTH", "auth", EdsProblemCodes.Untrusted)]
    [InlineData("bad-iin-check-digit", "AUTH", "auth", EdsProblemCodes.BadIin)]
    [InlineData("no-iin", "AUTH", "auth", EdsProblemCodes.NoIin)]
    [InlineData("rsa-1024", "AUTH", "auth", EdsProblemCodes.UnsupportedAlgorithm)]
    [InlineData("revoked-sub-ca", "AUTH", "auth", EdsProblemCodes.Revoked, EdsProblemCodes.CrlMissing)]
    [InlineData("expired", "AUTH", "sign", EdsProblemCodes.Expired, EdsProblemCodes.WrongKeyUsage)]
    public async Task Each_case_answers_its_own_codes_with_messages_in_three_languages(string @case, string keyType, string purpose, params string[] expected)
    {
        foreach (var multipart in new[] { false, true })
        {
            var answer = await CheckEntry(fx.One(@case, keyType), purpose, multipart);
            Assert.Equal(expected.Order(), answer.Problems.Order());
            Assert.Equal(expected.Length == 0, answer.Valid);
            Assert.Empty(answer.Warnings);
            Assert.All(answer.Messages, m =>
            {
                Assert.Equal(EdsMessages.For(m.Code, "kk"), m.Kk);
                Assert.Equal(EdsMessages.For(m.Code, "ru"), m.Ru);
                Assert.Equal(EdsMessages.For(m.Code, "en"), m.En);
                Assert.False(string.IsNullOrWhiteSpace(m.Detail));
            });
        }
    }

    [Fact]
    public async Task A_DER_certificate_alone_is_checked_with_the_trust_folders_issuing_CA_and_the_subject_is_read()
    {
        var entry = fx.One("valid", "SIGN");
        using var key = fx.Open(entry);
        var person = DemoCa.SyntheticCitizens().Single(p => p.Iin.Value == entry.Iin);
        foreach (var type in new[] { "application/pkix-cert", "application/octet-stream", null })
        {
            var (response, answer, body) = await PostCertificate("SIGN", EdsCentral.Raw(key.Certificate.RawData, type));
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.True(answer!.Valid, body);
            Assert.Equal("sign", answer.Purpose);
            Assert.Equal(new VerifySubject(person.Iin.Value, null, person.Surname, person.FirstName, person.Patronymic,
                $"{person.Surname} {person.FirstName}", null), answer.Subject);
            Assert.Empty(answer.Problems);
            Assert.Empty(answer.Messages);
            Assert.Equal(key.Certificate.GetCertHashString(HashAlgorithmName.SHA256), answer.Certificate!.Thumbprint);
            Assert.Equal(key.Certificate.SerialNumber, answer.Certificate.SerialNumber);
            Assert.Equal(key.Certificate.Issuer, answer.Certificate.Issuer);
            Assert.Null(answer.SigningTime);
        }

        // A DER certificate followed by PEM chain blocks, and the raw JSON keeps Cyrillic readable.
        var derThenPem = key.Certificate.RawData.Concat(Encoding.ASCII.GetBytes("\n" + string.Concat(key.ExtraCertificates.Select(Pem)))).ToArray();
        var (r2, a2, body2) = await PostCertificate("sign", EdsCentral.Raw(derThenPem, "application/pkix-cert"));
        Assert.Equal(HttpStatusCode.OK, r2.StatusCode);
        Assert.True(a2!.Valid);
        Assert.Contains(person.Surname, body2);

        // The registrar's BIN and organisation.
        var registrar = await CheckEntry(fx.One("registrar", "AUTH"), "auth", multipart: false);
        Assert.True(registrar.Valid);
        Assert.NotNull(registrar.Subject.Bin);
        Assert.Equal(DemoCa.DefaultClinicName, registrar.Subject.Organisation);
    }

    // ---- CMS: signatures made by the openssl command line ----

    private sealed class OpenSslSigner : IDisposable
    {
        public OpenSslSigner(DemoCaFixture fx, DemoCaEntry entry)
        {
            Directory = fx.NewTempDirectory("openssl-cms");
            var p12 = fx.Ca.PathOf(entry);
            var pass = "pass:" + fx.Ca.Password;
            OpenSsl.Run(Directory, "pkcs12", "-in", p12, "-passin", pass, "-clcerts", "-nokeys", "-out", "signer.pem");
            OpenSsl.Run(Directory, "pkcs12", "-in", p12, "-passin", pass, "-nocerts", "-nodes", "-out", "signer.key");
        }

        public string Directory { get; }

        /// <summary>openssl cms -sign: detached (the default), binary, SHA-256, DER; signer certificate embedded, signing-time attribute.</summary>
        public byte[] Sign(byte[] content)
        {
            var name = "doc-" + Guid.NewGuid().ToString("N")[..6];
            File.WriteAllBytes(Path.Combine(Directory, name + ".json"), content);
            OpenSsl.Run(Directory, "cms", "-sign", "-binary", "-md", "sha256", "-in", name + ".json", "-signer", "signer.pem", "-inkey", "signer.key",
                "-outform", "DER", "-out", name + ".p7s");
            return File.ReadAllBytes(Path.Combine(Directory, name + ".p7s"));
        }

        public void Dispose()
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        }
    }

    private async Task<(HttpResponseMessage Response, VerifyAnswer? Answer, string Body)> PostCms(byte[] content, byte[] signature) =>
        await EdsCentral.PostAsync(await Http(), CmsPath, EdsCentral.Form(("content", content), ("signature", signature)));

    [Fact]
    public async Task An_openssl_cms_signature_with_a_demo_signing_key_verifies_and_a_changed_byte_is_a_content_mismatch()
    {
        var entry = fx.One("valid", "SIGN");
        using var signer = new OpenSslSigner(fx, entry);
        var signature = signer.Sign(Document);
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);

        var (response, answer, body) = await PostCms(Document, signature);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.True(answer!.Valid, body);
        Assert.Equal(entry.Iin, answer.Subject.Iin);
        Assert.Equal("sign", answer.Purpose);
        Assert.Equal("signing-time", answer.TimeOfUseBasis);
        Assert.Equal("SHA256", answer.DigestAlgorithm);
        Assert.InRange(answer.SigningTime!.Value, before, DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(answer.SigningTime, answer.TimeOfUse);
        Assert.Empty(answer.Problems);

        // openssl itself agrees, against the demo root (the issue's interop command).
        File.WriteAllBytes(Path.Combine(signer.Directory, "request.json"), Document);
        File.WriteAllBytes(Path.Combine(signer.Directory, "request.p7s"), signature);
        OpenSsl.Run(signer.Directory, "cms", "-verify", "-binary", "-inform", "DER", "-content", "request.json", "-in", "request.p7s",
            "-CAfile", Path.Combine(fx.Ca.OutputDirectory, "ca", "chain.pem"), "-purpose", "any", "-out", "/dev/null");

        var changed = (byte[])Document.Clone();
        changed[20] ^= 0x20;
        var (r2, a2, b2) = await PostCms(changed, signature);
        Assert.True(r2.StatusCode == HttpStatusCode.OK, b2);
        Assert.False(a2!.Valid);
        Assert.Equal([EdsProblemCodes.ContentMismatch], a2.Problems);
        Assert.Equal(EdsMessages.For(EdsProblemCodes.ContentMismatch, "kk"), a2.Messages.Single().Kk);

        // The signature as PEM (openssl cms -outform PEM writes a "CMS" block) is accepted too.
        var pem = Encoding.ASCII.GetBytes(PemEncoding.WriteString("CMS", signature));
        Assert.True((await PostCms(Document, pem)).Answer!.Valid);
    }

    [Theory]
    [InlineData("valid", "AUTH", EdsProblemCodes.WrongKeyUsage)]
    [InlineData("revoked-signing-key", "SIGN", EdsProblemCodes.Revoked)]
    [InlineData("expired", "AUTH", EdsProblemCodes.Expired, EdsProblemCodes.WrongKeyUsage)]
    [InlineData("lookalike-ca", "AUTH", EdsProblemCodes.Untrusted, EdsProblemCodes.WrongKeyUsage)]
    [InlineData("ecdsa-p256", "SIGN")]
    public async Task An_openssl_cms_signature_is_refused_with_the_signing_keys_problems(string @case, string keyType, params string[] expected)
    {
        var entry = fx.One(@case, keyType);
        using var signer = new OpenSslSigner(fx, entry);
        var (response, answer, body) = await PostCms(Document, signer.Sign(Document));
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(expected.Order(), answer!.Problems.Order());
        Assert.Equal(expected.Length == 0, answer.Valid);
        Assert.Equal(entry.Iin, answer.Subject.Iin);
    }

    [Fact]
    public async Task A_damaged_signature_value_is_a_bad_signature()
    {
        using var key = fx.Open(fx.One("valid", "SIGN"));
        var signature = DetachedCmsVerifierTests.Sign(key, Document);
        signature[^5] ^= 0x01;
        var (response, answer, _) = await PostCms(Document, signature);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([EdsProblemCodes.BadSignature], answer!.Problems);
    }

    // ---- malformed, oversized, unsupported: 400/413/415, never 500 ----

    [Fact]
    public async Task Malformed_input_gets_400_with_malformed()
    {
        using var key = fx.Open(fx.One("valid", "SIGN"));
        var signature = DetachedCmsVerifierTests.Sign(key, Document);
        var http = await Http();
        var privateKeyPem = Encoding.ASCII.GetBytes(PemEncoding.WriteString("PRIVATE KEY", RandomNumberGenerator.GetBytes(64)));
        var cases = new (string Path, Func<HttpContent> Content)[]
        {
            ($"{CertificatePath}?purpose=auth", () => EdsCentral.Raw("this is not a certificate"u8.ToArray(), "application/pkix-cert")),
            ($"{CertificatePath}?purpose=auth", () => EdsCentral.Raw([], "application/pkix-cert")),
            ($"{CertificatePath}?purpose=auth", () => EdsCentral.Raw(key.Certificate.RawData[..^1], "application/pkix-cert")),
            ($"{CertificatePath}?purpose=auth", () => EdsCentral.Raw([0x30, 0x03, 0x02, 0x01, 0x01], "application/pkix-cert")),
            ($"{CertificatePath}?purpose=auth", () => EdsCentral.Raw(privateKeyPem, "application/x-pem-file")),
            ($"{CertificatePath}?purpose=auth", () => EdsCentral.Raw("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"u8.ToArray(), "application/x-pem-file")),
            ($"{CertificatePath}?purpose=auth", () => EdsCentral.Raw([.. key.Certificate.RawData, 1, 2, 3], "application/pkix-cert")),
            ($"{CertificatePath}?purpose=admin", () => EdsCentral.Raw(key.Certificate.RawData, "application/pkix-cert")),
            (CertificatePath, () => EdsCentral.Raw(key.Certificate.RawData, "application/pkix-cert")),
            ($"{CertificatePath}?purpose=sign", () => EdsCentral.Form(("chain", key.Certificate.RawData))),
            ($"{CertificatePath}?purpose=sign", () => EdsCentral.Form(("certificate", key.Certificate.RawData), ("certificate", key.Certificate.RawData))),
            ($"{CertificatePath}?purpose=sign", () => EdsCentral.Form(("certificate", key.Certificate.RawData), ("chain", "junk"u8.ToArray()))),
            ($"{CertificatePath}?purpose=sign", () => EdsCentral.Raw("--x\r\nnot a form"u8.ToArray(), "multipart/form-data; boundary=x")),
            ($"{CertificatePath}?purpose=sign", () => EdsCentral.Raw("no boundary"u8.ToArray(), "multipart/form-data")),
            (CmsPath, () => EdsCentral.Form(("content", Document), ("signature", "garbage"u8.ToArray()))),
            (CmsPath, () => EdsCentral.Form(("content", Document), ("signature", []))),
            (CmsPath, () => EdsCentral.Form(("content", Document), ("signature", key.Certificate.RawData))),
            (CmsPath, () => EdsCentral.Form(("content", Document), ("signature", signature[..^3]))),
            (CmsPath, () => EdsCentral.Form(("content", Document))),
            (CmsPath, () => EdsCentral.Form(("signature", signature))),
            (CmsPath, () => EdsCentral.Form(("content", Document), ("signature", signature), ("signature", signature))),
            (CmsPath, () => EdsCentral.Raw("--b\r\n"u8.ToArray(), "multipart/form-data; boundary=b")),
        };
        foreach (var (path, content) in cases)
        {
            var (response, answer, body) = await EdsCentral.PostAsync(http, path, content());
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {body}");
            Assert.False(answer!.Valid);
            Assert.Equal([EdsProblemCodes.Malformed], answer.Problems);
            Assert.Equal(EdsProblemCodes.Malformed, answer.Messages.Single().Code);
        }
    }

    [Fact]
    public async Task Other_content_types_get_415_and_oversized_bodies_413()
    {
        var http = await Http();
        using var key = fx.Open(fx.One("valid", "SIGN"));
        var r1 = await http.PostAsync($"{CertificatePath}?purpose=auth", EdsCentral.Raw(key.Certificate.RawData, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r1.StatusCode);
        var r2 = await http.PostAsync(CmsPath, EdsCentral.Raw(key.Certificate.RawData, "application/octet-stream"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r2.StatusCode);
        Assert.Equal("application/problem+json", r2.Content.Headers.ContentType?.MediaType);

        var big = new byte[256 * 1024 + 1];
        var r3 = await http.PostAsync($"{CertificatePath}?purpose=auth", EdsCentral.Raw(big, "application/pkix-cert"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r3.StatusCode);
        var r4 = await http.PostAsync(CmsPath, EdsCentral.Form(("content", big), ("signature", [1])));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r4.StatusCode);
        // Without a Content-Length (chunked), the limit holds as the body is read.
        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pkix-cert");
        var request = new HttpRequestMessage(HttpMethod.Post, $"{CertificatePath}?purpose=auth") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var r5 = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r5.StatusCode);
        // Just under the limit is read (and is no certificate).
        var r6 = await http.PostAsync($"{CertificatePath}?purpose=auth", EdsCentral.Raw(new byte[256 * 1024], "application/pkix-cert"));
        Assert.Equal(HttpStatusCode.BadRequest, r6.StatusCode);
    }

    [Fact]
    public async Task Random_and_mutated_input_never_gets_a_500()
    {
        var http = await Http();
        using var key = fx.Open(fx.One("valid", "SIGN"));
        var signature = DetachedCmsVerifierTests.Sign(key, Document);
        var certificate = key.Certificate.RawData;
        var statuses = new List<HttpStatusCode>();

        Gen.Byte.Array[0, 1500].Sample(bytes =>
        {
            var r1 = http.PostAsync($"{CertificatePath}?purpose=auth", EdsCentral.Raw(bytes, "application/octet-stream")).GetAwaiter().GetResult();
            var r2 = http.PostAsync(CmsPath, EdsCentral.Form(("content", Document), ("signature", bytes))).GetAwaiter().GetResult();
            statuses.Add(r1.StatusCode);
            statuses.Add(r2.StatusCode);
            return r1.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest && r2.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest;
        }, iter: 60, threads: 1);

        // One byte changed anywhere in a real certificate or signature: checked or malformed, never a 500; a changed
        // certificate is never valid.
        Gen.Select(Gen.Int[0, certificate.Length - 1], Gen.Int[0, signature.Length - 1], Gen.Byte[1, 255]).Sample((int ci, int si, byte x) =>
        {
            var cert = (byte[])certificate.Clone();
            cert[ci] ^= x;
            var sig = (byte[])signature.Clone();
            sig[si] ^= x;
            var (r1, a1, _) = EdsCentral.PostAsync(http, $"{CertificatePath}?purpose=sign", EdsCentral.Raw(cert, "application/pkix-cert")).GetAwaiter().GetResult();
            var (r2, a2, _) = EdsCentral.PostAsync(http, CmsPath, EdsCentral.Form(("content", Document), ("signature", sig))).GetAwaiter().GetResult();
            Assert.True(r1.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"certificate byte {ci} ^ {x}: {(int)r1.StatusCode}");
            Assert.True(r2.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"signature byte {si} ^ {x}: {(int)r2.StatusCode}");
            Assert.True(a1 is { Valid: false }, $"certificate byte {ci} ^ {x} still valid");
            // Some bytes of a SignedData are not signed (its version, its digestAlgorithms list): changing one may leave the
            // signature valid, but only ever as the same signer's signature over the same content.
            Assert.True(a2 is { Valid: false } || a2?.Certificate?.Thumbprint == key.Certificate.GetCertHashString(HashAlgorithmName.SHA256),
                $"signature byte {si} ^ {x} valid for another certificate");
        }, iter: 60, threads: 1);

        Assert.DoesNotContain(HttpStatusCode.InternalServerError, statuses);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_both_operations()
    {
        var http = await Http();
        var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = doc.GetProperty("paths");

        var cert = paths.GetProperty(CertificatePath).GetProperty("post");
        Assert.Equal("VerifyCertificate", cert.GetProperty("operationId").GetString());
        Assert.Contains(cert.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "purpose");
        var certBody = cert.GetProperty("requestBody").GetProperty("content");
        Assert.True(certBody.TryGetProperty("application/pkix-cert", out _));
        Assert.True(certBody.TryGetProperty("application/x-pem-file", out _));
        Assert.True(certBody.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").TryGetProperty("certificate", out _));
        foreach (var status in new[] { "200", "400", "413", "415" }) Assert.True(cert.GetProperty("responses").TryGetProperty(status, out _), status);

        var cms = paths.GetProperty(CmsPath).GetProperty("post");
        var cmsProperties = cms.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties");
        Assert.True(cmsProperties.TryGetProperty("content", out _));
        Assert.True(cmsProperties.TryGetProperty("signature", out _));

        var schema = doc.GetProperty("components").GetProperty("schemas").GetProperty("EdsVerificationResponse").GetProperty("properties");
        foreach (var name in new[] { "valid", "subject", "problems", "messages", "warnings", "certificate", "signingTime" })
            Assert.True(schema.TryGetProperty(name, out _), name);
        var subject = doc.GetProperty("components").GetProperty("schemas").GetProperty("EdsSubjectDto").GetProperty("properties");
        foreach (var name in new[] { "iin", "bin", "surname", "firstName", "patronymic", "commonName" })
            Assert.True(subject.TryGetProperty(name, out _), name);
    }

    [Fact]
    public async Task The_log_says_how_the_trust_folder_loaded_and_carries_no_personal_data()
    {
        foreach (var entry in fx.Manifest.Files.Take(4)) await CheckEntry(entry, "auth", multipart: false);
        Assert.Contains(server.Logs.Lines, l => l.Contains("Trust store loaded") && l.Contains("1 trust anchors, 1 intermediate CAs, 2 CRLs (0 past next update)"));
        var iins = fx.Manifest.Files.Select(f => f.Iin).OfType<string>().ToHashSet();
        foreach (var line in server.Logs.Lines)
        {
            Assert.DoesNotContain(iins, line.Contains);
            Assert.DoesNotContain("IIN", line);
        }
    }
}
