using Kiosk.Core.Eds;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Eds;

/// <summary>
/// Central's trust list: the <see cref="TrustFolder"/> of <see cref="PkiOptions.TrustDirectory"/> (relative paths
/// from the content root), loaded at start and reloaded when the folder changes. Logs counts only: never certificate
/// subjects (a citizen certificate dropped into the folder by mistake would carry an IIN).
/// </summary>
public sealed partial class TrustStoreProvider : IHostedService, IDisposable
{
    private readonly ILogger<TrustStoreProvider> _logger;
    private readonly TimeProvider _time;
    private readonly TrustFolder _folder;

    public TrustStoreProvider(IOptions<PkiOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<TrustStoreProvider> logger)
    {
        _logger = logger;
        _time = time;
        var o = options.Value;
        var directory = string.IsNullOrWhiteSpace(o.TrustDirectory) ? null : Path.GetFullPath(o.TrustDirectory, environment.ContentRootPath);
        _folder = new TrustFolder(directory, time, o.ReloadDebounce, o.RecheckInterval, Log);
    }

    /// <summary>The full path of the trust folder, or null when <c>Pki:TrustDirectory</c> is not set.</summary>
    public string? Directory => _folder.Directory;

    public bool Configured => Directory is not null;

    /// <summary>How many times the folder has been read; for diagnostics and tests.</summary>
    public int LoadCount => _folder.Generation;

    /// <summary>The current snapshot (after a cheap look at the folder's listing when one is due).</summary>
    public TrustStore Current => _folder.Current;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Configured) LogNotConfigured();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    private void Log(TrustFolderEvent e)
    {
        switch (e)
        {
            case { Kind: TrustFolderEventKind.Loaded, Store: { } store } when store.Anchors.Count == 0:
                LogLoadedWithoutAnchors(e.Directory, e.Reason, store.Intermediates.Count, store.Crls.Count, store.Warnings.Count);
                break;
            case { Kind: TrustFolderEventKind.Loaded, Store: { } store }:
                LogLoaded(e.Directory, e.Reason, store.Anchors.Count, store.Intermediates.Count, store.Crls.Count,
                    store.Crls.Count(c => c.IsStaleAt(_time.GetUtcNow())), store.Warnings.Count);
                break;
            case { Kind: TrustFolderEventKind.ReadFailed }:
                LogReadFailed(e.Directory, e.Error ?? "?");
                break;
            default:
                LogWatchFailed(e.Directory, e.Error ?? "?");
                break;
        }
    }

    [LoggerMessage(LogLevel.Information,
        "Trust store loaded from {Directory} ({Reason}): {AnchorCount} trust anchors, {IntermediateCount} intermediate CAs, {CrlCount} CRLs ({StaleCrlCount} past next update), {SkippedCount} items skipped")]
    private partial void LogLoaded(string directory, string reason, int anchorCount, int intermediateCount, int crlCount, int staleCrlCount, int skippedCount);

    [LoggerMessage(LogLevel.Warning,
        "Trust store loaded from {Directory} ({Reason}) has no trust anchors ({IntermediateCount} intermediate CAs, {CrlCount} CRLs, {SkippedCount} items skipped): every EDS verification answers untrusted")]
    private partial void LogLoadedWithoutAnchors(string directory, string reason, int intermediateCount, int crlCount, int skippedCount);

    [LoggerMessage(LogLevel.Warning,
        "Pki:TrustDirectory is not set (environment Pki__TrustDirectory): every EDS verification answers untrusted")]
    private partial void LogNotConfigured();

    [LoggerMessage(LogLevel.Warning, "The trust folder {Directory} could not be read ({Error}); keeping the previous trust list")]
    private partial void LogReadFailed(string directory, string error);

    [LoggerMessage(LogLevel.Warning, "Cannot watch the trust folder {Directory} ({Error}); changes are picked up on use instead")]
    private partial void LogWatchFailed(string directory, string error);
}
