using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;

namespace Kiosk.Tests.Eds;

[Collection(DemoCaCollection.Name)]
public class CertificateCheckerTests(DemoCaFixture fx)
{
    private X509Certificate2 Root => fx.Trust.Anchors[0];
    private X509Certificate2 Issuing => fx.Trust.Intermediates[0];
    private byte[] IssuingCrl => File.ReadAllBytes(Path.Combine(fx.Ca.TrustDirectory, "issuing-ca.crl"));
    private byte[] RootCrl => File.ReadAllBytes(Path.Combine(fx.Ca.TrustDirectory, "root-ca.crl"));

    private CertificateChecker CheckerWith(IEnumerable<byte[]> crls, StaleCrlPolicy stale = StaleCrlPolicy.Reject) =>
        new(TrustStore.Create([Root, Issuing], crls.Select(c => RevocationList.Parse(c))), new CertificateCheckerOptions { StaleCrl = stale });

    private static string[] Codes(CertificateCheckResult r) => r.Codes.ToArray();

    // ---- trust: only the configured anchors, never names ----

    [Fact]
    public void A_lookalike_CA_with_byte_identical_names_is_untrusted_with_or_without_its_chain()
    {
        var entry = fx.One("lookalike-ca");
        using var key = fx.Open(entry);
        var fakeIssuing = key.ExtraCertificates.Single(c => c.Subject == Issuing.Subject);
        var fakeRoot = key.ExtraCertificates.Single(c => c.Subject == Root.Subject);
        Assert.Equal(Issuing.SubjectName.RawData, fakeIssuing.SubjectName.RawData);
        Assert.Equal(Root.SubjectName.RawData, fakeRoot.SubjectName.RawData);
        Assert.Equal(Issuing.SubjectName.RawData, key.Certificate.IssuerName.RawData);

        var checker = fx.Checker();
        Assert.Equal([EdsProblemCodes.Untrusted], Codes(checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now)));
        Assert.Equal([EdsProblemCodes.Untrusted], Codes(checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now, key.ExtraCertificates)));
        Assert.Equal([EdsProblemCodes.Untrusted], Codes(checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now, [fakeIssuing])));
        // The look-alike CA certificates dropped into a trust folder do not chain to the real root: ignored.
        var store = TrustStore.Create([Root, Issuing, fakeIssuing], fx.Trust.Crls);
        Assert.Single(store.Intermediates);
        Assert.Contains(store.Warnings, w => w.Contains("does not chain"));
        Assert.False(new CertificateChecker(store).Check(key.Certificate, CertificatePurpose.SignIn, fx.Now).Valid);
    }

    [Fact]
    public void An_empty_trust_store_trusts_nothing()
    {
        using var key = fx.Open(fx.One("valid"));
        var result = new CertificateChecker(TrustStore.Empty).Check(key.Certificate, CertificatePurpose.SignIn, fx.Now, key.ExtraCertificates);
        Assert.Equal([EdsProblemCodes.Untrusted], Codes(result));
    }

    [Fact]
    public void A_caller_supplied_chain_is_enough_when_the_store_has_only_the_root()
    {
        using var key = fx.Open(fx.One("valid"));
        var checker = new CertificateChecker(TrustStore.Create([Root], fx.Trust.Crls));
        Assert.Equal([EdsProblemCodes.Untrusted], Codes(checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now)));
        Assert.True(checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now, key.ExtraCertificates).Valid);
    }

    [Fact]
    public void The_issuing_CA_itself_cannot_be_used_as_a_citizen_certificate()
    {
        var result = fx.Checker().Check(Issuing, CertificatePurpose.SignIn, fx.Now);
        Assert.Contains(EdsProblemCodes.WrongKeyUsage, result.Codes);
        Assert.Contains(EdsProblemCodes.NoIin, result.Codes);
        Assert.False(result.Valid);
    }

    // ---- CRLs: believed only when signed by the issuer ----

    [Fact]
    public void A_CRL_with_a_tampered_signature_is_not_trusted_so_the_revoked_citizen_is_not_cleared()
    {
        var tampered = IssuingCrl;
        tampered[^1] ^= 0x01; // last byte of the signature
        var checker = CheckerWith([tampered, RootCrl]);
        var revoked = fx.Check(fx.One("revoked"), CertificatePurpose.SignIn, checker: checker);
        Assert.Equal([EdsProblemCodes.CrlMissing], Codes(revoked));
        var good = fx.Check(fx.One("valid"), CertificatePurpose.SignIn, checker: checker);
        Assert.Equal([EdsProblemCodes.CrlMissing], Codes(good));
        Assert.False(good.Valid);
    }

    [Fact]
    public void A_CRL_whose_list_was_edited_fails_its_signature_and_counts_as_missing()
    {
        // Drop the revoked entries by re-encoding is not possible without the key; instead flip a byte of a listed serial.
        var crl = IssuingCrl;
        var serial = Convert.FromHexString(fx.One("revoked").SerialNumber);
        var at = crl.AsSpan().IndexOf(serial);
        Assert.True(at > 0);
        crl[at + serial.Length - 1] ^= 0xFF;
        var parsed = RevocationList.Parse(crl); // still well-formed …
        Assert.False(parsed.IsSignedBy(Issuing)); // … but no longer the CA's
        var result = fx.Check(fx.One("revoked"), CertificatePurpose.SignIn, checker: CheckerWith([crl, RootCrl]));
        Assert.Equal([EdsProblemCodes.CrlMissing], Codes(result));
    }

    [Fact]
    public void An_empty_CRL_from_the_lookalike_CA_never_clears_a_revoked_citizen()
    {
        var lookalikeCrl = File.ReadAllBytes(Path.Combine(fx.Ca.OutputDirectory, "hostile", "lookalike-ca", "lookalike-issuing-ca.crl"));
        Assert.Equal(Issuing.SubjectName.RawData, RevocationList.Parse(lookalikeCrl).Issuer.RawData);
        var onlyFake = fx.Check(fx.One("revoked"), CertificatePurpose.SignIn, checker: CheckerWith([lookalikeCrl, RootCrl]));
        Assert.Equal([EdsProblemCodes.CrlMissing], Codes(onlyFake));
        // A newer forged CRL next to the real one: the forged one is ignored, the real one still revokes.
        var both = fx.Check(fx.One("revoked"), CertificatePurpose.SignIn, checker: CheckerWith([IssuingCrl, lookalikeCrl, RootCrl]));
        Assert.Equal([EdsProblemCodes.Revoked], Codes(both));
    }

    [Fact]
    public void No_CRL_for_an_issuer_is_crl_missing_for_that_link_only()
    {
        var noIssuingCrl = fx.Check(fx.One("valid"), CertificatePurpose.SignIn, checker: CheckerWith([RootCrl]));
        Assert.Equal([EdsProblemCodes.CrlMissing], Codes(noIssuingCrl));
        Assert.Contains("(DEMO RSA)", noIssuingCrl.Problems[0].Detail); // the detail names the CA
        var noRootCrl = fx.Check(fx.One("valid"), CertificatePurpose.SignIn, checker: CheckerWith([IssuingCrl]));
        Assert.Equal([EdsProblemCodes.CrlMissing], Codes(noRootCrl));
        Assert.Contains("(DEMO ROOT RSA)", noRootCrl.Problems[0].Detail);
    }

    [Fact]
    public void A_stale_CRL_is_rejected_or_warned_about_as_the_policy_says()
    {
        var staleCrl = fx.Ca.IssueCrl(DemoCrlIssuer.Issuing, fx.Now.AddDays(-40), fx.Now.AddDays(-10));
        var reject = fx.Check(fx.One("valid"), CertificatePurpose.SignIn, checker: CheckerWith([staleCrl, RootCrl], StaleCrlPolicy.Reject));
        Assert.False(reject.Valid);
        Assert.Equal([EdsProblemCodes.CrlStale], Codes(reject));
        Assert.True(reject.Problems[0].IsError);

        var warn = fx.Check(fx.One("valid"), CertificatePurpose.SignIn, checker: CheckerWith([staleCrl, RootCrl], StaleCrlPolicy.Warn));
        Assert.True(warn.Valid);
        Assert.Equal([EdsProblemCodes.CrlStale], Codes(warn));
        Assert.Equal(EdsSeverity.Warning, warn.Problems[0].Severity);

        // A stale CRL still revokes what it lists, under either policy.
        var revoked = fx.Check(fx.One("revoked"), CertificatePurpose.SignIn, checker: CheckerWith([staleCrl, RootCrl], StaleCrlPolicy.Warn));
        Assert.False(revoked.Valid);
        Assert.Equal([EdsProblemCodes.Revoked, EdsProblemCodes.CrlStale], Codes(revoked));
    }

    [Fact]
    public void The_newest_verified_CRL_wins()
    {
        var olderEmpty = fx.Ca.IssueCrl(DemoCrlIssuer.Issuing, fx.Now.AddDays(-3), fx.Now.AddDays(20), listRevoked: false);
        var result = fx.Check(fx.One("revoked"), CertificatePurpose.SignIn, checker: CheckerWith([olderEmpty, IssuingCrl, RootCrl]));
        Assert.Equal([EdsProblemCodes.Revoked], Codes(result));
        var newerEmpty = fx.Ca.IssueCrl(DemoCrlIssuer.Issuing, fx.Now.AddMinutes(-1), fx.Now.AddDays(20), listRevoked: false);
        var after = fx.Check(fx.One("revoked"), CertificatePurpose.SignIn, checker: CheckerWith([IssuingCrl, newerEmpty, RootCrl]));
        Assert.True(after.Valid); // the CA un-listed it (e.g. a certificate hold lifted): the newest list is the truth
    }

    // ---- time of use ----

    [Fact]
    public void Validity_is_judged_at_the_chosen_time_of_use()
    {
        var valid = fx.One("valid");
        Assert.True(fx.Check(valid, CertificatePurpose.SignIn, fx.Now).Valid);
        Assert.Equal([EdsProblemCodes.NotYetValid], Codes(fx.Check(valid, CertificatePurpose.SignIn, valid.NotBefore.AddSeconds(-1))));
        Assert.True(fx.Check(valid, CertificatePurpose.SignIn, valid.NotBefore).Valid);
        Assert.True(fx.Check(valid, CertificatePurpose.SignIn, fx.Manifest.CrlNextUpdate).Valid); // the last fresh instant
        var later = fx.Check(valid, CertificatePurpose.SignIn, valid.NotAfter.AddSeconds(1));
        Assert.Equal([EdsProblemCodes.Expired, EdsProblemCodes.CrlStale], Codes(later));

        // The hostile expired and not-yet-valid files are fine inside their own windows.
        var expired = fx.One("expired");
        Assert.True(fx.Check(expired, CertificatePurpose.SignIn, expired.NotAfter.AddDays(-1)).Valid);
        var notYet = fx.One("not-yet-valid");
        Assert.True(fx.Check(notYet, CertificatePurpose.SignIn, notYet.NotBefore.AddDays(1), fx.Checker(StaleCrlPolicy.Warn)).Valid);
    }

    [Fact]
    public void Every_certificate_in_the_chain_must_be_valid_at_the_time_of_use()
    {
        var valid = fx.One("valid");
        // Before the CAs existed: the leaf and the CAs are all not yet valid; one code, details for each.
        var early = fx.Check(valid, CertificatePurpose.SignIn, Issuing.NotBefore.ToUniversalTime().AddDays(-1));
        Assert.Equal([EdsProblemCodes.NotYetValid], Codes(early));
        Assert.Contains("CA certificate", early.Problems[0].Detail);
        // After the issuing CA expired, with a warn-only CRL policy so only validity speaks.
        var late = fx.Check(valid, CertificatePurpose.SignIn, Issuing.NotAfter.ToUniversalTime().AddDays(1), fx.Checker(StaleCrlPolicy.Warn));
        Assert.Contains(EdsProblemCodes.Expired, late.Codes);
        Assert.Contains("CA certificate", late.Problems.First(p => p.Code == EdsProblemCodes.Expired).Detail);
    }

    [Fact]
    public void The_overload_without_a_time_uses_the_options_clock()
    {
        using var key = fx.Open(fx.One("valid"));
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(fx.Now.AddYears(3));
        var checker = new CertificateChecker(fx.Trust, new CertificateCheckerOptions { Time = clock, StaleCrl = StaleCrlPolicy.Warn });
        var result = checker.Check(key.Certificate, CertificatePurpose.SignIn, key.ExtraCertificates);
        Assert.Contains(EdsProblemCodes.Expired, result.Codes);
        Assert.Equal(fx.Now.AddYears(3), result.TimeOfUse);
    }

    // ---- malformed input ----

    [Theory]
    [InlineData("")]
    [InlineData("garbage garbage garbage")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    public void Anything_that_is_not_a_certificate_is_malformed(string text)
    {
        var result = fx.Checker().Check(Encoding.ASCII.GetBytes(text), CertificatePurpose.SignIn, fx.Now);
        Assert.Equal([EdsProblemCodes.Malformed], Codes(result));
        Assert.False(result.Valid);
        Assert.Same(CertificateSubject.Empty, result.Subject);
        Assert.Equal("", result.Thumbprint);
    }

    [Fact]
    public void Random_bytes_a_CRL_and_a_PKCS12_file_are_malformed_certificates()
    {
        var checker = fx.Checker();
        Assert.Equal([EdsProblemCodes.Malformed], Codes(checker.Check(RandomNumberGenerator.GetBytes(1500), CertificatePurpose.SignIn, fx.Now)));
        Assert.Equal([EdsProblemCodes.Malformed], Codes(checker.Check(IssuingCrl, CertificatePurpose.SignIn, fx.Now)));
        var p12 = File.ReadAllBytes(fx.Ca.PathOf(fx.One("valid")));
        Assert.Equal([EdsProblemCodes.Malformed], Codes(checker.Check(p12, CertificatePurpose.SignIn, fx.Now)));
        // A certificate cut short.
        using var key = fx.Open(fx.One("valid"));
        Assert.Equal([EdsProblemCodes.Malformed], Codes(checker.Check(key.Certificate.RawData.AsSpan(0, 300), CertificatePurpose.SignIn, fx.Now)));
    }

    [Fact]
    public void DER_and_PEM_bytes_are_both_accepted_and_a_PEM_chain_is_used_as_candidates_only()
    {
        using var key = fx.Open(fx.One("valid"));
        var checker = new CertificateChecker(TrustStore.Create([Root], fx.Trust.Crls));
        var der = key.Certificate.RawData;
        Assert.Equal([EdsProblemCodes.Untrusted], Codes(checker.Check(der, CertificatePurpose.SignIn, fx.Now)));
        var pem = key.Certificate.ExportCertificatePem() + "\n" + Issuing.ExportCertificatePem() + "\n";
        var result = checker.Check(Encoding.ASCII.GetBytes(pem), CertificatePurpose.SignIn, fx.Now);
        Assert.True(result.Valid, string.Join("; ", result.Problems));
        Assert.Equal(key.Certificate.GetCertHashString(HashAlgorithmName.SHA256), result.Thumbprint);
    }

    // ---- trust store loading ----

    [Fact]
    public void The_trust_store_reads_PEM_and_DER_skips_junk_and_reloads()
    {
        var dir = fx.NewTempDirectory("trust");
        File.WriteAllText(Path.Combine(dir, "root.pem"), Root.ExportCertificatePem() + "\n" + PemEncoding.WriteString("X509 CRL", RootCrl));
        File.WriteAllBytes(Path.Combine(dir, "issuing.crt"), Issuing.RawData);
        File.WriteAllText(Path.Combine(dir, "broken.cer"), "not a certificate");
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "ignored by extension");
        using var citizen = fx.Open(fx.One("valid"));
        File.WriteAllBytes(Path.Combine(dir, "citizen.cer"), citizen.Certificate.RawData);

        var store = TrustStore.LoadFromDirectory(dir);
        Assert.Single(store.Anchors);
        Assert.Single(store.Intermediates);
        Assert.Single(store.Crls);
        Assert.Contains(store.Warnings, w => w.StartsWith("broken.cer"));
        Assert.Contains(store.Warnings, w => w.Contains("not a CA certificate"));
        // A citizen's certificate in the folder must not put the citizen's name or IIN into the logs.
        var iin = fx.One("valid").Iin!;
        Assert.DoesNotContain(store.Warnings, w => w.Contains(iin) || w.Contains(citizen.Certificate.Subject));
        Assert.DoesNotContain(store.Warnings, w => w.Contains("notes.txt"));

        var current = store;
        var checker = new CertificateChecker(() => current);
        Assert.Equal([EdsProblemCodes.CrlMissing], Codes(checker.Check(citizen.Certificate, CertificatePurpose.SignIn, fx.Now)));
        File.WriteAllText(Path.Combine(dir, "issuing.crl"), PemEncoding.WriteString("X509 CRL", IssuingCrl));
        current = store.Reload();
        Assert.Equal(2, current.Crls.Count);
        Assert.True(checker.Check(citizen.Certificate, CertificatePurpose.SignIn, fx.Now).Valid);
    }

    [Fact]
    public void An_intermediate_without_its_root_is_not_trusted_and_a_missing_folder_gives_an_empty_store()
    {
        var store = TrustStore.Create([Issuing], []);
        Assert.Empty(store.Anchors);
        Assert.Empty(store.Intermediates);
        var missing = TrustStore.LoadFromDirectory(Path.Combine(fx.Directory, "no-such-folder"));
        Assert.Empty(missing.Anchors);
        Assert.Single(missing.Warnings);
    }

    [Fact]
    public void Results_carry_translated_messages_for_each_problem()
    {
        var result = fx.Check(fx.One("revoked"), CertificatePurpose.SignIn);
        Assert.Equal(EdsMessages.For(EdsProblemCodes.Revoked, "kk"), result.Messages("kk").Single());
        Assert.Contains("отозван", result.Messages("ru").Single());
        Assert.Contains("revoked", result.Messages("en").Single());
    }
}
