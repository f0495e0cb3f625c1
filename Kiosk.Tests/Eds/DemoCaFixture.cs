using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;

namespace Kiosk.Tests.Eds;

/// <summary>One demo CA per test run, in a temp folder, shared by every EDS test class in the collection.</summary>
public sealed class DemoCaFixture : IDisposable
{
    public DemoCaFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "kiosk-eds-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Ca = DemoCa.Generate(new DemoCaOptions { OutputDirectory = Path.Combine(Directory, "demo-ca") });
        Trust = TrustStore.LoadFromDirectory(Ca.TrustDirectory);
        Now = Ca.Manifest.GeneratedAt;
    }

    public string Directory { get; }
    public DemoCaResult Ca { get; }
    public TrustStore Trust { get; }
    public DateTimeOffset Now { get; }
    public DemoCaManifest Manifest => Ca.Manifest;

    public CertificateChecker Checker(StaleCrlPolicy stale = StaleCrlPolicy.Reject) =>
        new(Trust, new CertificateCheckerOptions { StaleCrl = stale });

    public DemoCaEntry One(string @case, string keyType = "AUTH") =>
        Manifest.Files.First(f => f.Case == @case && f.KeyType == keyType);

    public EdsKey Open(DemoCaEntry entry)
    {
        var result = Pkcs12KeyFile.Open(File.ReadAllBytes(Ca.PathOf(entry)), Ca.Password);
        Assert.True(result.Success, $"{entry.File}: {result.Error}");
        return result.Key!;
    }

    /// <summary>Opens the file and checks it the way the kiosk will: its other certificates as chain candidates.</summary>
    public CertificateCheckResult Check(DemoCaEntry entry, CertificatePurpose purpose, DateTimeOffset? at = null, CertificateChecker? checker = null)
    {
        using var key = Open(entry);
        return (checker ?? Checker()).Check(key.Certificate, purpose, at ?? Now, key.ExtraCertificates);
    }

    public string NewTempDirectory(string name)
    {
        var path = Path.Combine(Directory, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        Ca.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCaCollection : ICollectionFixture<DemoCaFixture>
{
    public const string Name = "EDS demo CA";
}
