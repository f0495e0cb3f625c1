using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kiosk.Core.Identity;

namespace Kiosk.Core.Eds.Demo;

public sealed class DemoCaOptions
{
    /// <summary>The folder to write; created when missing. It must be empty unless it holds an earlier demo CA and <see cref="Overwrite"/> is set.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The password of every .p12 file; null makes a random one (printed by the command, kept in the manifest).</summary>
    public string? Password { get; init; }

    /// <summary>The citizens to issue AUTH and signing keys to (at least one); null means <see cref="DemoCa.SyntheticCitizens"/>.</summary>
    public IReadOnlyList<DemoPerson>? Citizens { get; init; }

    /// <summary>The clinic employee (registrar); null means a synthetic one.</summary>
    public DemoPerson? Registrar { get; init; }

    public string ClinicName { get; init; } = DemoCa.DefaultClinicName;

    /// <summary>The clinic's BIN; null means a synthetic valid one.</summary>
    public Bin? ClinicBin { get; init; }

    /// <summary>How long the CRLs stay fresh (their nextUpdate). After that a node reports <c>crl-stale</c>.</summary>
    public TimeSpan CrlValidity { get; init; } = TimeSpan.FromDays(30);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Replace an earlier demo CA in <see cref="OutputDirectory"/> (recognised by its manifest.json).</summary>
    public bool Overwrite { get; init; }
}

/// <summary>Which demo CA signs a CRL re-issued with <see cref="DemoCaResult.IssueCrl"/>.</summary>
public enum DemoCrlIssuer { Root, Issuing, LookalikeIssuing }

/// <summary>
/// What <see cref="DemoCa.Generate"/> wrote, plus the CA keys in memory (never on disk) so tests can issue more CRLs.
/// Dispose it to drop the keys.
/// </summary>
public sealed class DemoCaResult : IDisposable
{
    private readonly Dictionary<DemoCrlIssuer, DemoCa.Authority> _authorities;

    internal DemoCaResult(string outputDirectory, DemoCaManifest manifest, Dictionary<DemoCrlIssuer, DemoCa.Authority> authorities)
    {
        OutputDirectory = outputDirectory;
        Manifest = manifest;
        _authorities = authorities;
    }

    public string OutputDirectory { get; }
    public string TrustDirectory => Path.Combine(OutputDirectory, Manifest.TrustDirectory);
    public string ManifestPath => Path.Combine(OutputDirectory, DemoCaManifest.FileName);
    public DemoCaManifest Manifest { get; }
    public string Password => Manifest.Password;

    public string PathOf(DemoCaEntry entry) => Path.Combine(OutputDirectory, entry.File);

    /// <summary>The CA's certificate (public part only).</summary>
    public X509Certificate2 CertificateOf(DemoCrlIssuer issuer) => _authorities[issuer].Certificate;

    /// <summary>A new CRL from one of the demo CAs with the given dates, listing what its regular CRL lists (or nothing).</summary>
    public byte[] IssueCrl(DemoCrlIssuer issuer, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, bool listRevoked = true) =>
        _authorities[issuer].BuildCrl(thisUpdate, nextUpdate, listRevoked);

    /// <summary>Signs an arbitrary request with one of the demo CAs (tests use it for odd certificates).</summary>
    internal X509Certificate2 Issue(DemoCrlIssuer issuer, CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter,
        X509SignatureGenerator? generator = null)
    {
        var ca = _authorities[issuer];
        return request.Create(ca.Name, generator ?? ca.Generator, notBefore, notAfter, DemoCa.NewSerial());
    }

    internal RSA KeyOf(DemoCrlIssuer issuer) => _authorities[issuer].Key;

    public void Dispose()
    {
        foreach (var a in _authorities.Values) a.Dispose();
    }
}

/// <summary>
/// A national-CA-like hierarchy for demos and tests (issue 3, DESIGN §4): a root CA, an issuing CA, a CRL for each,
/// AUTH and signing PKCS#12 files for citizens and a clinic registrar, and the hostile set. Everything it writes is
/// described in README.txt and manifest.json in the output folder. Never use it for anything real.
/// <para>
/// Key sizes: the root is RSA-3072 (128-bit strength, matching SHA-256 and P-256; RSA-4096 generation takes seconds
/// and varies wildly on a 2-core machine, and a demo root lives only as long as the demo). The issuing CAs and the
/// leaves are RSA-2048, the national CA's size for citizens. Keys are generated in parallel; the whole run takes a
/// few seconds.
/// </para>
/// </summary>
public static class DemoCa
{
    public const string DefaultClinicName = "Городская поликлиника № 1 (демо)";
    public const string TrustFolder = "trust";

    /// <summary>Role OIDs in the extended key usage (DESIGN §4).</summary>
    public const string RoleIndividual = EdsRoles.Individual;
    public const string RoleLegalEntity = EdsRoles.LegalEntity;
    public const string RoleLegalEntityEmployee = EdsRoles.LegalEntityEmployee;

    /// <summary>Certificate policies for individuals (DESIGN §4).</summary>
    public const string PolicyIndividualAuth = "1.2.398.3.3.2.4";
    public const string PolicyIndividualSign = "1.2.398.3.3.2.3";

    /// <summary>
    /// Certificate policies written into the registrar's (legal-entity employee's) certificates. DESIGN §4 names only
    /// the individuals' policies; these two follow the same numbering and are an assumption to confirm against the
    /// national CA's policy. The checker never reads certificate policies.
    /// </summary>
    public const string PolicyLegalEntityAuth = "1.2.398.3.3.2.2";
    public const string PolicyLegalEntitySign = "1.2.398.3.3.2.1";

    private const string CrlBase = "http://demo-ca.invalid/crl/";
    private static readonly char[] PasswordAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".ToCharArray();

    /// <summary>Four synthetic citizens with valid IINs (Iin.Create): the default when no registry list is given.</summary>
    public static IReadOnlyList<DemoPerson> SyntheticCitizens() =>
    [
        new(Iin.Create(new DateOnly(1985, 3, 14), Sex.Male, 1201), "ЖҰМАБЕКОВ", "АСХАТ", "СЕРІКҰЛЫ"),
        new(Iin.Create(new DateOnly(1990, 7, 2), Sex.Female, 2302), "ӘБДІРАХМАНОВА", "ГҮЛНАР", "ЕРЛАНҚЫЗЫ"),
        new(Iin.Create(new DateOnly(1958, 11, 23), Sex.Male, 3403), "ИВАНОВ", "СЕРГЕЙ", "ПЕТРОВИЧ"),
        new(Iin.Create(new DateOnly(2001, 1, 30), Sex.Female, 4504), "ТӨЛЕГЕНОВА", "АЙГЕРІМ", "ҚАЙРАТҚЫЗЫ"),
    ];

    public static DemoPerson SyntheticRegistrar() =>
        new(Iin.Create(new DateOnly(1979, 5, 5), Sex.Female, 5605), "СЕЙІТОВА", "ДИНАРА", "МАРАТҚЫЗЫ");

    /// <summary>A valid BIN of some other organisation than <paramref name="clinicBin"/>.</summary>
    public static Bin OtherBin(Bin clinicBin)
    {
        for (var serial = 54321; ; serial++)
        {
            var first11 = $"110140{serial % 100_000:D5}";
            if (CheckDigit.Compute(first11) is { } d && first11 + d != clinicBin.Value) return Bin.Parse(first11 + d);
        }
    }

    /// <summary>A valid BIN (registered Jan 2010, resident legal entity) for the demo clinic.</summary>
    public static Bin SyntheticClinicBin()
    {
        for (var serial = 12345; ; serial++)
        {
            var first11 = $"100140{serial % 100_000:D5}";
            if (CheckDigit.Compute(first11) is { } d) return Bin.Parse(first11 + d);
        }
    }

    public static string RandomPassword(int length = 12) => new(RandomNumberGenerator.GetItems<char>(PasswordAlphabet, length));

    /// <summary>Writes the whole demo CA into <see cref="DemoCaOptions.OutputDirectory"/>.</summary>
    public static DemoCaResult Generate(DemoCaOptions options)
    {
        var citizens = options.Citizens ?? SyntheticCitizens();
        if (citizens.Count == 0) throw new ArgumentException("At least one citizen is needed.", nameof(options));
        var output = Path.GetFullPath(options.OutputDirectory);
        PrepareOutput(output, options.Overwrite);

        var now = DateTimeOffset.FromUnixTimeSeconds(options.Time.GetUtcNow().ToUnixTimeSeconds());
        var password = options.Password ?? RandomPassword();
        var plan = Plan(citizens, options.Registrar ?? SyntheticRegistrar(), options.ClinicName, options.ClinicBin ?? SyntheticClinicBin());

        // Keys first, in parallel: 2 RSA-3072 roots, 3 RSA-2048 CAs, one key per leaf.
        var rsa2048Count = 3 + plan.Count(p => p.Algorithm == LeafAlgorithm.Rsa2048);
        var keys = GenerateKeys(rsa2048Count);
        var next2048 = 0;
        RSA Take2048() => keys.Rsa2048[next2048++];

        var authorities = new Dictionary<DemoCrlIssuer, Authority>();
        var entries = new List<DemoCaEntry>();
        var authorityInfos = new List<DemoCaAuthorityInfo>();
        var crlNext = now + options.CrlValidity;
        try
        {
            // The trusted hierarchy.
            var rootName = CaName("ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (DEMO ROOT RSA)");
            var issuingName = CaName("ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (DEMO RSA)");
            var root = Authority.CreateRoot(rootName, keys.Roots[0], now.AddYears(-5), now.AddYears(20), CrlBase + "root-ca.crl");
            authorities[DemoCrlIssuer.Root] = root;
            var issuing = Authority.CreateSubordinate(issuingName, Take2048(), root, now.AddYears(-5), now.AddYears(10), CrlBase + "issuing-ca.crl");
            authorities[DemoCrlIssuer.Issuing] = issuing;

            // A second sub-CA, revoked in the root's CRL (its certificate travels only inside its citizen's .p12).
            var revokedSub = Authority.CreateSubordinate(CaName("ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (DEMO REVOKED SUB-CA)"), Take2048(), root,
                now.AddYears(-1), now.AddYears(5), CrlBase + "revoked-sub-ca.crl");
            root.Revoke(revokedSub.Certificate, now.AddHours(-2), X509RevocationReason.CACompromise);

            // The look-alike: byte-identical names, other keys.
            var fakeRoot = Authority.CreateRoot(rootName, keys.Roots[1], now.AddYears(-5), now.AddYears(20), CrlBase + "root-ca.crl");
            var fakeIssuing = Authority.CreateSubordinate(issuingName, Take2048(), fakeRoot, now.AddYears(-5), now.AddYears(10), CrlBase + "issuing-ca.crl");
            authorities[DemoCrlIssuer.LookalikeIssuing] = fakeIssuing;

            foreach (var leaf in plan)
            {
                var ca = leaf.Issuer switch
                {
                    IssuerChoice.Issuing => issuing,
                    IssuerChoice.RevokedSubCa => revokedSub,
                    _ => fakeIssuing,
                };
                var chainExtras = leaf.Issuer switch
                {
                    IssuerChoice.Issuing => new[] { issuing.Certificate },
                    IssuerChoice.RevokedSubCa => [revokedSub.Certificate],
                    _ => [fakeIssuing.Certificate, fakeRoot.Certificate],
                };
                AsymmetricAlgorithm key = leaf.Algorithm switch
                {
                    LeafAlgorithm.Rsa2048 => Take2048(),
                    LeafAlgorithm.Rsa1024 => NewRsa(1024),
                    _ => ECDsa.Create(ECCurve.NamedCurves.nistP256),
                };
                var (notBefore, notAfter) = leaf.Validity switch
                {
                    LeafValidity.Expired => (now.AddYears(-2), now.AddDays(-30)),
                    LeafValidity.NotYetValid => (now.AddDays(30), now.AddDays(30 + 365)),
                    _ => (now.AddDays(-1), now.AddDays(365)),
                };
                using var cert = IssueLeaf(leaf, key, ca, notBefore, notAfter);
                if (leaf.Revoke) ca.Revoke(cert, now.AddHours(-2), X509RevocationReason.KeyCompromise);

                var prefix = (leaf.Kind, leaf.Algorithm) switch
                {
                    (LeafKind.Auth, LeafAlgorithm.EcP256) => "AUTH_ECDSA256_",
                    (LeafKind.Sign, LeafAlgorithm.EcP256) => "ECDSA256_",
                    (LeafKind.Auth, _) => "AUTH_RSA256_",
                    _ => "RSA256_",
                };
                var relative = Path.Combine(leaf.Folder, prefix + cert.Thumbprint.ToLowerInvariant() + ".p12");
                var collection = new X509Certificate2Collection(cert);
                collection.AddRange(chainExtras);
                var pfx = collection.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
                Write(output, relative, pfx);
                entries.Add(new DemoCaEntry(
                    relative.Replace('\\', '/'), leaf.Category, leaf.Case, leaf.Holder.FullName, leaf.Holder.Iin, leaf.Holder.Bin,
                    leaf.Holder.Organisation, leaf.Kind == LeafKind.Auth ? "AUTH" : "SIGN", AlgorithmName(leaf.Algorithm),
                    cert.Thumbprint, cert.SerialNumber, notBefore, notAfter,
                    Expected(leaf, CertificatePurpose.SignIn), Expected(leaf, CertificatePurpose.Signing), leaf.Note));
                key.Dispose();
            }

            // CA certificates and CRLs.
            var thisUpdate = now.AddHours(-1);
            var rootCrl = root.BuildCrl(thisUpdate, crlNext, listRevoked: true);
            var issuingCrl = issuing.BuildCrl(thisUpdate, crlNext, listRevoked: true);
            Write(output, Path.Combine(TrustFolder, "root-ca.cer"), root.Certificate.RawData);
            Write(output, Path.Combine(TrustFolder, "issuing-ca.cer"), issuing.Certificate.RawData);
            Write(output, Path.Combine(TrustFolder, "root-ca.crl"), rootCrl);
            Write(output, Path.Combine(TrustFolder, "issuing-ca.crl"), issuingCrl);
            Write(output, Path.Combine("ca", "root-ca.pem"), Pem("CERTIFICATE", root.Certificate.RawData));
            Write(output, Path.Combine("ca", "issuing-ca.pem"), Pem("CERTIFICATE", issuing.Certificate.RawData));
            Write(output, Path.Combine("ca", "chain.pem"), Pem("CERTIFICATE", issuing.Certificate.RawData) + Pem("CERTIFICATE", root.Certificate.RawData));
            Write(output, Path.Combine("ca", "root-ca.crl.pem"), Pem("X509 CRL", rootCrl));
            Write(output, Path.Combine("ca", "issuing-ca.crl.pem"), Pem("X509 CRL", issuingCrl));
            Write(output, Path.Combine("hostile", "revoked-sub-ca", "revoked-sub-ca.cer"), revokedSub.Certificate.RawData);
            Write(output, Path.Combine("hostile", "lookalike-ca", "lookalike-root-ca.cer"), fakeRoot.Certificate.RawData);
            Write(output, Path.Combine("hostile", "lookalike-ca", "lookalike-issuing-ca.cer"), fakeIssuing.Certificate.RawData);
            Write(output, Path.Combine("hostile", "lookalike-ca", "lookalike-issuing-ca.crl"), fakeIssuing.BuildCrl(thisUpdate, crlNext, listRevoked: true));

            authorityInfos.Add(new("root", root.Certificate.Subject, "trust/root-ca.cer", "RSA-3072, sha256WithRSAEncryption", true, "trust/root-ca.crl",
                "self-signed trust anchor; its CRL lists the revoked sub-CA"));
            authorityInfos.Add(new("issuing", issuing.Certificate.Subject, "trust/issuing-ca.cer", "RSA-2048, sha256WithRSAEncryption", true, "trust/issuing-ca.crl",
                "issues every citizen, the registrar and most hostile files; its CRL lists the revoked citizens' keys"));
            authorityInfos.Add(new("revoked-sub-ca", revokedSub.Certificate.Subject, "hostile/revoked-sub-ca/revoked-sub-ca.cer", "RSA-2048", false, null,
                "issued by the root and revoked in the root's CRL; its own CRL is deliberately not published"));
            authorityInfos.Add(new("lookalike-root", fakeRoot.Certificate.Subject, "hostile/lookalike-ca/lookalike-root-ca.cer", "RSA-3072", false, null,
                "NOT trusted: the same subject bytes as the root, another key"));
            authorityInfos.Add(new("lookalike-issuing", fakeIssuing.Certificate.Subject, "hostile/lookalike-ca/lookalike-issuing-ca.cer", "RSA-2048", false,
                "hostile/lookalike-ca/lookalike-issuing-ca.crl", "NOT trusted: the same subject bytes as the issuing CA, another key; its empty CRL must never clear anyone"));

            var manifest = new DemoCaManifest(DemoCaManifest.CurrentFormat, now, password, TrustFolder, crlNext, authorityInfos, entries);
            Write(output, DemoCaManifest.FileName, manifest.ToJson());
            Write(output, "README.txt", Readme(manifest));

            foreach (var k in keys.Rsa2048.Skip(next2048)) k.Dispose();
            revokedSub.Dispose();
            fakeRoot.Dispose();
            return new DemoCaResult(output, manifest, authorities);
        }
        catch
        {
            foreach (var a in authorities.Values) a.Dispose();
            throw;
        }
    }

    // ---- the plan: who gets which file, and what the checker must say about it ----

    internal enum LeafKind { Auth, Sign }
    internal enum LeafAlgorithm { Rsa2048, Rsa1024, EcP256 }
    internal enum LeafValidity { Normal, Expired, NotYetValid }
    internal enum IssuerChoice { Issuing, RevokedSubCa, Lookalike }

    internal sealed record Holder(string? Iin, string Surname, string FirstName, string? Patronymic, string? Organisation = null, string? Bin = null)
    {
        public string FullName => string.Join(' ', new[] { Surname, FirstName, Patronymic }.Where(s => !string.IsNullOrWhiteSpace(s)));
        public static Holder Of(DemoPerson p) => new(p.Iin.Value, p.Surname.ToUpperInvariant(), p.FirstName.ToUpperInvariant(), p.Patronymic?.ToUpperInvariant());
    }

    internal sealed record LeafPlan(string Folder, string Category, string Case, Holder Holder, LeafKind Kind, string[] Problems, string Note)
    {
        public LeafAlgorithm Algorithm { get; init; } = LeafAlgorithm.Rsa2048;
        public LeafValidity Validity { get; init; } = LeafValidity.Normal;
        public IssuerChoice Issuer { get; init; } = IssuerChoice.Issuing;
        public bool Revoke { get; init; }
        public bool WithoutIin { get; init; }
    }

    private static List<LeafPlan> Plan(IReadOnlyList<DemoPerson> citizens, DemoPerson registrar, string clinic, Bin clinicBin)
    {
        var plan = new List<LeafPlan>();

        void Both(string folder, string category, string @case, Holder holder, string[] authProblems, string[] signProblems, string note,
            Func<LeafPlan, LeafPlan>? tweak = null, Func<LeafPlan, LeafPlan>? tweakSign = null)
        {
            tweak ??= p => p;
            plan.Add(tweak(new LeafPlan(folder, category, @case, holder, LeafKind.Auth, authProblems, note)));
            var sign = tweak(new LeafPlan(folder, category, @case, holder, LeafKind.Sign, signProblems, note));
            plan.Add(tweakSign is null ? sign : tweakSign(sign));
        }

        foreach (var person in citizens)
            Both("citizens", "citizen", "valid", Holder.Of(person), [], [],
                "an ordinary citizen; the AUTH file used for signing, or the signing file used for sign-in, is refused with wrong-key-usage");

        var reg = Holder.Of(registrar) with { Organisation = clinic, Bin = clinicBin.Value };
        Both("registrar", "registrar", "registrar", reg, [], [],
            "a legal-entity employee (registrar): O = the clinic, OU = BIN; roles 1.2.398.3.3.4.1.2 and 1.2.398.3.3.4.1.2.5");
        // Issue 12: the same registrar's other signing keys, valid certificates that Central must still refuse at the
        // desk — their own personal key (not an employee's), and an employee key of another organisation.
        plan.Add(new LeafPlan("registrar/personal", "registrar", "registrar-personal", Holder.Of(registrar), LeafKind.Sign, [],
            "the registrar's personal signing key (an individual's certificate, no OU=BIN): a valid signature, but Central refuses a desk request it signs (staff-not-employee)"));
        var otherBin = OtherBin(clinicBin);
        plan.Add(new LeafPlan("registrar/other-organisation", "registrar", "registrar-other-bin",
            Holder.Of(registrar) with { Organisation = "Другая организация (демо)", Bin = otherBin.Value }, LeafKind.Sign, [],
            $"the registrar's employee signing key of another organisation (OU=BIN{otherBin.Value}): Central refuses a desk request it signs (staff-wrong-bin)"));

        Both("ecdsa", "citizen", "ecdsa-p256", Synthetic(1993, 4, 8, Sex.Female, 6706, "ЕСЕНОВА", "МАДИНА", "БОЛАТҚЫЗЫ"), [], [],
            "an ECDSA P-256 citizen: valid (the supported non-RSA algorithm)", p => p with { Algorithm = LeafAlgorithm.EcP256 });

        // The hostile files are AUTH files: each must be refused at sign-in, before a kiosk ever asks for a signing
        // key. The one signing-time case is a person whose AUTH key is fine and whose signing key is revoked.
        plan.Add(new LeafPlan("hostile/expired", "hostile", "expired", Synthetic(1962, 9, 17, Sex.Male, 7807, "ОМАРОВ", "ДӘУЛЕТ", "ЖАНҰЛЫ"),
            LeafKind.Auth, [EdsProblemCodes.Expired], "expired 30 days before generation") { Validity = LeafValidity.Expired });

        plan.Add(new LeafPlan("hostile/not-yet-valid", "hostile", "not-yet-valid", Synthetic(1975, 12, 1, Sex.Female, 8908, "КИМ", "ЕЛЕНА", "ВИКТОРОВНА"),
            LeafKind.Auth, [EdsProblemCodes.NotYetValid], "valid only from 30 days after generation") { Validity = LeafValidity.NotYetValid });

        plan.Add(new LeafPlan("hostile/revoked", "hostile", "revoked", Synthetic(1988, 2, 29, Sex.Male, 1009, "НҰРЛАНОВ", "БАУЫРЖАН", "ЕРЖАНҰЛЫ"),
            LeafKind.Auth, [EdsProblemCodes.Revoked], "revoked (key compromise) and listed in trust/issuing-ca.crl") { Revoke = true });

        Both("hostile/revoked-signing-key", "hostile", "revoked-signing-key", Synthetic(1969, 6, 21, Sex.Female, 2110, "ПЕТРОВА", "ОЛЬГА", "ИВАНОВНА"),
            [], [EdsProblemCodes.Revoked], "the AUTH key is valid (so the citizen can sign in), the signing key is revoked and listed in trust/issuing-ca.crl",
            tweakSign: p => p with { Revoke = true });

        plan.Add(new LeafPlan("hostile/lookalike-ca", "hostile", "lookalike-ca", Synthetic(1980, 10, 10, Sex.Male, 3211, "СМАҒҰЛОВ", "ЕРБОЛ", "НҰРЛАНҰЛЫ"),
            LeafKind.Auth, [EdsProblemCodes.Untrusted],
            "issued by a CA whose subject names are byte-identical to the trusted issuing CA and root, with other keys; the look-alike chain is inside the .p12")
        { Issuer = IssuerChoice.Lookalike });

        var goodIin = Iin.Create(new DateOnly(1995, 8, 15), Sex.Male, 4312).Value;
        var badIin = goodIin[..11] + (char)('0' + (goodIin[11] - '0' + 1) % 10);
        plan.Add(new LeafPlan("hostile/bad-iin", "hostile", "bad-iin-check-digit", new Holder(badIin, "ТАЛҒАТОВ", "НҰРСҰЛТАН", "АСҚАРҰЛЫ"), LeafKind.Auth,
            [EdsProblemCodes.BadIin], $"SERIALNUMBER=IIN{badIin}: the 12th digit is not the check digit (IIN{goodIin} would be right)"));

        plan.Add(new LeafPlan("hostile/no-iin", "hostile", "no-iin", new Holder(null, "БЕЗИИНОВ", "МАРАТ", "САМАТОВИЧ"), LeafKind.Auth,
            [EdsProblemCodes.NoIin], "no SERIALNUMBER attribute at all"));

        plan.Add(new LeafPlan("hostile/rsa-1024", "hostile", "rsa-1024", Synthetic(1970, 1, 5, Sex.Male, 5413, "ӘЛІБЕКОВ", "САМАТ", "ҚАНАТҰЛЫ"), LeafKind.Auth,
            [EdsProblemCodes.UnsupportedAlgorithm], "an RSA-1024 key (below the 2048-bit minimum)") { Algorithm = LeafAlgorithm.Rsa1024 });

        plan.Add(new LeafPlan("hostile/revoked-sub-ca", "hostile", "revoked-sub-ca", Synthetic(1999, 3, 3, Sex.Female, 6514, "ҚАСЫМОВА", "ЖАНАР", "ТАЛҒАТҚЫЗЫ"), LeafKind.Auth,
            [EdsProblemCodes.Revoked, EdsProblemCodes.CrlMissing],
            "issued by a sub-CA that the root's CRL revokes (revoked); that sub-CA publishes no CRL (crl-missing)")
        { Issuer = IssuerChoice.RevokedSubCa });

        return plan;
    }

    private static Holder Synthetic(int year, int month, int day, Sex sex, int serial, string surname, string firstName, string patronymic) =>
        new(Iin.Create(new DateOnly(year, month, day), sex, serial).Value, surname, firstName, patronymic);

    /// <summary>The leaf's own problems, plus wrong-key-usage when the file is used for the other purpose.</summary>
    private static string[] Expected(LeafPlan leaf, CertificatePurpose purpose)
    {
        var intended = leaf.Kind == LeafKind.Auth ? CertificatePurpose.SignIn : CertificatePurpose.Signing;
        var codes = new HashSet<string>(leaf.Problems);
        if (purpose != intended) codes.Add(EdsProblemCodes.WrongKeyUsage);
        return EdsProblemCodes.All.Where(codes.Contains).ToArray();
    }

    private static string AlgorithmName(LeafAlgorithm a) => a switch
    {
        LeafAlgorithm.Rsa2048 => "RSA-2048",
        LeafAlgorithm.Rsa1024 => "RSA-1024",
        _ => "ECDSA P-256",
    };

    // ---- certificates ----

    private static X500DistinguishedName CaName(string commonName)
    {
        var b = new X500DistinguishedNameBuilder();
        b.AddCommonName(commonName);
        b.AddOrganizationName("Kiosk demo CA — NOT FOR REAL USE");
        b.AddCountryOrRegion("KZ");
        return b.Build();
    }

    /// <summary>The national CA's subject layout: CN, SURNAME, SERIALNUMBER, C, [O, OU], G.</summary>
    internal static X500DistinguishedName SubjectOf(Holder h)
    {
        var b = new X500DistinguishedNameBuilder();
        b.AddCommonName($"{h.Surname} {h.FirstName}");
        b.Add(CertificateSubject.SurnameOid, h.Surname, UniversalTagNumber.UTF8String);
        if (h.Iin is not null) b.Add(CertificateSubject.SerialNumberOid, CertificateSubject.IinPrefix + h.Iin, UniversalTagNumber.PrintableString);
        b.AddCountryOrRegion("KZ");
        if (h.Organisation is not null) b.AddOrganizationName(h.Organisation);
        if (h.Bin is not null) b.Add(CertificateSubject.OrganisationalUnitOid, CertificateSubject.BinPrefix + h.Bin, UniversalTagNumber.PrintableString);
        if (h.Patronymic is not null) b.Add(CertificateSubject.GivenNameOid, h.Patronymic, UniversalTagNumber.UTF8String);
        return b.Build();
    }

    private static X509Certificate2 IssueLeaf(LeafPlan leaf, AsymmetricAlgorithm key, Authority ca, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var publicKey = key is RSA rsa ? new PublicKey(rsa) : new PublicKey((ECDsa)key);
        var request = new CertificateRequest(SubjectOf(leaf.Holder), publicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var employee = leaf.Holder.Bin is not null;
        var auth = leaf.Kind == LeafKind.Auth;
        var usage = auth
            ? X509KeyUsageFlags.DigitalSignature | (key is RSA ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.KeyAgreement)
            : X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));

        var eku = new OidCollection { new Oid(auth ? CertificateChecker.ClientAuthOid : CertificateChecker.EmailProtectionOid) };
        if (employee)
        {
            eku.Add(new Oid(RoleLegalEntity));
            eku.Add(new Oid(RoleLegalEntityEmployee));
        }
        else
        {
            eku.Add(new Oid(RoleIndividual));
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(eku, critical: false));
        var policy = (employee, auth) switch
        {
            (false, true) => PolicyIndividualAuth,
            (false, false) => PolicyIndividualSign,
            (true, true) => PolicyLegalEntityAuth,
            _ => PolicyLegalEntitySign,
        };
        request.CertificateExtensions.Add(CertificatePolicies(policy));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, critical: false));
        request.CertificateExtensions.Add(ca.AuthorityKeyIdentifier);
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([ca.CrlUrl]));

        using var cert = request.Create(ca.Name, ca.Generator, notBefore, notAfter, NewSerial());
        return key switch
        {
            RSA r => cert.CopyWithPrivateKey(r),
            ECDsa e => cert.CopyWithPrivateKey(e),
            _ => throw new NotSupportedException(),
        };
    }

    /// <summary>
    /// certificatePolicies (RFC 5280 §4.2.1.4), written by hand: SEQUENCE OF PolicyInformation { policyIdentifier }.
    /// No qualifiers: the national CA's CPS URL means nothing for a demo.
    /// </summary>
    internal static X509Extension CertificatePolicies(params string[] policyOids)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var oid in policyOids)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                }
            }
        }
        return new X509Extension("2.5.29.32", writer.Encode(), critical: false);
    }

    internal static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40); // positive, always 16 bytes
        return serial;
    }

    /// <summary>A CA: its name, certificate (public), signing key, and the certificates it has revoked.</summary>
    internal sealed class Authority : IDisposable
    {
        private readonly RSA _key;
        private readonly List<(byte[] Serial, DateTimeOffset At, X509RevocationReason Reason)> _revoked = [];
        private BigInteger _crlNumber;

        private Authority(X500DistinguishedName name, RSA key, X509Certificate2 certificate, string crlUrl)
        {
            Name = name;
            _key = key;
            Certificate = certificate;
            CrlUrl = crlUrl;
            Generator = X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1);
            AuthorityKeyIdentifier = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(certificate, true, false);
        }

        public X500DistinguishedName Name { get; }
        public RSA Key => _key;
        public X509Certificate2 Certificate { get; }
        public string CrlUrl { get; }
        public X509SignatureGenerator Generator { get; }
        public X509AuthorityKeyIdentifierExtension AuthorityKeyIdentifier { get; }

        public static Authority CreateRoot(X500DistinguishedName name, RSA key, DateTimeOffset notBefore, DateTimeOffset notAfter, string crlUrl)
        {
            var request = CaRequest(name, key, pathLength: null);
            using var cert = request.Create(name, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1), notBefore, notAfter, NewSerial());
            return new Authority(name, key, X509CertificateLoader.LoadCertificate(cert.RawData), crlUrl);
        }

        public static Authority CreateSubordinate(X500DistinguishedName name, RSA key, Authority parent, DateTimeOffset notBefore, DateTimeOffset notAfter, string crlUrl)
        {
            var request = CaRequest(name, key, pathLength: 0);
            request.CertificateExtensions.Add(parent.AuthorityKeyIdentifier);
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([parent.CrlUrl]));
            using var cert = request.Create(parent.Name, parent.Generator, notBefore, notAfter, NewSerial());
            return new Authority(name, key, X509CertificateLoader.LoadCertificate(cert.RawData), crlUrl);
        }

        private static CertificateRequest CaRequest(X500DistinguishedName name, RSA key, int? pathLength)
        {
            var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength.HasValue, pathLength ?? 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
            return request;
        }

        public void Revoke(X509Certificate2 cert, DateTimeOffset at, X509RevocationReason reason) =>
            _revoked.Add((cert.SerialNumberBytes.ToArray(), at, reason));

        public byte[] BuildCrl(DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, bool listRevoked)
        {
            var builder = new CertificateRevocationListBuilder();
            if (listRevoked)
                foreach (var (serial, at, reason) in _revoked) builder.AddEntry(serial, at, reason);
            _crlNumber++;
            return builder.Build(Name, Generator, _crlNumber, nextUpdate, HashAlgorithmName.SHA256, AuthorityKeyIdentifier, thisUpdate);
        }

        public void Dispose()
        {
            _key.Dispose();
            Certificate.Dispose();
        }
    }

    // ---- keys ----

    private sealed record Keys(RSA[] Roots, RSA[] Rsa2048);

    private static Keys GenerateKeys(int rsa2048Count)
    {
        var roots = new RSA[2];
        var leaves = new RSA[rsa2048Count];
        // Two roots first (slowest), then the rest; Parallel uses both cores.
        Parallel.For(0, 2 + rsa2048Count, i =>
        {
            if (i < 2) roots[i] = NewRsa(3072);
            else leaves[i - 2] = NewRsa(2048);
        });
        return new Keys(roots, leaves);
    }

    /// <summary>RSA.Create(bits) generates lazily; exporting the public key forces the work to happen here.</summary>
    private static RSA NewRsa(int bits)
    {
        var rsa = RSA.Create(bits);
        _ = rsa.ExportSubjectPublicKeyInfo();
        return rsa;
    }

    // ---- files ----

    private static readonly string[] OwnedEntries = ["trust", "ca", "citizens", "registrar", "ecdsa", "hostile", "README.txt", DemoCaManifest.FileName];

    private static void PrepareOutput(string output, bool overwrite)
    {
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            var isDemo = File.Exists(Path.Combine(output, DemoCaManifest.FileName));
            if (!isDemo || !overwrite)
                throw new IOException(isDemo
                    ? $"{output} already holds a demo CA; pass --force to replace it."
                    : $"{output} is not empty and does not hold a demo CA; choose an empty or new folder.");
            foreach (var name in OwnedEntries)
            {
                var path = Path.Combine(output, name);
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                else if (File.Exists(path)) File.Delete(path);
            }
        }
        Directory.CreateDirectory(output);
    }

    private static void Write(string output, string relative, byte[] bytes)
    {
        var path = Path.Combine(output, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static void Write(string output, string relative, string text) =>
        Write(output, relative, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

    private static string Pem(string label, byte[] der) => new string(PemEncoding.Write(label, der)) + "\n";

    private static string Readme(DemoCaManifest m)
    {
        var s = new StringBuilder();
        s.AppendLine("KIOSK DEMO CERTIFICATION AUTHORITY — FOR DEMONSTRATIONS AND TESTS ONLY");
        s.AppendLine("=====================================================================");
        s.AppendLine();
        s.AppendLine("These keys and certificates are made up. They prove nothing about anyone; never trust them outside a demo.");
        s.AppendLine();
        s.AppendLine($"Generated:               {m.GeneratedAt:u}");
        s.AppendLine($"Password of every .p12:  {m.Password}");
        s.AppendLine($"Trust list:              {m.TrustDirectory}/  (point Pki:TrustDirectory / Pki__TrustDirectory here)");
        s.AppendLine($"                         root-ca.cer, issuing-ca.cer, root-ca.crl, issuing-ca.crl (DER)");
        s.AppendLine($"CRLs fresh until:        {m.CrlNextUpdate:u} — after that nodes report crl-stale; run the tool again.");
        s.AppendLine("PEM copies:              ca/root-ca.pem, ca/issuing-ca.pem, ca/chain.pem, ca/*.crl.pem");
        s.AppendLine("Machine-readable:        manifest.json (the same facts)");
        s.AppendLine();
        s.AppendLine("Check a signature:       openssl cms -verify -binary -inform DER -content request.json -in request.p7s -CAfile ca/root-ca.pem");
        s.AppendLine();
        s.AppendLine("CERTIFICATION AUTHORITIES");
        s.AppendLine("-------------------------");
        foreach (var a in m.Authorities)
        {
            s.AppendLine($"{a.Role}: {a.Subject}");
            s.AppendLine($"    file: {a.Certificate}   {a.Algorithm}   {(a.InTrustList ? "in the trust list" : "NOT in the trust list")}{(a.Crl is null ? "" : $"   CRL: {a.Crl}")}");
            s.AppendLine($"    {a.Note}");
        }
        s.AppendLine();
        s.AppendLine("KEY FILES (expected answer of the certificate checker; \"valid\" = no problem)");
        s.AppendLine("-----------------------------------------------------------------------------");
        foreach (var group in m.Files.GroupBy(f => f.Case))
        {
            s.AppendLine();
            s.AppendLine($"[{group.Key}] {group.First().Note}");
            foreach (var f in group)
            {
                s.AppendLine($"  {f.File}");
                s.AppendLine($"      holder:   {f.Holder}{(f.Iin is null ? ", no IIN" : $", IIN {f.Iin}")}{(f.Bin is null ? "" : $", BIN {f.Bin}, {f.Organisation}")}");
                s.AppendLine($"      key:      {f.KeyType}, {f.Algorithm}, valid {f.NotBefore:yyyy-MM-dd} to {f.NotAfter:yyyy-MM-dd}, password: {m.Password}");
                s.AppendLine($"      sign-in:  {Outcome(f.ExpectedAtSignIn)}");
                s.AppendLine($"      signing:  {Outcome(f.ExpectedAtSigning)}");
            }
        }
        s.AppendLine();
        s.AppendLine("Wrong-way use: every AUTH_* file used to sign, and every signing file (RSA256_*, ECDSA256_*) used to sign in,");
        s.AppendLine("is refused with wrong-key-usage — for example the first citizen's pair above.");
        return s.ToString();
    }

    private static string Outcome(IReadOnlyList<string> codes) => codes.Count == 0 ? "valid" : "refused: " + string.Join(", ", codes);
}
