namespace Kiosk.Sync;

/// <summary>Configuration section <c>Central</c>: where the kiosk's provider lives.</summary>
public sealed class CentralOptions
{
    public const string Section = "Central";

    /// <summary>Base URL of Central (environment <c>Central__BaseUrl</c>), e.g. http://127.0.0.1:5080/.</summary>
    public Uri? BaseUrl { get; set; }
}

/// <summary>Configuration section <c>Sync</c>.</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>How often the worker looks at Central when nothing else wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most any one call to Central may take.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
