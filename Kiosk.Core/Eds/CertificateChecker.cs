using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Core.Eds;

public sealed class CertificateCheckerOptions
{
    /// <summary>What a CRL past its next update means. Default: <see cref="StaleCrlPolicy.Reject"/>.</summary>
    public StaleCrlPolicy StaleCrl { get; init; } = StaleCrlPolicy.Reject;

    /// <summary>The clock for the overloads without an explicit time of use.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// Checks an EDS certificate for a purpose at a time of use (DESIGN §4), shared by kiosk and Central:
/// <list type="bullet">
/// <item>the chain is built to the trust store's anchors only (custom root trust, no machine store, no downloads) and
/// its root must be byte-identical to an anchor — a CA with the same names but another key is <c>untrusted</c>;</item>
/// <item>every certificate of the chain must be valid at the time of use (<c>expired</c>, <c>not-yet-valid</c>);</item>
/// <item>every certificate but the anchor is looked up in its issuer's CRL, believed only when the CRL's signature
/// verifies with the issuer's key (<c>revoked</c>, <c>crl-missing</c>, <c>crl-stale</c>);</item>
/// <item>key usage and extended key usage fit the purpose (<c>wrong-key-usage</c>);</item>
/// <item>the subject holds a valid IIN (<c>no-iin</c>, <c>bad-iin</c>);</item>
/// <item>keys and signature algorithms are in policy (<c>unsupported-algorithm</c>).</item>
/// </list>
/// Thread-safe; never throws for bad input (that is <c>malformed</c>).
/// </summary>
public sealed class CertificateChecker
{
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    public const string EmailProtectionOid = "1.3.6.1.5.5.7.3.4";

    private readonly Func<TrustStore> _trustStore;
    private readonly CertificateCheckerOptions _options;

    public CertificateChecker(TrustStore trustStore, CertificateCheckerOptions? options = null)
        : this(() => trustStore, options)
    {
        ArgumentNullException.ThrowIfNull(trustStore);
    }

    /// <summary>Each check asks <paramref name="trustStore"/> for the current snapshot, so a host can swap in a reloaded one.</summary>
    public CertificateChecker(Func<TrustStore> trustStore, CertificateCheckerOptions? options = null)
    {
        _trustStore = trustStore ?? throw new ArgumentNullException(nameof(trustStore));
        _options = options ?? new CertificateCheckerOptions();
    }

    public CertificateCheckerOptions Options => _options;

    public CertificateCheckResult Check(X509Certificate2 certificate, CertificatePurpose purpose,
        IEnumerable<X509Certificate2>? extraCertificates = null) =>
        Check(certificate, purpose, _options.Time.GetUtcNow(), extraCertificates);

    /// <summary>
    /// Checks DER or PEM bytes: with PEM the first CERTIFICATE block is the certificate and any further blocks are
    /// chain candidates (never anchors). Anything that is not a certificate is <c>malformed</c>.
    /// </summary>
    public CertificateCheckResult Check(ReadOnlySpan<byte> certificate, CertificatePurpose purpose, DateTimeOffset timeOfUse,
        IEnumerable<X509Certificate2>? extraCertificates = null)
    {
        var loaded = new List<X509Certificate2>();
        try
        {
            try
            {
                if (PemText.LooksLikePem(certificate))
                {
                    foreach (var der in PemText.Blocks(certificate, "CERTIFICATE"))
                        loaded.Add(X509CertificateLoader.LoadCertificate(der));
                }
                else
                {
                    loaded.Add(X509CertificateLoader.LoadCertificate(certificate));
                }
            }
            catch (CryptographicException e)
            {
                return Malformed(purpose, timeOfUse, $"not an X.509 certificate ({e.Message})");
            }
            if (loaded.Count == 0) return Malformed(purpose, timeOfUse, "no CERTIFICATE block in the PEM text");
            return Check(loaded[0], purpose, timeOfUse, loaded.Skip(1).Concat(extraCertificates ?? []));
        }
        finally
        {
            foreach (var c in loaded) c.Dispose();
        }
    }

    /// <summary>
    /// Checks <paramref name="certificate"/> for <paramref name="purpose"/> at <paramref name="timeOfUse"/>.
    /// <paramref name="extraCertificates"/> (for example the other certificates of a PKCS#12 file, or a chain sent
    /// with a request) are chain-building candidates only: they can never make a chain trusted on their own.
    /// </summary>
    public CertificateCheckResult Check(X509Certificate2 certificate, CertificatePurpose purpose, DateTimeOffset timeOfUse,
        IEnumerable<X509Certificate2>? extraCertificates = null) =>
        Check(certificate, purpose, timeOfUse, timeOfUse, extraCertificates);

    /// <summary>
    /// As <see cref="Check(X509Certificate2, CertificatePurpose, DateTimeOffset, IEnumerable{X509Certificate2}?)"/>, but
    /// with the CRLs judged for staleness at <paramref name="revocationTime"/> rather than at the time of use. A
    /// signature verifier checks validity at the (claimed) signing time and revocation as of now: a CRL lists a
    /// revoked serial whatever its revocation date, so only the CRL's freshness depends on the time.
    /// </summary>
    public CertificateCheckResult Check(X509Certificate2 certificate, CertificatePurpose purpose, DateTimeOffset timeOfUse,
        DateTimeOffset revocationTime, IEnumerable<X509Certificate2>? extraCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        try
        {
            return CheckCore(certificate, purpose, timeOfUse, revocationTime, extraCertificates?.ToList() ?? [], _trustStore());
        }
        catch (Exception e) when (e is CryptographicException or System.Formats.Asn1.AsnContentException or FormatException or ArgumentException)
        {
            return Malformed(purpose, timeOfUse, $"the certificate cannot be read ({e.GetType().Name}: {e.Message})");
        }
    }

    private CertificateCheckResult CheckCore(X509Certificate2 leaf, CertificatePurpose purpose, DateTimeOffset time,
        DateTimeOffset revocationTime, List<X509Certificate2> extras, TrustStore store)
    {
        var problems = new Problems();
        _ = leaf.RawDataMemory.Length; // throws for an empty/disposed certificate
        var subject = CertificateSubject.Read(leaf.SubjectName, out var subjectProblems);
        var thumbprint = TrustStore.Sha256(leaf);

        // 1. The chain, to our anchors only: built once per snapshot, leaf and candidates (TrustStore.TryGetChain).
        var chainKey = ChainKey(thumbprint, extras);
        List<X509Certificate2>? elements;
        if (store.TryGetChain(chainKey, out var issuers))
        {
            elements = [leaf, .. issuers];
        }
        else
        {
            elements = BuildChain(leaf, time, extras, store, problems);
            // A chain that built belongs to the snapshot's cache from now on (one that did not was disposed already).
            if (elements is not null) store.KeepChain(chainKey, [.. elements.Skip(1)]);
        }
        var trusted = elements is not null;
        var path = elements ?? [leaf];
        // 2. Validity in time of every certificate in the chain (of the leaf alone when there is no trusted chain).
        foreach (var cert in path)
        {
            var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime());
            var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime());
            if (time < notBefore) problems.Add(EdsProblemCodes.NotYetValid, $"{Who(cert, leaf)} is valid from {notBefore:u}");
            if (time > notAfter) problems.Add(EdsProblemCodes.Expired, $"{Who(cert, leaf)} expired at {notAfter:u}");
        }

        // 3. Revocation of every certificate but the anchor, against its issuer's verified CRL.
        if (trusted) CheckRevocation(path, leaf, revocationTime, store, problems);

        // 4. Key usage for the purpose.
        CheckKeyUsage(leaf, purpose, problems);

        // 5. Who it names.
        foreach (var p in subjectProblems) problems.Add(p.Code, p.Detail);

        // 6. Algorithms: the leaf's key, the CA keys and every signature in the chain.
        if (EdsAlgorithms.CheckEndEntityKey(leaf) is { } leafKey) problems.Add(EdsProblemCodes.UnsupportedAlgorithm, $"the certificate has an {leafKey}");
        for (var i = 0; i < path.Count; i++)
        {
            var cert = path[i];
            if (i > 0 && EdsAlgorithms.CheckCaKey(cert) is { } caKey)
                problems.Add(EdsProblemCodes.UnsupportedAlgorithm, $"{Who(cert, leaf)} has an {caKey}");
            var isAnchor = trusted && i == path.Count - 1;
            if (!isAnchor && EdsAlgorithms.CheckSignatureAlgorithm(cert) is { } sig)
                problems.Add(EdsProblemCodes.UnsupportedAlgorithm, $"{Who(cert, leaf)} is signed with {sig}");
        }

        var list = problems.ToList(_options.StaleCrl);
        return new CertificateCheckResult
        {
            Valid = list.All(p => !p.IsError),
            Subject = subject,
            Problems = list,
            Thumbprint = thumbprint,
            Purpose = purpose,
            TimeOfUse = time,
            SerialNumber = leaf.SerialNumber,
            NotBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime()),
            NotAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime()),
        };
    }

    /// <summary>
    /// The chain from the leaf to an anchor (leaf first), or null with <c>untrusted</c> recorded. Validity in time is
    /// left to the caller so that an expired certificate still gets a chain (and a precise problem list).
    /// </summary>
    private static List<X509Certificate2>? BuildChain(X509Certificate2 leaf, DateTimeOffset time, List<X509Certificate2> extras,
        TrustStore store, Problems problems)
    {
        if (store.Anchors.Count == 0)
        {
            problems.Add(EdsProblemCodes.Untrusted, "the trust store has no trust anchors");
            return null;
        }
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(store.Anchors.ToArray());
        policy.ExtraStore.AddRange(store.Intermediates.ToArray());
        policy.ExtraStore.AddRange(extras.ToArray());
        policy.RevocationMode = X509RevocationMode.NoCheck; // our CRLs, checked below
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = time.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested;

        var built = chain.Build(leaf);
        var elements = new List<X509Certificate2>();
        foreach (var element in chain.ChainElements) elements.Add(element.Certificate);
        string? reason = null;
        var ignored = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (f, s) => f | s.Status) & ~ignored;
        if (!built || flags != X509ChainStatusFlags.NoError)
        {
            reason = $"the chain does not build to a trust anchor ({(flags == X509ChainStatusFlags.NoError ? "no chain" : flags)})";
        }
        else if (elements.Count == 0 || !store.IsAnchor(elements[^1]))
        {
            reason = "the chain ends in a certificate that is not one of the trust anchors";
        }
        else if (elements.Count < 2)
        {
            reason = "the certificate is itself a trust anchor; an EDS certificate must be issued by a CA";
        }
        else
        {
            var extraPrints = extras.Select(TrustStore.Sha256).ToHashSet(StringComparer.Ordinal);
            foreach (var cert in elements.Skip(1))
            {
                if (!store.Holds(cert) && !extraPrints.Contains(TrustStore.Sha256(cert)))
                    reason = $"the chain uses \"{cert.Subject}\", which came from neither the trust store nor the caller";
            }
        }

        if (reason is null)
        {
            elements[0].Dispose();
            elements[0] = leaf;
            return elements;
        }
        foreach (var e in elements) e.Dispose();
        problems.Add(EdsProblemCodes.Untrusted, reason);
        return null;
    }

    private static void CheckRevocation(List<X509Certificate2> path, X509Certificate2 leaf, DateTimeOffset time, TrustStore store, Problems problems)
    {
        for (var i = 0; i < path.Count - 1; i++)
        {
            var cert = path[i];
            var issuer = path[i + 1];
            var crl = store.FindCrl(issuer);
            if (crl is null)
            {
                problems.Add(EdsProblemCodes.CrlMissing, $"no CRL signed by \"{issuer.Subject}\" to check {Who(cert, leaf)}");
                continue;
            }
            if (crl.IsListed(cert, out var revokedAt))
            {
                problems.Add(EdsProblemCodes.Revoked, $"{Who(cert, leaf)} (serial {cert.SerialNumber}) is listed as revoked since {revokedAt:u}");
            }
            if (crl.IsStaleAt(time))
            {
                problems.Add(EdsProblemCodes.CrlStale, $"the CRL of \"{issuer.Subject}\" was due for update at {crl.NextUpdate:u}");
            }
        }
    }

    private static void CheckKeyUsage(X509Certificate2 leaf, CertificatePurpose purpose, Problems problems)
    {
        X509KeyUsageFlags? usage = null;
        HashSet<string>? eku = null;
        foreach (var ext in leaf.Extensions)
        {
            switch (ext)
            {
                case X509KeyUsageExtension ku:
                    usage = ku.KeyUsages;
                    break;
                case X509EnhancedKeyUsageExtension e:
                    eku = e.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? "").ToHashSet(StringComparer.Ordinal);
                    break;
            }
        }

        var (needUsage, needEku, name) = purpose switch
        {
            CertificatePurpose.SignIn => (X509KeyUsageFlags.DigitalSignature, ClientAuthOid, "sign-in"),
            _ => (X509KeyUsageFlags.NonRepudiation, EmailProtectionOid, "signing"),
        };
        if (usage is null) problems.Add(EdsProblemCodes.WrongKeyUsage, "the certificate has no key usage extension");
        else if ((usage.Value & needUsage) != needUsage)
            problems.Add(EdsProblemCodes.WrongKeyUsage, $"key usage {usage} lacks {needUsage}, needed for {name}");
        if (eku is null) problems.Add(EdsProblemCodes.WrongKeyUsage, "the certificate has no extended key usage extension");
        else if (!eku.Contains(needEku))
            problems.Add(EdsProblemCodes.WrongKeyUsage, $"extended key usage lacks {needEku}, needed for {name}");
        if (leaf.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
            problems.Add(EdsProblemCodes.WrongKeyUsage, "a CA certificate cannot sign in or sign documents");
    }

    /// <summary>The leaf and the caller's chain candidates (in any order): what decides which chain builds.</summary>
    private static string ChainKey(string leafThumbprint, List<X509Certificate2> extras) =>
        extras.Count == 0 ? leafThumbprint : leafThumbprint + "|" + string.Join(",", extras.Select(TrustStore.Sha256).Order(StringComparer.Ordinal));

    private static string Who(X509Certificate2 cert, X509Certificate2 leaf) =>
        ReferenceEquals(cert, leaf) ? "the certificate" : $"the CA certificate \"{cert.Subject}\"";

    private static CertificateCheckResult Malformed(CertificatePurpose purpose, DateTimeOffset time, string detail) => new()
    {
        Valid = false,
        Subject = CertificateSubject.Empty,
        Problems = [new EdsProblem(EdsProblemCodes.Malformed, EdsSeverity.Error, detail)],
        Thumbprint = "",
        Purpose = purpose,
        TimeOfUse = time,
    };

    /// <summary>Collects problems one per code (details joined), ordered as <see cref="EdsProblemCodes.All"/>.</summary>
    private sealed class Problems
    {
        private readonly Dictionary<string, List<string>> _byCode = new(StringComparer.Ordinal);

        public void Add(string code, string detail)
        {
            if (!_byCode.TryGetValue(code, out var details)) _byCode[code] = details = [];
            if (!details.Contains(detail)) details.Add(detail);
        }

        public List<EdsProblem> ToList(StaleCrlPolicy stale) => EdsProblemCodes.All
            .Where(_byCode.ContainsKey)
            .Select(code => new EdsProblem(code,
                code == EdsProblemCodes.CrlStale && stale == StaleCrlPolicy.Warn ? EdsSeverity.Warning : EdsSeverity.Error,
                string.Join("; ", _byCode[code])))
            .ToList();
    }
}
