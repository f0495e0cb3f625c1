using Kiosk.Core.Eds;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.SignIn;

/// <summary>
/// The node's current <see cref="TrustStore"/>, read from <see cref="PkiOptions.TrustDirectory"/> at start and again
/// whenever the folder changes (a <see cref="FileSystemWatcher"/>, debounced by
/// <see cref="PkiOptions.ReloadDelayMilliseconds"/>), so a new CRL takes effect without a restart. While the folder is
/// missing it is probed every <see cref="PkiOptions.MissingFolderProbeSeconds"/>. Each load is logged with its counts
/// and warnings (file names and CA names only). The checker reads <see cref="Current"/> on every check.
/// </summary>
public sealed class KioskTrust : IDisposable
{
    private readonly PkiOptions _options;
    private readonly ILogger<KioskTrust> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private volatile TrustStore _current = TrustStore.Empty;
    private FileSystemWatcher? _watcher;
    private int _generation;
    private bool _disposed;

    public KioskTrust(IOptions<PkiOptions> options, ILogger<KioskTrust> logger, TimeProvider time)
    {
        _options = options.Value;
        _logger = logger;
        _time = time;
        Directory = string.IsNullOrWhiteSpace(_options.TrustDirectory) ? null : Path.GetFullPath(_options.TrustDirectory);
        _timer = time.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Checker = new CertificateChecker(() => _current,
            new CertificateCheckerOptions { StaleCrl = _options.StaleCrl, Time = time });
        if (Directory is null)
            _logger.LogWarning("Pki:TrustDirectory is not set: EDS certificates cannot be checked and nobody can sign in");
        else
            Reload();
    }

    /// <summary>The configured folder (full path), or null when <c>Pki:TrustDirectory</c> is not set.</summary>
    public string? Directory { get; }

    /// <summary>The trust snapshot in force.</summary>
    public TrustStore Current => _current;

    /// <summary>The checker over <see cref="Current"/>, with the configured stale-CRL policy and the node's clock.</summary>
    public CertificateChecker Checker { get; }

    /// <summary>True when there is at least one trust anchor, so a certificate can be checked at all.</summary>
    public bool CanCheck => _current.Anchors.Count > 0;

    /// <summary>How many times the folder was read (tests wait for it to move).</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Reads the folder now and swaps the snapshot in.</summary>
    public void Reload()
    {
        if (Directory is null) return;
        lock (_gate)
        {
            if (_disposed) return;
            TrustStore store;
            try
            {
                store = TrustStore.LoadFromDirectory(Directory, _time);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The folder vanished or was locked mid-read: keep what we had and try again shortly.
                _logger.LogWarning("Trust folder {TrustDirectory} could not be read ({Error}); keeping the previous trust list",
                    Directory, e.GetType().Name);
                Schedule(TimeSpan.FromSeconds(_options.MissingFolderProbeSeconds));
                return;
            }
            _current = store;
            Interlocked.Increment(ref _generation);
            Log(store);
            Watch();
        }
    }

    private void Log(TrustStore store)
    {
        var now = _time.GetUtcNow();
        var stale = store.Crls.Count(c => c.IsUsable && c.IsStaleAt(now));
        if (store.Anchors.Count == 0)
        {
            _logger.LogWarning(
                "Trust folder {TrustDirectory} gives no trust anchor: EDS certificates cannot be checked and nobody can sign in " +
                "({Intermediates} intermediate CAs, {Crls} CRLs, {Warnings} warnings)",
                Directory, store.Intermediates.Count, store.Crls.Count, store.Warnings.Count);
        }
        else
        {
            _logger.LogInformation(
                "Trust list loaded from {TrustDirectory}: {Anchors} anchors, {Intermediates} intermediate CAs, {Crls} CRLs " +
                "({StaleCrls} past next update, policy {StaleCrlPolicy}), {Warnings} warnings",
                Directory, store.Anchors.Count, store.Intermediates.Count, store.Crls.Count, stale, _options.StaleCrl,
                store.Warnings.Count);
        }
        foreach (var warning in store.Warnings) _logger.LogWarning("Trust folder: {TrustWarning}", warning);
    }

    /// <summary>Watches the folder while it exists; probes for it while it does not.</summary>
    private void Watch()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            if (_watcher is not null) return;
            try
            {
                var watcher = new FileSystemWatcher(Directory!)
                {
                    IncludeSubdirectories = false,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size |
                                   NotifyFilters.CreationTime | NotifyFilters.DirectoryName,
                };
                watcher.Changed += OnChanged;
                watcher.Created += OnChanged;
                watcher.Deleted += OnChanged;
                watcher.Renamed += OnChanged;
                watcher.Error += OnError;
                watcher.EnableRaisingEvents = true;
                _watcher = watcher;
            }
            catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
            {
                _logger.LogWarning("Trust folder {TrustDirectory} cannot be watched ({Error}); probing it every {Seconds} s instead",
                    Directory, e.GetType().Name, _options.MissingFolderProbeSeconds);
                Schedule(TimeSpan.FromSeconds(_options.MissingFolderProbeSeconds));
            }
        }
        else
        {
            StopWatching();
            Schedule(TimeSpan.FromSeconds(_options.MissingFolderProbeSeconds));
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => Schedule(TimeSpan.FromMilliseconds(_options.ReloadDelayMilliseconds));

    private void OnError(object sender, ErrorEventArgs e)
    {
        _logger.LogWarning("Watching trust folder {TrustDirectory} failed ({Error}); reading it again", Directory,
            e.GetException().GetType().Name);
        lock (_gate) StopWatching();
        Schedule(TimeSpan.FromMilliseconds(_options.ReloadDelayMilliseconds));
    }

    /// <summary>(Re)starts the one-shot timer: a burst of changes gives one reload after the last of them.</summary>
    private void Schedule(TimeSpan delay)
    {
        try
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void StopWatching()
    {
        _watcher?.Dispose();
        _watcher = null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            StopWatching();
        }
        _timer.Dispose();
    }
}
