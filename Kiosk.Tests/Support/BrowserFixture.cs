using Microsoft.Playwright;

namespace Kiosk.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright, launched once per test collection with a fresh profile. Playwright never
/// downloads a browser here: it is told where Chromium is, and Chromium is told not to reach the internet.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static readonly (int Width, int Height) Portrait = (1080, 1920);
    public static readonly (int Width, int Height) Landscape = (1920, 1080);

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException("Chromium is missing: run ./run-tests.sh (it installs it) or `apt-get install -y chromium`.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <summary>A new, empty browser context (its own cookies and storage) at a kiosk-sized viewport.</summary>
    public Task<IBrowserContext> NewKioskContextAsync((int Width, int Height) viewport) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height },
            HasTouch = true,
            Locale = "ru-RU",
        });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <summary>Where screenshots of the screens land: TestResults/screenshots (git-ignored; see README).</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = Path.Combine(Solution.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name + ".png");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
