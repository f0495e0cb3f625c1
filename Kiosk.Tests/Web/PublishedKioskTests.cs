using System.Diagnostics;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Web;

/// <summary>
/// Issue 2 item 9: the self-contained single-file kiosk build, published with its profile, starts on its own and
/// serves its start screen. The check itself is <c>scripts/check-publish.sh</c>, which people run by hand too.
/// </summary>
public class PublishedKioskTests
{
    [Fact]
    public async Task The_published_linux_kiosk_starts_and_serves_its_start_screen()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Solution.Root, "scripts", "check-publish.sh")])
        {
            WorkingDirectory = Solution.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;

        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("OK: the published kiosk serves its start screen", output);
    }
}
