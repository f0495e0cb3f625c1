using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Core.Eds;

/// <summary>
/// An immutable snapshot of what a node trusts: trust anchors (self-signed certificates only), intermediate CAs that
/// themselves chain to an anchor, and CRLs. Load it from the folder named by <c>Pki:TrustDirectory</c> with
/// <see cref="LoadFromDirectory"/>; to pick up changes call <see cref="Reload"/> and swap the reference (the checker
/// takes a <c>Func&lt;TrustStore&gt;</c> for that). Files that cannot be used are skipped and listed in
/// <see cref="Warnings"/> — an unreadable file never makes anything more trusted.
/// </summary>
public sealed class TrustStore
{
    /// <summary>Files larger than this are skipped (a full national CRL is a few MB).</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    private static readonly string[] CertificateExtensions = [".cer", ".crt", ".pem"];

    private readonly HashSet<string> _thumbprints;
    private readonly ILookup<string, RevocationList> _crlsByIssuer;
    private readonly ConcurrentDictionary<(RevocationList Crl, string Issuer), bool> _crlSignatureChecks = new();

    /// <summary>At most this many built chains are kept per snapshot (then the cache starts afresh).</summary>
    public const int MaxCachedChains = 4096;

    // Chains that built to an anchor of this snapshot, by leaf and caller-supplied candidates (ChainCache).
    private readonly ConcurrentDictionary<string, X509Certificate2[]> _chains = new(StringComparer.Ordinal);

    private TrustStore(List<X509Certificate2> anchors, List<X509Certificate2> intermediates, List<RevocationList> crls,
        List<string> warnings, string? sourceDirectory, DateTimeOffset loadedAt)
    {
        Anchors = anchors;
        Intermediates = intermediates;
        Crls = crls;
        Warnings = warnings;
        SourceDirectory = sourceDirectory;
        LoadedAt = loadedAt;
        _thumbprints = anchors.Concat(intermediates).Select(Sha256).ToHashSet(StringComparer.Ordinal);
        _crlsByIssuer = crls.ToLookup(c => Convert.ToHexString(c.Issuer.RawData), StringComparer.Ordinal);
    }

    public static TrustStore Empty { get; } = new([], [], [], [], null, DateTimeOffset.MinValue);

    /// <summary>Self-signed certificates: the only places a chain may end.</summary>
    public IReadOnlyList<X509Certificate2> Anchors { get; }

    /// <summary>CA certificates that chain to an anchor; used as chain-building candidates only.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; }

    public IReadOnlyList<RevocationList> Crls { get; }

    /// <summary>What was skipped while loading, and why (file names, never contents).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public string? SourceDirectory { get; }
    public DateTimeOffset LoadedAt { get; }

    /// <summary>
    /// Reads every <c>*.cer</c>, <c>*.crt</c>, <c>*.pem</c> (certificates; a PEM file may also hold CRLs) and
    /// <c>*.crl</c> file directly in <paramref name="directory"/>, DER or PEM. A missing folder gives an empty store
    /// with a warning, so a node without a trust list refuses every certificate rather than failing to start.
    /// </summary>
    public static TrustStore LoadFromDirectory(string directory, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var certificates = new List<X509Certificate2>();
        var crls = new List<RevocationList>();
        var warnings = new List<string>();
        if (!Directory.Exists(directory))
        {
            warnings.Add($"trust directory {directory} does not exist");
            return new TrustStore([], [], [], warnings, directory, now);
        }

        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var ext = Path.GetExtension(path).ToLowerInvariant();
            var isCrl = ext == ".crl";
            if (!isCrl && !CertificateExtensions.Contains(ext)) continue;
            byte[] data;
            try
            {
                var info = new FileInfo(path);
                if (info.Length > MaxFileBytes)
                {
                    warnings.Add($"{name}: larger than {MaxFileBytes} bytes, skipped");
                    continue;
                }
                data = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{name}: cannot be read ({e.GetType().Name})");
                continue;
            }
            ReadFile(name, data, isCrl, certificates, crls, warnings);
        }
        return Create(certificates, crls, warnings, directory, now);
    }

    /// <summary>A fresh snapshot from the same folder (the caller swaps it in).</summary>
    public TrustStore Reload(TimeProvider? time = null) =>
        SourceDirectory is null
            ? throw new InvalidOperationException("This trust store was not loaded from a directory.")
            : LoadFromDirectory(SourceDirectory, time);

    /// <summary>Builds a store from certificates and CRLs in memory, classifying them as <see cref="LoadFromDirectory"/> does.</summary>
    public static TrustStore Create(IEnumerable<X509Certificate2> certificates, IEnumerable<RevocationList> crls) =>
        Create(certificates.ToList(), crls.ToList(), [], null, TimeProvider.System.GetUtcNow());

    private static void ReadFile(string name, byte[] data, bool isCrl, List<X509Certificate2> certificates,
        List<RevocationList> crls, List<string> warnings)
    {
        if (PemText.LooksLikePem(data))
        {
            var found = 0;
            foreach (var der in PemText.Blocks(data, "CERTIFICATE"))
            {
                found++;
                AddCertificate(name, der, certificates, warnings);
            }
            foreach (var der in PemText.Blocks(data, "X509 CRL"))
            {
                found++;
                AddCrl(name, der, crls, warnings);
            }
            if (found == 0) warnings.Add($"{name}: no CERTIFICATE or X509 CRL block");
        }
        else if (isCrl)
        {
            AddCrl(name, data, crls, warnings);
        }
        else
        {
            AddCertificate(name, data, certificates, warnings);
        }
    }

    private static void AddCertificate(string name, byte[] der, List<X509Certificate2> certificates, List<string> warnings)
    {
        try
        {
            certificates.Add(X509CertificateLoader.LoadCertificate(der));
        }
        catch (CryptographicException)
        {
            warnings.Add($"{name}: not a certificate");
        }
    }

    private static void AddCrl(string name, byte[] der, List<RevocationList> crls, List<string> warnings)
    {
        if (RevocationList.TryParse(der, out var crl, out var error))
        {
            crls.Add(crl);
            if (!crl.IsUsable) warnings.Add($"{name}: {crl.UnusableReason}; the CRL will not be used");
        }
        else
        {
            warnings.Add($"{name}: not a usable CRL ({error})");
        }
    }

    private static TrustStore Create(List<X509Certificate2> certificates, List<RevocationList> crls, List<string> warnings,
        string? directory, DateTimeOffset now)
    {
        var unique = certificates.DistinctBy(Sha256).ToList();
        var anchors = new List<X509Certificate2>();
        var candidates = new List<X509Certificate2>();
        foreach (var cert in unique)
        {
            if (EdsAlgorithms.IsSelfSigned(cert))
            {
                anchors.Add(cert);
            }
            else if (cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData))
            {
                warnings.Add($"{Describe(cert)}: names itself as issuer but its self-signature does not verify (or its key is not acceptable); not a trust anchor");
            }
            else if (IsCa(cert))
            {
                candidates.Add(cert);
            }
            else
            {
                // Not by subject: an end-entity certificate (a citizen's, dropped here by mistake) names a person.
                warnings.Add($"certificate with SHA-256 {Sha256(cert)} (serial {cert.SerialNumber}): not a CA certificate; ignored");
            }
        }

        var intermediates = new List<X509Certificate2>();
        foreach (var cert in candidates)
        {
            if (ChainsToAnchor(cert, anchors, candidates)) intermediates.Add(cert);
            else warnings.Add($"{Describe(cert)}: does not chain to a trust anchor; ignored");
        }
        return new TrustStore(anchors, intermediates, crls, warnings, directory, now);
    }

    private static bool IsCa(X509Certificate2 cert) =>
        cert.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    private static bool ChainsToAnchor(X509Certificate2 cert, List<X509Certificate2> anchors, List<X509Certificate2> candidates)
    {
        if (anchors.Count == 0) return false;
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(anchors.ToArray());
        policy.ExtraStore.AddRange(candidates.ToArray());
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        // Validity in time is checked at the time of use, not at load time.
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested;
        try
        {
            if (!chain.Build(cert)) return false;
            var root = chain.ChainElements[^1].Certificate;
            return anchors.Any(a => a.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span));
        }
        finally
        {
            foreach (var element in chain.ChainElements) element.Certificate.Dispose();
        }
    }

    internal bool Holds(X509Certificate2 cert) => _thumbprints.Contains(Sha256(cert));

    internal bool IsAnchor(X509Certificate2 cert) =>
        Anchors.Any(a => a.RawDataMemory.Span.SequenceEqual(cert.RawDataMemory.Span));

    /// <summary>
    /// The newest usable CRL that <paramref name="issuer"/> signed, or null. CRLs are looked up by the issuer's name
    /// and then believed only when their signature verifies with the issuer's key: a CRL from a look-alike CA with the
    /// same name, or one whose bytes were changed, is as good as none.
    /// </summary>
    public RevocationList? FindCrl(X509Certificate2 issuer)
    {
        RevocationList? best = null;
        var issuerKey = Sha256(issuer);
        foreach (var crl in _crlsByIssuer[Convert.ToHexString(issuer.SubjectName.RawData)])
        {
            if (!crl.IsUsable) continue;
            if (!_crlSignatureChecks.GetOrAdd((crl, issuerKey), k => k.Crl.IsSignedBy(issuer))) continue;
            if (best is null || crl.ThisUpdate > best.ThisUpdate) best = crl;
        }
        return best;
    }

    internal static string Sha256(X509Certificate2 cert) => cert.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>
    /// The issuers (leaf excluded, anchor last) of a chain this snapshot built before for <paramref name="key"/>. Only
    /// the chain is cached, never a verdict: validity in time, revocation against this snapshot's CRLs, usages and
    /// algorithms are checked on every call, and a reloaded trust folder is a new snapshot with an empty cache, so a
    /// CRL or a removed anchor that arrives late takes effect at once.
    /// </summary>
    internal bool TryGetChain(string key, out X509Certificate2[] issuers) => _chains.TryGetValue(key, out issuers!);

    /// <summary>Keeps a chain that built to one of this snapshot's anchors; the cache owns the certificates from now on.</summary>
    internal void KeepChain(string key, X509Certificate2[] issuers)
    {
        if (_chains.Count >= MaxCachedChains) _chains.Clear(); // bounded; the certificates are left to the GC
        _chains[key] = issuers;
    }

    /// <summary>How many chains are cached (for tests and diagnostics).</summary>
    public int CachedChains => _chains.Count;

    private static string Describe(X509Certificate2 cert) => $"certificate \"{cert.Subject}\" (serial {cert.SerialNumber})";
}
