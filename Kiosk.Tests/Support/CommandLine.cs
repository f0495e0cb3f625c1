using System.Diagnostics;

namespace Kiosk.Tests.Support;

/// <summary>Runs an independent command-line checker (openssl, node, zbarimg) and collects what it wrote.</summary>
public static class CommandLine
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    /// <param name="missingHint">What to install when the command is not there.</param>
    public static Result Run(string command, string workingDirectory, IEnumerable<string> args, string missingHint, bool mustSucceed = true)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"The {command} command line is needed for this test ({missingHint}).", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new TimeoutException($"{command} {string.Join(' ', start.ArgumentList)} did not finish in 60 s");
            }
            var result = new Result(process.ExitCode, stdout.Result, stderr.Result);
            if (mustSucceed && result.ExitCode != 0)
                throw new InvalidOperationException($"{command} {string.Join(' ', start.ArgumentList)} failed ({result.ExitCode}):\n{result.All}");
            return result;
        }
    }
}
