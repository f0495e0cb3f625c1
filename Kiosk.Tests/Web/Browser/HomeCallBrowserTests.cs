using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Kiosk.Core.Eds;
using Kiosk.Core.Requests;
using Kiosk.Tests.Support;
using Kiosk.Tests.Web.HomeCall;
using Kiosk.Tests.Web.SignIn;
using Microsoft.Playwright;

namespace Kiosk.Tests.Web.Browser;

/// <summary>The real kiosk node (its own process) with the demo CA's trust folder, for the home-call browser test.</summary>
public sealed class HomeCallNodeFixture : IAsyncLifetime
{
    public KioskNode Node { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Node = await KioskNode.StartAsync($"--Pki:TrustDirectory={SignInDemoCa.TrustDirectory}", "--Sync:KioskId=kiosk-browser-1");

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// A home call in Chromium, as a citizen makes it: sign in with the AUTH file, fill in the form (the phone tapped on
/// the on-screen keypad, the reason a tile), review, a refused signature with the AUTH file, then the signing file with
/// the password tapped on the on-screen keyboard, and the accepted page; then the kiosk's SQLite file holds the
/// signed request and its queued outbox row, and openssl verifies the pair. Axe checks every screen on the way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HomeCallBrowserTests(BrowserFixture browser, HomeCallNodeFixture node) : IClassFixture<HomeCallNodeFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(KioskBrowser.Patience);

    private string Url(string path) => node.Node.BaseUrl + path;

    [Fact]
    public async Task HomeCall_from_sign_in_to_a_signed_request_queued_in_the_outbox()
    {
        var auth = SignInDemoCa.One("valid", "AUTH", 1);
        var sign = SignInDemoCa.One("valid", "SIGN", 1);
        var iin = auth.Iin!;
        await using var context = await browser.NewKioskContextAsync(BrowserFixture.Portrait);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Patience.TotalMilliseconds);

        // Sign in for the home call.
        await page.GotoAsync(Url("/"));
        await page.Locator("#service-home-call").TapAsync();
        await page.WaitForURLAsync("**/sign-in");
        await page.Locator("#auth-key-file").SetInputFilesAsync(SignInDemoCa.Ca.PathOf(auth));
        await page.Locator("#key-password").FillAsync(SignInDemoCa.Password);
        await page.Locator("#signin-submit").TapAsync();
        await page.WaitForURLAsync("**/services/home-call");
        await Expect(page.Locator("#citizen-iin")).ToHaveTextAsync("******" + iin[6..]);
        await AssertAccessibleAsync(page, "form");

        // An empty form: each problem, translated, and nothing drafted.
        await page.Locator("#homecall-next").TapAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Expect(page.Locator("#homecall-errors [data-problem]")).ToHaveCountAsync(3);
        await Expect(page.Locator("#homecall-errors [data-problem=\"reason-missing\"]")).ToHaveTextAsync("Выберите причину вызова.");
        await AssertAccessibleAsync(page, "form with problems");

        // The address (typed), the phone tapped on the numeric pad, the reason as a tile.
        const string address = "Астана, Мәңгілік Ел 55, 12-пәтер";
        await page.Locator("#address").FillAsync(address);
        await page.Locator("#phone").TapAsync();
        await Expect(page.Locator("#osk")).ToBeVisibleAsync();
        await Expect(page.Locator("#osk")).ToHaveAttributeAsync("data-mode", "numeric");
        foreach (var digit in "87011234567")
            await page.Locator($"#osk [data-key=\"{digit}\"]").TapAsync();
        await page.Locator("#osk [data-key=\"close\"]").TapAsync();
        Assert.Equal("87011234567", await page.Locator("#phone").InputValueAsync());
        await page.Locator("label[for=\"reason-high-blood-pressure\"]").TapAsync();
        Assert.True(await page.Locator("#reason-high-blood-pressure").IsCheckedAsync());
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("homecall-form-ru"), FullPage = true });
        await page.Locator("#homecall-next").TapAsync();
        await page.WaitForURLAsync("**/services/home-call/review");

        await Expect(page.Locator("#summary-address")).ToHaveTextAsync(address);
        await Expect(page.Locator("#summary-phone")).ToHaveTextAsync("+7 701 123 45 67");
        await Expect(page.Locator("#summary-reason")).ToHaveTextAsync("Высокое давление с выраженным недомоганием");
        await AssertAccessibleAsync(page, "review");
        var requestId = Guid.Parse((await page.Locator("#homecall-summary").GetAttributeAsync("data-request-id"))!);

        // The AUTH file is not a signing key: refused, the draft stays.
        await page.Locator("#sign-key-file").SetInputFilesAsync(SignInDemoCa.Ca.PathOf(auth));
        await page.Locator("#sign-password").FillAsync(SignInDemoCa.Password);
        await page.Locator("#sign-submit").TapAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        var refused = page.Locator($"#homecall-errors [data-problem=\"{EdsProblemCodes.WrongKeyUsage}\"]");
        await Expect(refused).ToHaveTextAsync(EdsMessages.For(EdsProblemCodes.WrongKeyUsage, "ru"));
        await Expect(page.Locator("#summary-address")).ToHaveTextAsync(address);
        await AssertAccessibleAsync(page, "review with a refusal");
        Assert.Null(HomeCallHttpTests.StoredRequest(node.Node.DatabasePath, requestId));

        // The signing file, its password tapped on the on-screen keyboard: the explicit act of signing.
        await page.Locator("#sign-key-file").SetInputFilesAsync(SignInDemoCa.Ca.PathOf(sign));
        await Expect(page.Locator("#sign-key-file-name")).ToHaveTextAsync(Path.GetFileName(sign.File));
        await page.Locator("#sign-password").TapAsync();
        await Expect(page.Locator("#osk")).ToBeVisibleAsync();
        foreach (var ch in SignInDemoCa.Password)
            await page.Locator($"#osk [data-key=\"{ch}\"]").TapAsync();
        await page.Locator("#osk [data-key=\"close\"]").TapAsync();
        Assert.Equal(SignInDemoCa.Password, await page.Locator("#sign-password").InputValueAsync());
        await page.Locator("#sign-submit").TapAsync();
        await page.WaitForURLAsync("**/services/home-call/accepted");

        await Expect(page.Locator("#receipt")).ToHaveAttributeAsync("data-request-id", requestId.ToString("D"));
        await Expect(page.Locator("#receipt-number")).ToHaveTextAsync(HomeCallReceiptNumber(requestId));
        await Expect(page.Locator("#receipt-status")).ToHaveTextAsync("В очереди — будет отправлена в поликлинику");
        await AssertAccessibleAsync(page, "accepted");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("homecall-accepted-ru"), FullPage = true });
        Assert.DoesNotContain(iin, await page.ContentAsync());
        Assert.DoesNotContain(iin, page.Url);

        // The kiosk's file: one signed request and one queued outbox row, and the pair verifies with openssl.
        var stored = HomeCallHttpTests.StoredRequest(node.Node.DatabasePath, requestId);
        Assert.NotNull(stored);
        Assert.Equal(1, HomeCallHttpTests.RowsFor(node.Node.DatabasePath, iin));
        Assert.Equal<(string, long)?>(("queued", 0L), HomeCallHttpTests.Outbox(node.Node.DatabasePath, requestId));
        var document = RequestDocument.Parse(stored.Value.Document);
        Assert.Equal(iin, document.ApplicantIin.Value);
        Assert.Equal("kiosk-browser-1", document.KioskId);
        var details = Assert.IsType<HomeCallDetails>(document.Details);
        Assert.Equal(address, details.Address);
        Assert.Equal("+77011234567", details.Phone);
        Assert.Equal(HomeCallReasons.HighBloodPressure, details.ReasonCode);
        HomeCallHttpTests.AssertOpenSslVerifies(stored.Value.Document, stored.Value.Signature);

        // Nothing personal in the node's log.
        var log = node.Node.Process.Output;
        Assert.DoesNotContain(iin, log);
        Assert.DoesNotContain("Мәңгілік", log);
        Assert.DoesNotContain("7011234567", log);
        Assert.DoesNotContain(SignInDemoCa.Password, log);
        Assert.Contains(requestId.ToString("D"), log);
    }

    private static string HomeCallReceiptNumber(Guid id)
    {
        var hex = id.ToString("N").ToUpperInvariant();
        return $"{hex[..4]}-{hex[4..8]}";
    }

    private static async Task AssertAccessibleAsync(IPage page, string state)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
            Rules = new Dictionary<string, RuleOptions> { ["target-size"] = new() { Enabled = true } },
        });
        var violations = result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})").ToList();
        Assert.True(violations.Count == 0, $"axe on the home call's {state}:\n" + string.Join("\n", violations));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
