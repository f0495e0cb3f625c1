using System.Text;

namespace Kiosk.Core.Eds;

/// <summary>What happened to a <see cref="TrustFolder"/>, for the host to log.</summary>
public enum TrustFolderEventKind
{
    /// <summary>The folder was read; <see cref="TrustFolderEvent.Store"/> is the new snapshot.</summary>
    Loaded,

    /// <summary>The folder could not be read; the previous snapshot stays in force.</summary>
    ReadFailed,

    /// <summary>The folder cannot be watched; changes are still seen on use, only later.</summary>
    WatchFailed,
}

public sealed record TrustFolderEvent(TrustFolderEventKind Kind, string Directory, string Reason, TrustStore? Store = null, string? Error = null);

/// <summary>
/// The trust store of one folder (<c>Pki:TrustDirectory</c> on the kiosk and on Central), kept current without a
/// restart, so a new CRL revokes at once: a <see cref="FileSystemWatcher"/> whose bursts of events give one reload
/// <c>debounce</c> after the last of them, and, because watchers miss events (and cannot watch a folder that does not
/// exist yet), a look at the folder's listing (names, sizes, write times) on use at most every <c>recheck</c>. Every
/// reload builds a new immutable <see cref="TrustStore"/> and swaps it in: a check in flight keeps the snapshot it
/// started with. The host logs what <paramref name="report"/> tells it.
/// </summary>
public sealed class TrustFolder : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _recheck;
    private readonly Action<TrustFolderEvent> _report;
    private readonly Lock _gate = new();
    private readonly ITimer _debounceTimer;
    private volatile TrustStore _current = TrustStore.Empty;
    private string? _fingerprint;
    private long _lastLook;
    private FileSystemWatcher? _watcher;
    private int _generation;
    private bool _disposed;

    /// <param name="directory">The folder's full path; null when none is configured (then the store stays empty).</param>
    public TrustFolder(string? directory, TimeProvider time, TimeSpan debounce, TimeSpan recheck, Action<TrustFolderEvent>? report = null)
    {
        Directory = directory;
        _time = time;
        _debounce = debounce;
        _recheck = recheck;
        _report = report ?? (_ => { });
        _debounceTimer = time.CreateTimer(_ => Reload("the folder changed"), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (directory is not null) Reload("start");
    }

    public string? Directory { get; }

    /// <summary>How many times the folder was read (tests wait for it to move).</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>The snapshot in force, after a look at the folder's listing when one is due.</summary>
    public TrustStore Current
    {
        get
        {
            if (Directory is null) return _current;
            var last = Interlocked.Read(ref _lastLook);
            if (_time.GetElapsedTime(last) >= _recheck)
            {
                lock (_gate)
                {
                    if (!_disposed && Interlocked.Read(ref _lastLook) == last)
                    {
                        Interlocked.Exchange(ref _lastLook, _time.GetTimestamp());
                        if (Fingerprint(Directory) != _fingerprint) Load("the folder changed (seen on use)");
                        else Watch();
                    }
                }
            }
            return _current;
        }
    }

    /// <summary>Reads the folder now and swaps the new snapshot in.</summary>
    public void Reload(string reason = "asked")
    {
        if (Directory is null) return;
        lock (_gate)
        {
            if (!_disposed) Load(reason);
        }
    }

    /// <summary>Call under <see cref="_gate"/>.</summary>
    private void Load(string reason)
    {
        var directory = Directory!;
        var fingerprint = Fingerprint(directory);
        TrustStore store;
        try
        {
            store = TrustStore.LoadFromDirectory(directory, _time);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Vanished or locked mid-read: keep what we had; the next look on use tries again.
            _report(new TrustFolderEvent(TrustFolderEventKind.ReadFailed, directory, reason, Error: e.GetType().Name));
            return;
        }
        _current = store;
        _fingerprint = fingerprint;
        Interlocked.Exchange(ref _lastLook, _time.GetTimestamp());
        Interlocked.Increment(ref _generation);
        Watch();
        _report(new TrustFolderEvent(TrustFolderEventKind.Loaded, directory, reason, store));
    }

    /// <summary>Watches the folder while it exists. Call under <see cref="_gate"/>.</summary>
    private void Watch()
    {
        if (_disposed || _watcher is not null || !System.IO.Directory.Exists(Directory)) return;
        try
        {
            var watcher = new FileSystemWatcher(Directory)
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
            _report(new TrustFolderEvent(TrustFolderEventKind.WatchFailed, Directory!, "watching", Error: e.GetType().Name));
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => ScheduleReload();

    private void OnError(object sender, ErrorEventArgs e)
    {
        // Lost events (buffer overflow) or the folder itself: start watching afresh on the reload.
        lock (_gate) StopWatching();
        ScheduleReload();
    }

    private void ScheduleReload()
    {
        try
        {
            _debounceTimer.Change(_debounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // An event that raced with disposal.
        }
    }

    private void StopWatching()
    {
        _watcher?.Dispose();
        _watcher = null;
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
            StopWatching();
        }
        _debounceTimer.Dispose();
    }
}
