using Kiosk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>The on-screen keyboard types into the real password field on the sign-in screen, touched like a kiosk
/// is: the value is exactly what was tapped, the caret stays in the field, and a physical keyboard still works.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OnScreenKeyboardBrowserTests(BrowserFixture browser, KioskNodeFixture node) : IClassFixture<KioskNodeFixture>
{
    [Fact]
    public async Task Tapped_keys_type_into_the_field_at_the_caret_and_a_physical_keyboard_still_types()
    {
        var (context, page) = await KioskBrowser.OpenAsync(browser, "portrait");
        await using var _ = context;
        await KioskBrowser.StartWithLanguageAsync(page, node.Node.BaseUrl, "kk");
        await KioskBrowser.ChooseServiceAsync(page);

        var field = page.Locator("#key-password");
        var osk = page.Locator("#osk");
        await Expect(osk).ToBeHiddenAsync();
        await page.EvaluateAsync(
            "() => { window.__inputs = 0; document.getElementById('key-password').addEventListener('input', () => window.__inputs++); }");

        await field.TapAsync();
        await Expect(osk).ToBeVisibleAsync();
        await Expect(osk).ToHaveAttributeAsync("data-mode", "text");
        await Expect(osk).ToHaveAttributeAsync("data-layout", "en"); // the field asks for Latin first
        await Expect(page.Locator("body")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bosk-open\b"));

        await TapKeyAsync(page, "layout-kk");
        await Expect(osk).ToHaveAttributeAsync("data-layout", "kk");
        await TapKeyAsync(page, "ә");
        await TapKeyAsync(page, "shift");
        await Expect(osk).ToHaveAttributeAsync("data-shift", "true");
        await Expect(page.Locator("#osk [data-key='ә']")).ToHaveTextAsync("Ә");
        await TapKeyAsync(page, "ә");
        await Expect(osk).ToHaveAttributeAsync("data-shift", "false"); // shift holds for one letter only
        await TapKeyAsync(page, "layout-ru");
        await TapKeyAsync(page, "ж");
        await TapKeyAsync(page, "layout-en");
        foreach (var key in new[] { "p", "a", "s", "space", "1", "2", "backspace" })
            await TapKeyAsync(page, key);

        await Expect(field).ToHaveValueAsync("әӘжpas 1");
        await AssertCaretInFieldAsync(page, 8);
        Assert.Equal(10, await page.EvaluateAsync<int>("() => window.__inputs")); // one input event per edit
        Assert.Equal("password", await field.GetAttributeAsync("type"));

        // The physical keyboard types into the same field, and moves the caret the on-screen keys type at.
        await page.Keyboard.TypeAsync("Zx9");
        await page.Keyboard.PressAsync("Backspace");
        await Expect(field).ToHaveValueAsync("әӘжpas 1Zx");
        await page.Keyboard.PressAsync("Home");
        await TapKeyAsync(page, "q");
        await Expect(field).ToHaveValueAsync("qәӘжpas 1Zx");
        await AssertCaretInFieldAsync(page, 1);
        await page.Keyboard.PressAsync("End");
        await TapKeyAsync(page, "backspace");
        await Expect(field).ToHaveValueAsync("qәӘжpas 1Z");
        await AssertCaretInFieldAsync(page, 10);

        await TapKeyAsync(page, "close");
        await Expect(osk).ToBeHiddenAsync();
        await Expect(field).ToHaveValueAsync("qәӘжpas 1Z");
        await Expect(page.Locator("body")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bosk-open\b"));
    }

    private static Task TapKeyAsync(IPage page, string key) => page.Locator($"#osk [data-key='{key}']").TapAsync();

    private static async Task AssertCaretInFieldAsync(IPage page, int caret)
    {
        var state = await page.EvaluateAsync<int[]>(
            "() => { const f = document.getElementById('key-password'); return [document.activeElement === f ? 1 : 0, f.selectionStart, f.selectionEnd]; }");
        Assert.True(state[0] == 1, "the focus left the password field");
        Assert.Equal([caret, caret], state[1..]);
    }
}
