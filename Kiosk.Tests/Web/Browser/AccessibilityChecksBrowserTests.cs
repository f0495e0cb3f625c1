using Kiosk.Tests.Support;
using Xunit.Sdk;

namespace Kiosk.Tests.Web.Browser;

/// <summary>The accessibility checks themselves can fail: on a real kiosk screen spoiled on purpose in the page, each
/// check names what is wrong.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityChecksBrowserTests(BrowserFixture browser, KioskNodeFixture node) : IClassFixture<KioskNodeFixture>
{
    [Fact]
    public async Task The_size_check_names_a_control_smaller_than_48_px()
    {
        var (context, page) = await KioskBrowser.OpenAsync(browser, "portrait");
        await using var _ = context;
        await KioskBrowser.StartWithLanguageAsync(page, node.Node.BaseUrl, "ru");
        await AccessibilityChecks.AssertTargetsAtLeast48Async(page, "start as served");

        // Styles set through the CSSOM, which the page's CSP allows (a style attribute would be refused).
        await page.EvaluateAsync(
            """
            () => {
              const b = document.createElement('button');
              b.type = 'button'; b.id = 'tiny'; b.textContent = 'x';
              Object.assign(b.style, { minWidth: '0', minHeight: '0', width: '40px', height: '40px', padding: '0' });
              document.getElementById('main').append(b);
            }
            """);

        var failure = await Assert.ThrowsAsync<TrueException>(() => AccessibilityChecks.AssertTargetsAtLeast48Async(page, "spoiled start"));
        Assert.Contains("id='tiny'", failure.Message);
        Assert.Contains("40×40", failure.Message);
    }

    [Fact]
    public async Task The_axe_check_names_a_field_without_a_label()
    {
        var (context, page) = await KioskBrowser.OpenAsync(browser, "landscape");
        await using var _ = context;
        await KioskBrowser.StartWithLanguageAsync(page, node.Node.BaseUrl, "en");

        await page.EvaluateAsync(
            """
            () => {
              const input = document.createElement('input');
              input.type = 'text'; input.id = 'unlabelled';
              document.getElementById('main').append(input);
            }
            """);

        var failure = await Assert.ThrowsAsync<TrueException>(() => AccessibilityChecks.AssertNoAxeViolationsAsync(page, "spoiled start"));
        Assert.Contains("- label (", failure.Message);
        Assert.Contains("#unlabelled", failure.Message);
    }
}
