using System.Security.Cryptography.X509Certificates;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;

namespace Kiosk.Tests.Eds;

/// <summary>
/// The certificate checker's chain cache (issue 13: the chain is built once per trust snapshot, leaf and candidates).
/// It can never serve a stale answer: only the chain is kept, so time, revocation, usages and algorithms are judged on
/// every call; a reloaded trust folder (a new snapshot) starts with an empty cache, so a CRL that arrives late revokes
/// at once and a removed anchor stops trusting at once; caller-supplied candidates are part of the key; it is bounded.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class ChainCacheTests(DemoCaFixture fx)
{
    private X509Certificate2 Root => fx.Trust.Anchors[0];
    private X509Certificate2 Issuing => fx.Trust.Intermediates[0];
    private byte[] RootCrl => File.ReadAllBytes(Path.Combine(fx.Ca.TrustDirectory, "root-ca.crl"));
    private byte[] IssuingCrl => File.ReadAllBytes(Path.Combine(fx.Ca.TrustDirectory, "issuing-ca.crl"));

    [Fact]
    public void A_chain_is_built_once_per_snapshot_and_time_is_still_judged_on_every_call()
    {
        var store = TrustStore.Create([Root, Issuing], fx.Trust.Crls);
        var checker = new CertificateChecker(store);
        using var key = fx.Open(fx.One("valid"));
        Assert.True(checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now).Valid);
        Assert.Equal(1, store.CachedChains);
        Assert.True(checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now).Valid);
        Assert.Equal(1, store.CachedChains);
        // The same cached chain, a time after the certificate ended: expired, as without the cache.
        var later = new DateTimeOffset(key.Certificate.NotAfter.ToUniversalTime()).AddDays(1);
        Assert.Contains(EdsProblemCodes.Expired, checker.Check(key.Certificate, CertificatePurpose.SignIn, later, later.AddYears(-10)).Codes);
        // The purpose is judged too: an AUTH certificate does not sign.
        Assert.Contains(EdsProblemCodes.WrongKeyUsage, checker.Check(key.Certificate, CertificatePurpose.Signing, fx.Now).Codes);
        // A chain that does not build is never cached.
        using var lookalike = fx.Open(fx.One("lookalike-ca"));
        Assert.False(checker.Check(lookalike.Certificate, CertificatePurpose.SignIn, fx.Now).Valid);
        Assert.Equal(1, store.CachedChains);
    }

    [Fact]
    public void A_CRL_that_arrives_late_revokes_at_once_and_a_removed_anchor_stops_trusting()
    {
        var beforeRevocation = fx.Ca.IssueCrl(DemoCrlIssuer.Issuing, fx.Now.AddHours(-1), fx.Now.AddDays(7), listRevoked: false);
        var current = TrustStore.Create([Root, Issuing], [RevocationList.Parse(beforeRevocation), RevocationList.Parse(RootCrl)]);
        var checker = new CertificateChecker(() => current);
        using var key = fx.Open(fx.One("revoked"));
        Assert.True(checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now).Valid); // not listed yet; its chain is cached
        Assert.Equal(1, current.CachedChains);

        current = TrustStore.Create([Root, Issuing], [RevocationList.Parse(IssuingCrl), RevocationList.Parse(RootCrl)]); // the reload
        Assert.Equal([EdsProblemCodes.Revoked], checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now).Codes.ToArray());

        current = TrustStore.Create([Issuing], fx.Trust.Crls); // the root taken out of the trust folder
        Assert.Contains(EdsProblemCodes.Untrusted, checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now).Codes);
    }

    [Fact]
    public void The_callers_candidates_are_part_of_the_key()
    {
        var store = TrustStore.Create([Root], fx.Trust.Crls); // no intermediate: only the caller's chain can build
        var checker = new CertificateChecker(store);
        using var key = fx.Open(fx.One("valid"));
        Assert.True(checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now, key.ExtraCertificates).Valid);
        // Without the candidates, the chain that built with them is not reused.
        Assert.Contains(EdsProblemCodes.Untrusted, checker.Check(key.Certificate, CertificatePurpose.SignIn, fx.Now).Codes);
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        var store = TrustStore.Create([Root, Issuing], fx.Trust.Crls);
        for (var i = 0; i <= TrustStore.MaxCachedChains + 10; i++) store.KeepChain("key-" + i, [Issuing]);
        Assert.InRange(store.CachedChains, 1, TrustStore.MaxCachedChains);
    }
}

/// <summary>The RSA key size read from the key's DER (issue 13) says what the crypto library says, and refuses what is not a key.</summary>
public sealed class RsaModulusBitsTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(2048)]
    [InlineData(3072)]
    [InlineData(4096)]
    public void The_size_is_the_librarys(int bits)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(bits);
        Assert.Equal(rsa.KeySize, EdsAlgorithms.RsaModulusBits(rsa.ExportRSAPublicKey()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3000")]                 // an empty SEQUENCE
    [InlineData("3006020100020103")]     // modulus 0
    [InlineData("300602018102010300")]   // trailing bytes inside
    [InlineData("3006020181020103")]     // a negative modulus
    [InlineData("04020000")]             // not a SEQUENCE
    public void What_is_not_an_RSA_public_key_has_no_size(string hex) =>
        Assert.Null(EdsAlgorithms.RsaModulusBits(Convert.FromHexString(hex)));
}
