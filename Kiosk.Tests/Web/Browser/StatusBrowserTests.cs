using Kiosk.Core.Services;
using Kiosk.Core.Time;
using Kiosk.Tests.Support;
using Kiosk.Tests.Web.SignIn;
using Kiosk.Tests.Web.Status;
using Microsoft.Playwright;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// The real kiosk node (its own process) with the demo CA's trust folder, and in its file one request of a citizen in
/// each state the status screen shows (queued, registered, accepted, refused, rejected), plus another citizen's.
/// </summary>
public sealed class StatusNodeFixture : IAsyncLifetime
{
    public KioskNode Node { get; private set; } = null!;

    public Core.Eds.Demo.DemoCaEntry Citizen { get; } = SignInDemoCa.One("valid", "AUTH", 2);

    public Guid Stranger { get; private set; }

    public async Task InitializeAsync()
    {
        Node = await KioskNode.StartAsync($"--Pki:TrustDirectory={SignInDemoCa.TrustDirectory}", "--Sync:KioskId=kiosk-browser-status");
        var db = Node.DatabasePath;
        var iin = Citizen.Iin!;
        var now = DateTimeOffset.UtcNow;
        var today = AstanaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd");

        var rejected = StatusRows.Queue(db, iin, now.AddHours(-5));
        StatusRows.Reject(db, rejected, "revoked", now.AddHours(-5));
        var refused = StatusRows.Queue(db, iin, now.AddHours(-4));
        StatusRows.Deliver(db, refused, "HC-20260304-000021", now.AddHours(-4));
        var accepted = StatusRows.Queue(db, iin, now.AddHours(-3));
        StatusRows.Deliver(db, accepted, "HC-20260304-000022", now.AddHours(-3));
        // The refusal without Central's texts: the kiosk's own words for the code, in each language.
        StatusRows.Decide(db, now.AddMinutes(-5),
            StatusRows.Refused(refused, "HC-20260304-000021", RefusalReasons.ClinicClosedToday, null, now.AddHours(-4)),
            StatusRows.Accepted(accepted, "HC-20260304-000022", today, "14:45", "20:00", now.AddHours(-3)));
        var registered = StatusRows.Queue(db, iin, now.AddHours(-2));
        StatusRows.Deliver(db, registered, "HC-20260304-000023", now.AddHours(-2));
        StatusRows.Queue(db, iin, now.AddHours(-1));
        Stranger = StatusRows.Queue(db, SignInDemoCa.One("valid", "AUTH", 0).Iin!, now.AddMinutes(-30));
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// "Check my request" in Chromium, reached as a citizen reaches it (start screen, "check my request", sign-in), in
/// Kazakh, Russian and English: axe finds nothing, every control is at least 48 px, the texts are the language's,
/// only the citizen's own requests are there, and "refresh status" comes back to the same screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StatusBrowserTests(BrowserFixture browser, StatusNodeFixture fixture) : IClassFixture<StatusNodeFixture>
{
    [Theory]
    [InlineData("kk", "portrait", "Қабылданды", "Бүгін сіздің емханаңыз жұмыс істемейді")]
    [InlineData("ru", "portrait", "Принята", "Сегодня ваша поликлиника не работает")]
    [InlineData("en", "portrait", "Accepted", "Your clinic is closed today")]
    [InlineData("ru", "landscape", "Принята", "Сегодня ваша поликлиника не работает")]
    public async Task The_status_screen_is_accessible_and_speaks_the_citizens_language(string lang, string orientation, string accepted, string refusal)
    {
        var (context, page) = await KioskBrowser.OpenAsync(browser, orientation);
        await using var _ = context;
        var baseUrl = fixture.Node.BaseUrl;

        await KioskBrowser.StartWithLanguageAsync(page, baseUrl, lang);
        await KioskBrowser.ChooseServiceAsync(page, "status");
        await page.Locator("#auth-key-file").SetInputFilesAsync(SignInDemoCa.Ca.PathOf(fixture.Citizen));
        await page.Locator("#key-password").FillAsync(SignInDemoCa.Password);
        await page.Locator("#signin-submit").TapAsync();
        await page.WaitForURLAsync("**/services/status");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        var items = page.Locator("#status-list > li");
        await Expect(items).ToHaveCountAsync(5);
        Assert.Equal(["queued", "registered", "accepted", "refused", "rejected"],
            await items.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.status)"));
        await Expect(page.Locator("[data-status=accepted] [data-field=status]")).ToHaveTextAsync(accepted);
        await Expect(page.Locator("[data-status=refused] [data-field=reason-text]")).ToContainTextAsync(refusal);
        await Expect(page.Locator("#citizen-iin")).ToHaveTextAsync("******" + fixture.Citizen.Iin![6..]);
        Assert.DoesNotContain(fixture.Stranger.ToString("D"), await page.ContentAsync());
        Assert.DoesNotContain(fixture.Citizen.Iin!, await page.ContentAsync());

        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"status-{lang}-{orientation}"), FullPage = true });
        await AccessibilityChecks.AssertNoAxeViolationsAsync(page, $"status {lang} {orientation}");
        await AccessibilityChecks.AssertTargetsAtLeast48Async(page, $"status {lang} {orientation}");

        // "Refresh status" posts and comes back to the same screen, read afresh.
        await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#status-refresh");
        Assert.EndsWith("/services/status", page.Url);
        await Expect(items).ToHaveCountAsync(5);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
