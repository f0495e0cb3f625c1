using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;

namespace Kiosk.Tests.Web.SignIn;

/// <summary>
/// One demo CA for every sign-in test of the run (HTTP, service and browser tests), generated on first use into a
/// temp folder that is removed when the test process ends. Its password uses only lower-case Latin letters and
/// digits, so a browser test can type it on the on-screen keyboard's English layout.
/// </summary>
public static class SignInDemoCa
{
    public const string Password = "demo2026";

    private static readonly Lazy<DemoCaResult> Instance = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? _root;

    public static DemoCaResult Ca => Instance.Value;

    public static DemoCaManifest Manifest => Ca.Manifest;

    /// <summary>The folder a kiosk is pointed at with <c>--Pki:TrustDirectory</c> (read-only for tests).</summary>
    public static string TrustDirectory => Ca.TrustDirectory;

    /// <summary>The first AUTH (or signing) file of a case: "valid", "expired", "revoked", "lookalike-ca", ...</summary>
    public static DemoCaEntry One(string @case, string keyType = "AUTH", int index = 0) =>
        Manifest.Files.Where(f => f.Case == @case && f.KeyType == keyType).ElementAt(index);

    public static byte[] Bytes(DemoCaEntry entry) => File.ReadAllBytes(Ca.PathOf(entry));

    /// <summary>A copy of the trust folder that a test may change (new CRLs and so on).</summary>
    public static string CopyTrustDirectory()
    {
        var copy = Path.Combine(Root, "trust-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(TrustDirectory))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    /// <summary>A PKCS#12 file holding only the certificate of a valid citizen, no key.</summary>
    public static byte[] CertificateOnlyFile()
    {
        using var opened = Pkcs12KeyFile.Open(Bytes(One("valid")), Password).Key!;
        using var publicOnly = X509CertificateLoader.LoadCertificate(opened.Certificate.RawData);
        return new X509Certificate2Collection(publicOnly).ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, Password);
    }

    /// <summary>A file in the temp folder (for a browser's file input).</summary>
    public static string WriteFile(string name, byte[] bytes)
    {
        var dir = Path.Combine(Root, "files-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Root => Ca is not null && _root is not null ? _root : throw new InvalidOperationException("No demo CA.");

    private static DemoCaResult Create()
    {
        _root = Path.Combine(Path.GetTempPath(), "kiosk-signin-tests-" + Guid.NewGuid().ToString("N")[..12]);
        var ca = DemoCa.Generate(new DemoCaOptions { OutputDirectory = Path.Combine(_root, "demo-ca"), Password = Password });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            ca.Dispose();
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return ca;
    }
}
