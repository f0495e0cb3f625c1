using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;
using Kiosk.Tests.Support;
using Kiosk.Tests.Web.SignIn;
using Microsoft.Playwright;

namespace Kiosk.Tests.Web.Browser;

/// <summary>The real kiosk node (its own process) pointed at the demo CA's trust folder, shared by the browser sign-in tests.</summary>
public sealed class SignInNodeFixture : IAsyncLifetime
{
    public KioskNode Node { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Node = await KioskNode.StartAsync($"--Pki:TrustDirectory={SignInDemoCa.TrustDirectory}");

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// Sign-in in Chromium, as a citizen does it: choose a service, pick the key file, type the password on the
/// on-screen keyboard, sign in; refusals show their exact code and translated message; axe finds nothing on the error
/// state or the signed-in page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInBrowserTests(BrowserFixture browser, SignInNodeFixture node) : IClassFixture<SignInNodeFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(KioskBrowser.Patience);

    private string Url(string path) => node.Node.BaseUrl + path;

    [Fact]
    public async Task The_good_file_and_the_password_typed_on_the_on_screen_keyboard_sign_in_and_sign_out_returns_to_start()
    {
        var entry = SignInDemoCa.One("valid");
        await using var context = await browser.NewKioskContextAsync(BrowserFixture.Portrait);
        var page = await NewPageAsync(context);

        await ChooseServiceAsync(page, "home-call");
        await page.Locator("#auth-key-file").SetInputFilesAsync(FileFor(entry));
        await Expect(page.Locator("#auth-key-file-name")).ToHaveTextAsync(Path.GetFileName(entry.File));

        await page.Locator("#key-password").TapAsync();
        await Expect(page.Locator("#osk")).ToBeVisibleAsync();
        foreach (var ch in SignInDemoCa.Password)
            await page.Locator($"#osk [data-key=\"{ch}\"]").TapAsync();
        await page.Locator("#osk [data-key=\"close\"]").TapAsync();
        Assert.Equal(SignInDemoCa.Password, await page.Locator("#key-password").InputValueAsync());

        await page.Locator("#signin-submit").TapAsync();
        await page.WaitForURLAsync("**/services/home-call", new() { Timeout = (float)Patience.TotalMilliseconds });

        var iin = entry.Iin!;
        await Expect(page.Locator("#citizen-iin")).ToHaveTextAsync("******" + iin[6..]);
        var surname = entry.Holder.Split(' ')[0];
        await Expect(page.Locator("#greeting")).ToContainTextAsync(surname[0] + surname[1..].ToLowerInvariant());
        await Expect(page.Locator("#chosen-service")).ToContainTextAsync("Вызов врача на дом");
        Assert.DoesNotContain(iin, await page.ContentAsync());
        Assert.DoesNotContain(iin, page.Url);
        await Expect(page.Locator("#sign-out")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "signed-in");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("signin-signed-in-ru"), FullPage = true });

        await page.Locator("#sign-out").TapAsync();
        await page.WaitForURLAsync(Url("/"), new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.Locator("#service-home-call")).ToBeVisibleAsync();
        await Expect(page.Locator("#sign-out")).ToHaveCountAsync(0);

        // Back in history or by address: the signed-in page is gone.
        await page.GotoAsync(Url("/services/home-call"));
        Assert.Equal(Url("/"), page.Url);
        Assert.DoesNotContain(iin[6..], await page.ContentAsync());
        Assert.DoesNotContain(node.Node.Process.Lines, l => l.Contains(iin, StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "revoked", "AUTH", EdsProblemCodes.Revoked },
        { "expired", "AUTH", EdsProblemCodes.Expired },
        { "lookalike-ca", "AUTH", EdsProblemCodes.Untrusted },
        { "valid", "SIGN", EdsProblemCodes.WrongKeyUsage },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_file_shows_its_code_and_russian_message_and_the_error_state_passes_axe(string @case, string keyType, string code)
    {
        var entry = SignInDemoCa.One(@case, keyType);
        Assert.Equal([code], entry.ExpectedAtSignIn);
        await using var context = await browser.NewKioskContextAsync(BrowserFixture.Portrait);
        var page = await NewPageAsync(context);

        await ChooseServiceAsync(page, "appointment");
        await SubmitAsync(page, entry);

        var problem = page.Locator($"#signin-errors [data-problem=\"{code}\"]");
        await Expect(problem).ToBeVisibleAsync();
        await Expect(problem).ToHaveTextAsync(EdsMessages.For(code, "ru"));
        await Expect(page.Locator("#signin-errors [data-problem]")).ToHaveCountAsync(1);
        Assert.EndsWith("/sign-in", page.Url);
        await Expect(page.Locator("#sign-out")).ToHaveCountAsync(0);
        await AssertAccessibleAsync(page, "error " + code);
        if (entry.Iin is { } iin) Assert.DoesNotContain(iin, await page.ContentAsync());
    }

    [Theory]
    [InlineData("kk", "revoked", EdsProblemCodes.Revoked)]
    [InlineData("en", "lookalike-ca", EdsProblemCodes.Untrusted)]
    public async Task The_refusal_is_in_the_language_the_citizen_chose(string language, string @case, string code)
    {
        var entry = SignInDemoCa.One(@case);
        await using var context = await browser.NewKioskContextAsync(BrowserFixture.Landscape);
        var page = await NewPageAsync(context);

        await page.GotoAsync(Url("/"));
        await page.Locator($"#lang-{language}").TapAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await ChooseServiceAsync(page, "attachment", navigate: false);
        await SubmitAsync(page, entry);

        var problem = page.Locator($"#signin-errors [data-problem=\"{code}\"]");
        await Expect(problem).ToHaveTextAsync(EdsMessages.For(code, language));
        await AssertAccessibleAsync(page, $"error {code} in {language}");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"signin-error-{code}-{language}"), FullPage = true });
    }

    private async Task<IPage> NewPageAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        return page;
    }

    private async Task ChooseServiceAsync(IPage page, string code, bool navigate = true)
    {
        if (navigate) await page.GotoAsync(Url("/"));
        await page.Locator($"#service-{code}").TapAsync();
        await page.WaitForURLAsync("**/sign-in");
        await Expect(page.Locator("#chosen-service")).ToHaveAttributeAsync("data-service", code);
    }

    private static async Task SubmitAsync(IPage page, DemoCaEntry entry)
    {
        await page.Locator("#auth-key-file").SetInputFilesAsync(FileFor(entry));
        await page.Locator("#key-password").FillAsync(SignInDemoCa.Password);
        await page.Locator("#signin-submit").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Expect(page.Locator("#signin-errors")).ToBeVisibleAsync();
    }

    /// <summary>The file under its own name, as a citizen's USB stick would show it.</summary>
    private static string FileFor(DemoCaEntry entry) => SignInDemoCa.Ca.PathOf(entry);

    private static async Task AssertAccessibleAsync(IPage page, string state)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
            Rules = new Dictionary<string, RuleOptions> { ["target-size"] = new() { Enabled = true } },
        });
        var violations = result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})").ToList();
        Assert.True(violations.Count == 0, $"axe on {state}:\n" + string.Join("\n", violations));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
