using Kiosk.Tests.Sync;

namespace Kiosk.Tests.Support;

/// <summary>The real kiosk node (Kiosk.Web) as its own process on Kestrel, on a free loopback port, with its own
/// SQLite file in a temp folder.</summary>
public sealed class KioskNode : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("kiosk-node");
    private readonly AppProcess _process;

    private KioskNode(IEnumerable<string> extraArgs)
    {
        Port = SyncWorkerProcessTests.FreePort();
        BaseUrl = $"http://127.0.0.1:{Port}";
        DatabasePath = _dir.File("kiosk.db");
        _process = new AppProcess("Kiosk.Web",
            [$"--urls={BaseUrl}", $"--Storage:DatabasePath={DatabasePath}", .. extraArgs]);
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public string DatabasePath { get; }

    public AppProcess Process => _process;

    public static async Task<KioskNode> StartAsync(params string[] extraArgs)
    {
        var node = new KioskNode(extraArgs);
        await HealthWait.UntilReadyAsync(node.BaseUrl, node._process);
        return node;
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

public static class HealthWait
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task UntilReadyAsync(string baseUrl, AppProcess process, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException("The app exited while starting:\n" + process.Output);
            try
            {
                using var response = await Http.GetAsync(baseUrl + "/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{baseUrl} was not ready in time:\n{process.Output}");
    }
}
