using Kiosk.Tests.Support;

namespace Kiosk.Tests.Eds;

/// <summary>Runs the openssl command line (which the interop tests need on PATH).</summary>
internal static class OpenSsl
{
    private const string Hint = "apt-get install openssl";

    public static CommandLine.Result Run(string workingDirectory, params string[] args) => CommandLine.Run("openssl", workingDirectory, args, Hint);

    public static CommandLine.Result TryRun(string workingDirectory, params string[] args) =>
        CommandLine.Run("openssl", workingDirectory, args, Hint, mustSucceed: false);
}
