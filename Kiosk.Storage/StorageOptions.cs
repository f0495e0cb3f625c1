namespace Kiosk.Storage;

/// <summary>Configuration section <c>Storage</c> (environment <c>Storage__DatabasePath</c> and so on).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Path of the SQLite file; created with its folder on first start.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// SQLite's <c>synchronous</c> level. The kiosk keeps FULL: a request the citizen was told is accepted must survive
    /// a power cut. Central may choose NORMAL, which in WAL mode is still consistent after a crash.
    /// </summary>
    public SynchronousMode Synchronous { get; set; } = SynchronousMode.Full;

    /// <summary>How long a writer waits for another process's lock (the sync worker shares the kiosk's file).</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 5000;
}

public enum SynchronousMode { Normal, Full }
