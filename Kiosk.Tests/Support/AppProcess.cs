using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kiosk.Tests.Support;

/// <summary>
/// One of the solution's apps running as a real OS process (<c>dotnet App.dll args</c>), with its console output
/// collected so a test can wait for a log line. Killed (whole tree) when disposed.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _newLine = new(0);

    public AppProcess(string project, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(Solution.Root, project),
        };
        start.ArgumentList.Add(Solution.AppDll(project));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        if (environment is not null)
            foreach (var (k, v) in environment) start.Environment[k] = v;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start.");
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    public string Output => string.Join('\n', _lines);

    /// <summary>Waits until a line containing <paramref name="text"/> appears; fails with the output so far.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var hit = _lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (hit is not null) return hit;
            if (_process.HasExited && _newLine.CurrentCount == 0)
                throw new InvalidOperationException($"The process exited ({_process.ExitCode}) before '{text}':\n{Output}");
            try { await _newLine.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"No line with '{text}' in {timeout}:\n{Output}"); }
        }
    }

    public void Kill() { if (!_process.HasExited) _process.Kill(entireProcessTree: true); _process.WaitForExit(10_000); }

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null) return;
        _lines.Enqueue(line);
        _newLine.Release();
    }
}
