using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Identity;
using Xunit.Abstractions;

namespace Kiosk.Tests.Eds;

[Collection(DemoCaCollection.Name)]
public class DemoCaFilesTests(DemoCaFixture fx, ITestOutputHelper log)
{
    [Fact]
    public void Every_file_gets_exactly_the_problems_its_manifest_documents_for_both_purposes()
    {
        var failures = new List<string>();
        foreach (var entry in fx.Manifest.Files)
        {
            foreach (var purpose in new[] { CertificatePurpose.SignIn, CertificatePurpose.Signing })
            {
                var result = fx.Check(entry, purpose);
                var expected = entry.Expected(purpose);
                log.WriteLine($"{entry.Case,-22} {entry.KeyType} {purpose,-8} → {(result.Valid ? "valid" : "refused")} [{string.Join(", ", result.Codes)}]");
                if (!result.Codes.SequenceEqual(expected))
                    failures.Add($"{entry.File} ({entry.Case}) for {purpose}: expected [{string.Join(", ", expected)}], got [{string.Join("; ", result.Problems)}]");
                if (result.Valid != (expected.Count == 0)) failures.Add($"{entry.File} for {purpose}: Valid={result.Valid}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_hostile_set_covers_every_case_the_issue_names_each_with_its_own_code()
    {
        var m = fx.Manifest;
        Assert.Equal([EdsProblemCodes.Expired], fx.One("expired").ExpectedAtSignIn);
        Assert.Equal([EdsProblemCodes.NotYetValid], fx.One("not-yet-valid").ExpectedAtSignIn);
        Assert.Equal([EdsProblemCodes.Revoked], fx.One("revoked").ExpectedAtSignIn);
        Assert.Equal([EdsProblemCodes.Revoked], fx.One("revoked-signing-key", "SIGN").ExpectedAtSigning);
        Assert.Equal([EdsProblemCodes.Untrusted], fx.One("lookalike-ca").ExpectedAtSignIn);
        Assert.Equal([EdsProblemCodes.BadIin], fx.One("bad-iin-check-digit").ExpectedAtSignIn);
        Assert.Equal([EdsProblemCodes.NoIin], fx.One("no-iin").ExpectedAtSignIn);
        Assert.Equal([EdsProblemCodes.UnsupportedAlgorithm], fx.One("rsa-1024").ExpectedAtSignIn);
        Assert.Empty(fx.One("ecdsa-p256").ExpectedAtSignIn);
        Assert.Empty(fx.One("ecdsa-p256", "SIGN").ExpectedAtSigning);
        // Wrong-way use of ordinary citizens' files.
        var citizenAuth = m.Files.First(f => f.Case == "valid" && f.KeyType == "AUTH");
        var citizenSign = m.Files.First(f => f.Case == "valid" && f.KeyType == "SIGN" && f.Iin == citizenAuth.Iin);
        Assert.Equal([EdsProblemCodes.WrongKeyUsage], citizenAuth.ExpectedAtSigning);
        Assert.Equal([EdsProblemCodes.WrongKeyUsage], citizenSign.ExpectedAtSignIn);
        Assert.True(m.Files.Count(f => f.Case == "valid") >= 8, "at least 4 citizens with 2 files each");
    }

    [Fact]
    public void Citizens_are_read_back_with_IIN_and_names_as_DESIGN_4_lays_them_out()
    {
        foreach (var person in DemoCa.SyntheticCitizens())
        {
            var entry = fx.Manifest.Files.Single(f => f.Iin == person.Iin.Value && f.KeyType == "AUTH");
            var result = fx.Check(entry, CertificatePurpose.SignIn);
            Assert.True(result.Valid, string.Join("; ", result.Problems));
            Assert.Equal(person.Iin, result.Subject.Iin);
            Assert.Equal(person.Surname, result.Subject.Surname);
            Assert.Equal(person.FirstName, result.Subject.FirstName);
            Assert.Equal(person.Patronymic, result.Subject.Patronymic);
            Assert.Equal($"{person.Surname} {person.FirstName}", result.Subject.CommonName);
            Assert.Equal("KZ", result.Subject.Country);
            Assert.Null(result.Subject.Bin);
            Assert.Matches("^[0-9A-F]{64}$", result.Thumbprint);
            Assert.StartsWith("AUTH_RSA256_", Path.GetFileName(entry.File));
            Assert.Matches("^AUTH_RSA256_[0-9a-f]{40}\\.p12$", Path.GetFileName(entry.File));
        }
    }

    [Fact]
    public void The_registrar_carries_the_clinic_BIN_and_organisation_and_is_valid_for_both_purposes()
    {
        var auth = fx.One("registrar");
        var sign = fx.One("registrar", "SIGN");
        var a = fx.Check(auth, CertificatePurpose.SignIn);
        var s = fx.Check(sign, CertificatePurpose.Signing);
        Assert.True(a.Valid && s.Valid, string.Join("; ", a.Problems.Concat(s.Problems)));
        Assert.Equal(DemoCa.SyntheticClinicBin(), a.Subject.Bin);
        Assert.Equal(DemoCa.DefaultClinicName, a.Subject.Organisation);
        Assert.NotNull(a.Subject.Iin);
        using var key = fx.Open(auth);
        var eku = key.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        Assert.Contains(DemoCa.RoleLegalEntity, eku);
        Assert.Contains(DemoCa.RoleLegalEntityEmployee, eku);
        Assert.DoesNotContain(DemoCa.RoleIndividual, eku);
    }

    [Theory]
    [InlineData("AUTH", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, CertificateChecker.ClientAuthOid, DemoCa.PolicyIndividualAuth)]
    [InlineData("SIGN", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, CertificateChecker.EmailProtectionOid, DemoCa.PolicyIndividualSign)]
    public void Citizen_certificates_have_the_national_profile_extensions(string keyType, X509KeyUsageFlags usage, string eku, string policy)
    {
        using var key = fx.Open(fx.Manifest.Files.First(f => f.Case == "valid" && f.KeyType == keyType));
        var cert = key.Certificate;
        var ku = cert.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(ku.Critical);
        Assert.Equal(usage, ku.KeyUsages);
        var ekus = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        Assert.Equal([eku, DemoCa.RoleIndividual], ekus);
        var policies = cert.Extensions.Single(e => e.Oid?.Value == "2.5.29.32");
        Assert.Equal([policy], ReadPolicies(policies.RawData));

        // Subject: CN, SURNAME, SERIALNUMBER (PrintableString "IIN…"), C, G — in that order.
        var rdns = cert.SubjectName.EnumerateRelativeDistinguishedNames().Select(r => r.GetSingleElementType().Value).ToList();
        Assert.Equal(["2.5.4.3", "2.5.4.4", "2.5.4.5", "2.5.4.6", "2.5.4.42"], rdns);
        Assert.Contains("SERIALNUMBER=IIN", cert.SubjectName.Format(false).Replace("OID.2.5.4.5", "SERIALNUMBER"));
        Assert.Equal(2048, cert.GetRSAPublicKey()!.KeySize);
        Assert.Equal("sha256RSA", cert.SignatureAlgorithm.FriendlyName);
    }

    private static List<string> ReadPolicies(byte[] der)
    {
        var result = new List<string>();
        var seq = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        while (seq.HasData) result.Add(seq.ReadSequence().ReadObjectIdentifier());
        return result;
    }

    [Fact]
    public void The_trust_folder_holds_exactly_root_issuing_and_both_CRLs_and_loads_without_warnings()
    {
        var files = Directory.GetFiles(fx.Ca.TrustDirectory).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["issuing-ca.cer", "issuing-ca.crl", "root-ca.cer", "root-ca.crl"], files);
        Assert.Empty(fx.Trust.Warnings);
        Assert.Single(fx.Trust.Anchors);
        Assert.Single(fx.Trust.Intermediates);
        Assert.Equal(2, fx.Trust.Crls.Count);
    }

    [Fact]
    public void The_revoked_citizens_and_the_revoked_sub_CA_are_listed_in_the_CRLs()
    {
        var issuingCrl = RevocationList.Parse(File.ReadAllBytes(Path.Combine(fx.Ca.TrustDirectory, "issuing-ca.crl")));
        var rootCrl = RevocationList.Parse(File.ReadAllBytes(Path.Combine(fx.Ca.TrustDirectory, "root-ca.crl")));
        Assert.True(issuingCrl.IsSignedBy(fx.Ca.CertificateOf(DemoCrlIssuer.Issuing)));
        Assert.True(rootCrl.IsSignedBy(fx.Ca.CertificateOf(DemoCrlIssuer.Root)));
        var revoked = fx.Manifest.Files.Where(f => f.ExpectedAtSignIn.Contains("revoked") && f.Case != "revoked-sub-ca"
                                                   || f.Case == "revoked-signing-key" && f.KeyType == "SIGN").ToList();
        Assert.Equal(2, revoked.Count);
        foreach (var f in revoked) Assert.True(issuingCrl.TryGetRevocation(Convert.FromHexString(f.SerialNumber), out _), f.File);
        Assert.Equal(2, issuingCrl.Count);
        Assert.Equal(1, rootCrl.Count);
        Assert.Equal(fx.Manifest.CrlNextUpdate, issuingCrl.NextUpdate);
    }

    [Fact]
    public void Keys_are_distinct_for_every_file_and_the_ECDSA_citizen_uses_P256()
    {
        var spkis = new HashSet<string>();
        foreach (var entry in fx.Manifest.Files)
        {
            using var key = fx.Open(entry);
            Assert.True(spkis.Add(Convert.ToHexString(key.Certificate.PublicKey.ExportSubjectPublicKeyInfo())), $"{entry.File} reuses a key");
        }
        using var ec = fx.Open(fx.One("ecdsa-p256"));
        using var ecdsa = ec.Certificate.GetECDsaPublicKey()!;
        Assert.Equal(256, ecdsa.KeySize);
        Assert.StartsWith("AUTH_ECDSA256_", Path.GetFileName(fx.One("ecdsa-p256").File));
    }

    [Fact]
    public void Proof_of_possession_works_for_RSA_and_ECDSA_keys_and_fails_for_another_certificate()
    {
        using var rsa = fx.Open(fx.One("valid"));
        using var ec = fx.Open(fx.One("ecdsa-p256"));
        Assert.True(ProofOfPossession.Prove(rsa));
        Assert.True(ProofOfPossession.Prove(ec));
        var nonce = ProofOfPossession.CreateNonce();
        var sig = ProofOfPossession.Sign(rsa.Certificate, nonce);
        Assert.True(ProofOfPossession.Verify(rsa.Certificate, nonce, sig));
        Assert.False(ProofOfPossession.Verify(ec.Certificate, nonce, sig));
        Assert.False(ProofOfPossession.Verify(rsa.Certificate, ProofOfPossession.CreateNonce(), sig));
        using var other = fx.Open(fx.One("valid", "SIGN"));
        Assert.False(ProofOfPossession.Verify(other.Certificate, nonce, sig));
    }

    [Fact]
    public void README_lists_every_file_with_its_password_and_outcome()
    {
        var readme = File.ReadAllText(Path.Combine(fx.Ca.OutputDirectory, "README.txt"));
        foreach (var f in fx.Manifest.Files) Assert.Contains(f.File, readme);
        Assert.Contains(fx.Manifest.Password, readme);
        Assert.Contains("refused: untrusted", readme);
        var reloaded = DemoCaManifest.Load(fx.Ca.ManifestPath);
        Assert.Equal(fx.Manifest.Files.Count, reloaded.Files.Count);
        Assert.Equal(fx.Manifest.Files[0], reloaded.Files[0] with { ExpectedAtSignIn = fx.Manifest.Files[0].ExpectedAtSignIn, ExpectedAtSigning = fx.Manifest.Files[0].ExpectedAtSigning });
    }

    [Fact]
    public void Synthetic_people_have_valid_IINs_and_the_bad_IIN_file_really_has_a_wrong_check_digit()
    {
        foreach (var p in DemoCa.SyntheticCitizens()) Assert.Equal(IinError.None, Iin.Validate(p.Iin.Value));
        var bad = fx.One("bad-iin-check-digit").Iin!;
        Assert.Equal(IinError.CheckDigitMismatch, Iin.Validate(bad));
        Assert.Null(fx.One("no-iin").Iin);
    }
}
