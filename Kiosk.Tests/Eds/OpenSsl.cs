using System.Diagnostics;

namespace Kiosk.Tests.Eds;

/// <summary>Runs the openssl command line (which the interop tests need on PATH).</summary>
internal static class OpenSsl
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, true, args);

    public static Result TryRun(string workingDirectory, params string[] args) => Run(workingDirectory, false, args);

    private static Result Run(string workingDirectory, bool mustSucceed, string[] args)
    {
        var start = new ProcessStartInfo("openssl")
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
            process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The openssl command line is needed for the EDS interop tests (apt-get install openssl).", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new TimeoutException($"openssl {string.Join(' ', args)} did not finish in 60 s");
            }
            var result = new Result(process.ExitCode, stdout.Result, stderr.Result);
            if (mustSucceed && result.ExitCode != 0)
                throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed ({result.ExitCode}):\n{result.All}");
            return result;
        }
    }
}
