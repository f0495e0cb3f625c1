using System.Text;
using Kiosk.Core.Eds;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Eds;

/// <summary>
/// Holds Central's current <see cref="TrustStore"/>, loaded from <see cref="PkiOptions.TrustDirectory"/> at start and
/// reloaded when the folder changes: a <see cref="FileSystemWatcher"/> with a short debounce, and, as a safety net,
/// a look at the folder's listing on use at most every <see cref="PkiOptions.RecheckInterval"/> (which also picks up a
/// folder created after start). Each reload builds a new immutable snapshot and swaps it in, so a verification in
/// flight keeps the snapshot it started with. Logs counts only: never certificate subjects (a citizen certificate
/// dropped into the folder by mistake would carry an IIN).
/// </summary>
public sealed partial class TrustStoreProvider : IHostedService, IDisposable
{
    private readonly PkiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TrustStoreProvider> _logger;
    private readonly Lock _gate = new();
    private readonly ITimer _debounce;
    private volatile TrustStore _current = TrustStore.Empty;
    private string? _fingerprint;
    private long _lastCheck;
    private bool _loaded;
    private FileSystemWatcher? _watcher;
    private bool _disposed;

    public TrustStoreProvider(IOptions<PkiOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<TrustStoreProvider> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        Directory = string.IsNullOrWhiteSpace(_options.TrustDirectory)
            ? null
            : Path.GetFullPath(_options.TrustDirectory, environment.ContentRootPath);
        _debounce = time.CreateTimer(_ => ReloadFromWatcher(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The full path of the trust folder, or null when <c>Pki:TrustDirectory</c> is not set.</summary>
    public string? Directory { get; }

    public bool Configured => Directory is not null;

    /// <summary>How many times the store has been (re)loaded; for diagnostics and tests.</summary>
    public int LoadCount { get; private set; }

    /// <summary>The current snapshot (after a cheap check of the folder's listing when one is due).</summary>
    public TrustStore Current
    {
        get
        {
            if (Directory is null) return _current;
            var now = _time.GetTimestamp();
            if (!_loaded || _time.GetElapsedTime(Interlocked.Read(ref _lastCheck), now) >= _options.RecheckInterval)
            {
                lock (_gate)
                {
                    if (!_loaded) Load("start");
                    else if (_time.GetElapsedTime(_lastCheck, now) >= _options.RecheckInterval)
                    {
                        Interlocked.Exchange(ref _lastCheck, _time.GetTimestamp());
                        if (Fingerprint(Directory) != _fingerprint) Load("the folder changed (seen on use)");
                    }
                }
            }
            return _current;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Directory is null)
        {
            LogNotConfigured();
            return Task.CompletedTask;
        }
        lock (_gate)
        {
            if (!_loaded) Load("start");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _watcher?.Dispose();
            _watcher = null;
            _disposed = true;
        }
        return Task.CompletedTask;
    }

    private void ReloadFromWatcher()
    {
        lock (_gate)
        {
            if (_disposed || Directory is null) return;
            Load("the folder changed");
        }
    }

    /// <summary>Loads a new snapshot and makes sure the folder is watched. Call under <see cref="_gate"/>.</summary>
    private void Load(string reason)
    {
        var directory = Directory!;
        var fingerprint = Fingerprint(directory);
        var store = TrustStore.LoadFromDirectory(directory, _time);
        _current = store;
        _fingerprint = fingerprint;
        _loaded = true;
        LoadCount++;
        Interlocked.Exchange(ref _lastCheck, _time.GetTimestamp());
        Watch(directory);

        var stale = store.Crls.Count(c => c.IsStaleAt(_time.GetUtcNow()));
        if (store.Anchors.Count == 0)
            LogLoadedWithoutAnchors(directory, reason, store.Intermediates.Count, store.Crls.Count, store.Warnings.Count);
        else
            LogLoaded(directory, reason, store.Anchors.Count, store.Intermediates.Count, store.Crls.Count, stale, store.Warnings.Count);
    }

    private void Watch(string directory)
    {
        if (_disposed) return;
        if (_watcher is not null || !System.IO.Directory.Exists(directory)) return;
        try
        {
            var watcher = new FileSystemWatcher(directory)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
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
            // The look on use still notices changes, only later.
            LogWatchFailed(directory, e.GetType().Name);
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => ScheduleReload();

    private void ScheduleReload()
    {
        try
        {
            _debounce.Change(_options.ReloadDebounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // An event that raced with shutdown.
        }
    }

    private void OnError(object sender, ErrorEventArgs e)
    {
        // The watcher lost events (buffer overflow) or its folder: start over on the next load, and reload now.
        lock (_gate)
        {
            _watcher?.Dispose();
            _watcher = null;
        }
        ScheduleReload();
    }

    /// <summary>Names, sizes and write times of the folder's files: cheap to take, and changes whenever a file does.</summary>
    private static string Fingerprint(string directory)
    {
        try
        {
            if (!System.IO.Directory.Exists(directory)) return "(missing)";
            var s = new StringBuilder();
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
                s.Append(file.Name).Append('|').Append(file.Length).Append('|').Append(file.LastWriteTimeUtc.Ticks).Append('\n');
            return s.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "(unreadable)";
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _watcher?.Dispose();
            _watcher = null;
        }
        _debounce.Dispose();
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

    [LoggerMessage(LogLevel.Warning, "Cannot watch the trust folder {Directory} ({Error}); changes are picked up on use instead")]
    private partial void LogWatchFailed(string directory, string error);
}
