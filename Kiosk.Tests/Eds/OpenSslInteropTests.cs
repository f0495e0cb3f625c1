using System.Security.Cryptography.X509Certificates;
using Kiosk.Core.Eds;
using Kiosk.Core.Identity;

namespace Kiosk.Tests.Eds;

/// <summary>
/// A certificate and CRL hierarchy made with the openssl command line alone (req, x509 -req with an extension file,
/// ca -revoke, ca -gencrl), generated at test time into a temp folder.
/// </summary>
public sealed class OpenSslHierarchy : IDisposable
{
    public const string Password = "interop-secret";

    private const string Config = """
        [ req ]
        distinguished_name = dn
        prompt = no
        utf8 = yes
        string_mask = utf8only
        [ dn ]
        CN = unused
        [ v3_root ]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        [ v3_issuing ]
        basicConstraints = critical, CA:TRUE, pathlen:0
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid:always
        [ auth ]
        keyUsage = critical, digitalSignature, keyEncipherment
        extendedKeyUsage = clientAuth, 1.2.398.3.3.4.1.1
        certificatePolicies = 1.2.398.3.3.2.4
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid:always
        [ auth_ec ]
        keyUsage = critical, digitalSignature
        extendedKeyUsage = clientAuth, 1.2.398.3.3.4.1.1
        certificatePolicies = 1.2.398.3.3.2.4
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid:always
        [ sign ]
        keyUsage = critical, digitalSignature, nonRepudiation
        extendedKeyUsage = emailProtection, 1.2.398.3.3.4.1.1
        certificatePolicies = 1.2.398.3.3.2.3
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid:always
        [ ca ]
        default_ca = issuing_ca
        [ issuing_ca ]
        database = issuing-index.txt
        crlnumber = issuing-crlnumber
        certificate = issuing.pem
        private_key = issuing.key
        default_md = sha256
        default_crl_days = 30
        [ root_ca ]
        database = root-index.txt
        crlnumber = root-crlnumber
        certificate = root.pem
        private_key = root.key
        default_md = sha256
        default_crl_days = 30
        """;

    public OpenSslHierarchy()
    {
        Directory = Path.Combine(Path.GetTempPath(), "kiosk-openssl-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "openssl.cnf"), Config);
        void Run(params string[] args) => OpenSsl.Run(Directory, args);

        Run("req", "-x509", "-config", "openssl.cnf", "-extensions", "v3_root", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key",
            "-out", "root.pem", "-days", "3650", "-subj", "/C=KZ/O=OpenSSL interop/CN=OPENSSL INTEROP ROOT", "-utf8");
        Run("req", "-new", "-config", "openssl.cnf", "-newkey", "rsa:2048", "-nodes", "-keyout", "issuing.key", "-out", "issuing.csr",
            "-subj", "/C=KZ/O=OpenSSL interop/CN=OPENSSL INTEROP ISSUING", "-utf8");
        Run("x509", "-req", "-in", "issuing.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "0x1001", "-days", "1825", "-sha256",
            "-extfile", "openssl.cnf", "-extensions", "v3_issuing", "-out", "issuing.pem");

        Leaf("auth", "auth", "rsa:2048", Person(1984, 2, 11, Sex.Male, 101, "ИВАНОВ", "ИВАН", "ИВАНОВИЧ"), 0x2001);
        Leaf("sign", "sign", "rsa:2048", Person(1984, 2, 11, Sex.Male, 101, "ИВАНОВ", "ИВАН", "ИВАНОВИЧ"), 0x2002);
        Leaf("revoked", "auth", "rsa:2048", Person(1990, 6, 1, Sex.Female, 202, "ПЕТРОВА", "АННА", "СЕРГЕЕВНА"), 0x2003);
        Leaf("ecdsa", "auth_ec", "ec", Person(1977, 9, 30, Sex.Male, 303, "ҚАЙРАТОВ", "ЕРЛАН", "СӘКЕНҰЛЫ"), 0x2004);
        Leaf("rsa1024", "auth", "rsa:1024", Person(1966, 3, 8, Sex.Female, 404, "СЕРІКОВА", "ӘЙГЕРІМ", "ДӘУЛЕТҚЫЗЫ"), 0x2005);

        File.WriteAllText(Path.Combine(Directory, "issuing-index.txt"), "");
        File.WriteAllText(Path.Combine(Directory, "root-index.txt"), "");
        File.WriteAllText(Path.Combine(Directory, "issuing-crlnumber"), "01\n");
        File.WriteAllText(Path.Combine(Directory, "root-crlnumber"), "01\n");
        Run("ca", "-config", "openssl.cnf", "-name", "issuing_ca", "-revoke", "revoked.pem", "-crl_reason", "keyCompromise");
        Run("ca", "-config", "openssl.cnf", "-name", "issuing_ca", "-gencrl", "-out", "issuing.crl.pem");
        Run("ca", "-config", "openssl.cnf", "-name", "root_ca", "-gencrl", "-out", "root.crl.pem");

        // The node's trust folder: PEM certificates and PEM CRLs, as openssl wrote them.
        TrustDirectory = Path.Combine(Directory, "trust");
        System.IO.Directory.CreateDirectory(TrustDirectory);
        File.Copy(Path.Combine(Directory, "root.pem"), Path.Combine(TrustDirectory, "root.pem"));
        File.Copy(Path.Combine(Directory, "issuing.pem"), Path.Combine(TrustDirectory, "issuing.crt"));
        File.Copy(Path.Combine(Directory, "root.crl.pem"), Path.Combine(TrustDirectory, "root.crl"));
        File.Copy(Path.Combine(Directory, "issuing.crl.pem"), Path.Combine(TrustDirectory, "issuing.crl"));
        Trust = TrustStore.LoadFromDirectory(TrustDirectory);

        // A PKCS#12 file made by openssl (OpenSSL 3 defaults: AES-256-CBC, PBKDF2, SHA-256 MAC).
        Run("pkcs12", "-export", "-inkey", "auth.key", "-in", "auth.pem", "-certfile", "issuing.pem", "-passout", "pass:" + Password, "-out", "auth.p12");
    }

    public string Directory { get; }
    public string TrustDirectory { get; }
    public TrustStore Trust { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public X509Certificate2 Load(string name) => X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Directory, name + ".pem"));

    private static (Iin Iin, string Surname, string First, string Patronymic) Person(int y, int m, int d, Sex sex, int serial, string surname, string first, string patronymic) =>
        (Iin.Create(new DateOnly(y, m, d), sex, serial), surname, first, patronymic);

    private void Leaf(string name, string extensions, string keySpec, (Iin Iin, string Surname, string First, string Patronymic) p, int serial)
    {
        var keyArgs = keySpec == "ec"
            ? new[] { "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256" }
            : ["-newkey", keySpec];
        OpenSsl.Run(Directory, ["req", "-new", "-config", "openssl.cnf", .. keyArgs, "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
            "-subj", $"/CN={p.Surname} {p.First}/SN={p.Surname}/serialNumber=IIN{p.Iin}/C=KZ/GN={p.Patronymic}", "-utf8"]);
        OpenSsl.Run(Directory, "x509", "-req", "-in", name + ".csr", "-CA", "issuing.pem", "-CAkey", "issuing.key", "-set_serial", $"0x{serial:X}",
            "-days", "365", "-sha256", "-extfile", "openssl.cnf", "-extensions", extensions, "-out", name + ".pem");
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

[Collection(DemoCaCollection.Name)]
public class OpenSslInteropTests(DemoCaFixture fx, OpenSslHierarchy ossl) : IClassFixture<OpenSslHierarchy>
{
    private CertificateCheckResult CheckOpenSsl(string name, CertificatePurpose purpose, DateTimeOffset? at = null)
    {
        using var cert = ossl.Load(name);
        return new CertificateChecker(ossl.Trust).Check(cert, purpose, at ?? DateTimeOffset.UtcNow);
    }

    /// <summary>The same situation in both hierarchies gets the same answer.</summary>
    [Theory]
    [InlineData("auth", CertificatePurpose.SignIn, "valid", "AUTH")]
    [InlineData("sign", CertificatePurpose.Signing, "valid", "SIGN")]
    [InlineData("revoked", CertificatePurpose.SignIn, "revoked", "AUTH")]
    [InlineData("sign", CertificatePurpose.SignIn, "valid", "SIGN")]
    [InlineData("auth", CertificatePurpose.Signing, "valid", "AUTH")]
    [InlineData("ecdsa", CertificatePurpose.SignIn, "ecdsa-p256", "AUTH")]
    [InlineData("rsa1024", CertificatePurpose.SignIn, "rsa-1024", "AUTH")]
    public void An_openssl_made_certificate_is_judged_exactly_as_the_demo_CA_equivalent(string opensslFile, CertificatePurpose purpose, string demoCase, string demoKeyType)
    {
        var ours = fx.Check(fx.One(demoCase, demoKeyType), purpose);
        var theirs = CheckOpenSsl(opensslFile, purpose);
        Assert.Equal(ours.Codes.ToArray(), theirs.Codes.ToArray());
        Assert.Equal(ours.Valid, theirs.Valid);
        Assert.Equal(fx.One(demoCase, demoKeyType).Expected(purpose), theirs.Codes.ToArray());
    }

    [Fact]
    public void The_openssl_trust_folder_loads_PEM_certificates_and_PEM_CRLs_without_warnings()
    {
        Assert.Empty(ossl.Trust.Warnings);
        Assert.Single(ossl.Trust.Anchors);
        Assert.Single(ossl.Trust.Intermediates);
        Assert.Equal(2, ossl.Trust.Crls.Count);
    }

    [Fact]
    public void The_valid_openssl_citizen_is_read_with_IIN_and_names()
    {
        var result = CheckOpenSsl("auth", CertificatePurpose.SignIn);
        Assert.True(result.Valid, string.Join("; ", result.Problems));
        Assert.Equal(Iin.Create(new DateOnly(1984, 2, 11), Sex.Male, 101), result.Subject.Iin);
        Assert.Equal("ИВАНОВ", result.Subject.Surname);
        Assert.Equal("ИВАН", result.Subject.FirstName);
        Assert.Equal("ИВАНОВИЧ", result.Subject.Patronymic);
    }

    [Fact]
    public void The_openssl_hierarchy_is_untrusted_under_the_demo_trust_list_and_vice_versa()
    {
        using var cert = ossl.Load("auth");
        Assert.Equal([EdsProblemCodes.Untrusted], fx.Checker().Check(cert, CertificatePurpose.SignIn, DateTimeOffset.UtcNow).Codes);
        using var key = fx.Open(fx.One("valid"));
        Assert.Equal([EdsProblemCodes.Untrusted], new CertificateChecker(ossl.Trust).Check(key.Certificate, CertificatePurpose.SignIn, fx.Now, key.ExtraCertificates).Codes);
    }

    [Fact]
    public void The_openssl_CRL_is_stale_after_its_next_update()
    {
        var crl = RevocationList.Parse(File.ReadAllBytes(ossl.PathOf("issuing.crl.pem")));
        var after = crl.NextUpdate!.Value.AddMinutes(1);
        Assert.Equal([EdsProblemCodes.CrlStale], CheckOpenSsl("auth", CertificatePurpose.SignIn, after).Codes);
    }

    [Fact]
    public void An_openssl_made_PKCS12_file_opens_proves_possession_and_passes_the_checker()
    {
        var bytes = File.ReadAllBytes(ossl.PathOf("auth.p12"));
        Assert.Equal(Pkcs12OpenError.WrongPassword, Pkcs12KeyFile.Open(bytes, "nope").Error);
        var result = Pkcs12KeyFile.Open(bytes, OpenSslHierarchy.Password);
        Assert.True(result.Success, result.Error.ToString());
        using var key = result.Key!;
        Assert.True(ProofOfPossession.Prove(key));
        Assert.True(new CertificateChecker(ossl.Trust).Check(key.Certificate, CertificatePurpose.SignIn, DateTimeOffset.UtcNow, key.ExtraCertificates).Valid);
    }

    /// <summary>openssl verify agrees with the checker on chain and revocation, for both hierarchies.</summary>
    [Fact]
    public void Openssl_verify_agrees_on_chain_and_revocation_for_both_hierarchies()
    {
        string Verify(string dir, string caFile, string untrusted, string rootCrl, string issuingCrl, string cert) =>
            OpenSsl.TryRun(dir, "verify", "-crl_check_all", "-CAfile", caFile, "-untrusted", untrusted, "-CRLfile", rootCrl, "-CRLfile", issuingCrl, cert).All;

        Assert.Contains("auth.pem: OK", Verify(ossl.Directory, "root.pem", "issuing.pem", "root.crl.pem", "issuing.crl.pem", "auth.pem"));
        Assert.Contains("certificate revoked", Verify(ossl.Directory, "root.pem", "issuing.pem", "root.crl.pem", "issuing.crl.pem", "revoked.pem"));

        var dir = fx.NewTempDirectory("verify");
        void Export(string @case, string file)
        {
            using var key = fx.Open(fx.One(@case));
            File.WriteAllText(Path.Combine(dir, file), key.Certificate.ExportCertificatePem());
        }
        Export("valid", "valid.pem");
        Export("revoked", "revoked.pem");
        Export("lookalike-ca", "lookalike.pem");
        string V(string cert) => Verify(dir, Path.Combine(fx.Ca.OutputDirectory, "ca", "root-ca.pem"), Path.Combine(fx.Ca.OutputDirectory, "ca", "issuing-ca.pem"),
            Path.Combine(fx.Ca.OutputDirectory, "ca", "root-ca.crl.pem"), Path.Combine(fx.Ca.OutputDirectory, "ca", "issuing-ca.crl.pem"), cert);
        Assert.Contains("valid.pem: OK", V("valid.pem"));
        Assert.Contains("certificate revoked", V("revoked.pem"));
        Assert.DoesNotContain(": OK", V("lookalike.pem"));
    }
}
