using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;

namespace Kiosk.Web.Infrastructure;

/// <summary>
/// The kiosk's static assets: the repository's <c>wwwroot-assets/</c>, copied beside the app at build and publish,
/// served under <see cref="RequestPath"/>. URLs carry a content hash (<c>?v=</c>) so browsers may cache them for long
/// and still see a new build at once.
/// </summary>
public sealed class KioskAssets
{
    public const string RequestPath = "/assets";

    private readonly ConcurrentDictionary<string, string> _urls = new(StringComparer.Ordinal);

    public KioskAssets(string root)
    {
        if (!Directory.Exists(root))
            throw new InvalidOperationException($"The kiosk's assets folder {root} is missing; build or publish Kiosk.Web to copy wwwroot-assets.");
        Root = root;
        FileProvider = new PhysicalFileProvider(root);
    }

    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");

    public string Root { get; }

    public PhysicalFileProvider FileProvider { get; }

    /// <summary>The URL of an asset, for example <c>Url("css/kiosk.css")</c> → <c>/assets/css/kiosk.css?v=…</c>.</summary>
    public string Url(string relativePath) => _urls.GetOrAdd(relativePath, Versioned);

    private string Versioned(string relativePath)
    {
        var url = $"{RequestPath}/{relativePath.TrimStart('/')}";
        var file = FileProvider.GetFileInfo(relativePath);
        if (!file.Exists || file.IsDirectory) return url;
        using var stream = file.CreateReadStream();
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
        return $"{url}?v={hash}";
    }
}
