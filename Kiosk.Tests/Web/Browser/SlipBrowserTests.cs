using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kiosk.Core.Slips;
using Kiosk.Node.Slips;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Kiosk.Tests.Sync;
using Kiosk.Tests.Web.Status;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kiosk.Tests.Web.Browser;

/// <summary>
/// Issue 6, "Done when": slips printed in Chromium and checked by independent tools. The kiosk node, its sync worker
/// and Central really run on loopback; a citizen files a home call in Chromium. The receipt (signed by the kiosk's
/// device key) and, once the decision is pulled, the result (signed by the provider) are each rendered, screenshot,
/// their QR code decoded from the image by <c>zbarimg</c> and by the product's offline checker (Kiosk.SlipCheck), and
/// the decoded token verified with the JWKS Central publishes. The result page prints to a PDF 80 mm wide through
/// Chromium's print path with the CSS page size, and its key facts are over 4 mm tall. Revoking the kiosk at Central
/// makes its receipts fail with <c>revoked-key</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SlipBrowserTests(BrowserFixture browser, DemoCaFixture ca, ITestOutputHelper output)
    : IClassFixture<DemoCaFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Receipt_and_result_slips_carry_QR_codes_that_decode_and_verify_with_the_published_keys_and_print_80_mm_wide()
    {
        var sign = SyncRequests.Citizens(ca)[0];
        var auth = ca.Manifest.Files.Single(f => f.Case == "valid" && f.KeyType == "AUTH" && f.Iin == sign.Iin);
        await using var central = new SyncCentral(ca, $"--Operators:Token={OperatorToken}");
        central.RememberKioskClock(SyncCentral.KioskId, DateTimeOffset.UtcNow);
        await central.StartAsync();
        await using var node = await KioskNode.StartAsync($"--Pki:TrustDirectory={ca.Ca.TrustDirectory}", $"--Sync:KioskId={SyncCentral.KioskId}",
            $"--Central:BaseUrl={central.BaseUrl}");
        using var worker = KioskFile.StartWorkerOn(node.DatabasePath, central.BaseUrl);
        using var http = new HttpClient { BaseAddress = central.BaseUrl };
        using var work = new TempDirectory("slip-browser");
        try
        {
            var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = BrowserFixture.Portrait.Width, Height = BrowserFixture.Portrait.Height },
                HasTouch = true,
                Locale = "ru-RU",
                // A phone camera sees the printed code sharper than a 96 dpi screen shows it.
                DeviceScaleFactor = 3,
            });
            await using var _ = context;
            context.SetDefaultTimeout(KioskBrowser.Patience);
            var page = await context.NewPageAsync();
            var requestId = await KioskBrowser.FileHomeCallAsync(page, node.BaseUrl, ca.Ca, auth, sign);

            // The receipt: signed by the kiosk's device key, which the worker has recorded at Central.
            var kiosk = StatusRows.Database(node.DatabasePath);
            await Eventually.That(() => new Kiosk.Node.KioskSettings(kiosk).Get(KioskDeviceKey.RecordedPrefix + SyncCentral.KioskId) is not null,
                Patience, () => worker.Output);
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, "#receipt-print-slip");
            Assert.Contains($"/slips/{requestId:D}/receipt", page.Url);
            var receiptImage = work.File("receipt.png");
            await page.Locator("#slip").ScreenshotAsync(new() { Path = receiptImage });
            File.Copy(receiptImage, BrowserFixture.ScreenshotPath("slip-receipt-ru"), overwrite: true);
            var receiptText = Zbarimg(receiptImage);
            Assert.StartsWith(central.BaseUrl + "verify#", receiptText);
            var jwksJson = await http.GetStringAsync("/.well-known/jwks.json");
            var receipt = SlipToken.Verify(receiptText, SlipJwkSet.Parse(jwksJson));
            Assert.True(receipt.Valid, string.Join(",", receipt.Problems));
            Assert.Equal((SlipKinds.Receipt, requestId.ToString("D"), "queued"), (receipt.Kind, receipt.Claims!.RequestId, receipt.Claims.Decision));
            Assert.Equal(Kiosk.Core.Identity.Iin.Parse(sign.Iin!).Masked, receipt.Claims.MaskedIin);
            Assert.DoesNotContain(sign.Iin!, receiptText);
            await Expect(page.Locator("#slip-decision")).ToHaveTextAsync("Принята, ждёт решения");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(page, "receipt slip");
            await AccessibilityChecks.AssertTargetsAtLeast48Async(page, "receipt slip");

            // The product's offline checker reads the same picture and agrees, with the JWKS saved to a file.
            var jwksFile = work.File("jwks.json");
            File.WriteAllText(jwksFile, jwksJson);
            var check = CommandLine.Run("dotnet", work.Path, [Solution.AppDll("Kiosk.SlipCheck"), "--jwks", jwksFile, "--image", receiptImage],
                "the .NET SDK", mustSucceed: false);
            Assert.True(check.ExitCode == 0, check.All);
            Assert.Equal(receiptText, JsonDocument.Parse(check.Output).RootElement.GetProperty("qrText").GetString());

            // The decision arrives with the provider's signed result slip; the status screen offers it.
            await Eventually.That(() => new SlipStore(kiosk).Find(requestId, SlipKinds.Result) is not null, Patience,
                () => $"worker:\n{worker.Output}\ncentral:\n{string.Join('\n', central.Logs.Lines)}");
            await page.GotoAsync(node.BaseUrl + "/services/status");
            await KioskBrowser.TapAndWaitForNewDocumentAsync(page, $"#status-list > li[data-request-id=\"{requestId:D}\"] [data-action=print-slip]");
            Assert.Contains($"/slips/{requestId:D}/result", page.Url);
            var resultImage = work.File("result.png");
            await page.Locator("#slip").ScreenshotAsync(new() { Path = resultImage });
            File.Copy(resultImage, BrowserFixture.ScreenshotPath("slip-result-ru"), overwrite: true);
            var result = SlipToken.Verify(Zbarimg(resultImage), SlipJwkSet.Parse(await http.GetStringAsync("/.well-known/jwks.json")));
            Assert.True(result.Valid, string.Join(",", result.Problems));
            Assert.Equal((SlipKinds.Result, "accepted", SlipIssuers.Provider), (result.Kind, result.Claims!.Decision, result.Claims.Issuer));
            Assert.Equal($"HC-{central.Day:yyyyMMdd}-000001", result.Claims.RegistrationNumber);
            Assert.Equal(($"{central.Day:yyyy-MM-dd}T10:15", "20:00"), (result.Claims.At, result.Claims.Until));
            await Expect(page.Locator("#slip-number")).ToHaveTextAsync(result.Claims.RegistrationNumber!);

            // Key facts at least 4 mm tall: the height of a capital letter in each one's own font, measured in the page.
            var capitals = await page.EvaluateAsync<double[]>("""
                () => Array.from(document.querySelectorAll('#slip .key-fact')).map(el => {
                  const ctx = document.createElement('canvas').getContext('2d');
                  const style = getComputedStyle(el);
                  ctx.font = style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
                  return ctx.measureText('Н').actualBoundingBoxAscent * 25.4 / 96;
                })
                """);
            Assert.True(capitals.Length >= 4, $"{capitals.Length} key facts");
            Assert.All(capitals, mm => Assert.True(mm >= 4, $"a key fact's capitals are {mm:0.00} mm tall"));

            // Printed through Chromium's print path with the slip's CSS page size: 80 mm wide, as long as the slip.
            var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });
            File.WriteAllBytes(BrowserFixture.ScreenshotPath("slip-result-ru").Replace(".png", ".pdf"), pdf);
            var (width, height, pages) = PdfPages(pdf);
            // Chromium sizes the page in whole CSS pixels: 80 mm is 302.4 px, printed as 303 px (80.09 mm).
            Assert.InRange(width * 25.4 / 72, 79.8, 80.3);
            Assert.Equal(1, pages);
            var slipLength = double.Parse((await page.Locator("body").GetAttributeAsync("data-slip-length-mm"))!, CultureInfo.InvariantCulture);
            Assert.InRange(height * 25.4 / 72, slipLength - 0.3, slipLength + 0.3);

            // Anyone's phone opens the QR code's URL: Central's public page checks the receipt, says it is genuine and that
            // Central has decided since; in English too; accessible.
            var verifyPage = await context.NewPageAsync();
            await verifyPage.GotoAsync(receiptText);
            await Expect(verifyPage.Locator("#verdict-text")).ToHaveTextAsync("Талон подлинный");
            await Expect(verifyPage.Locator("#newer")).ToContainTextAsync("принята");
            await AccessibilityChecks.AssertNoAxeViolationsAsync(verifyPage, "public verification page (ru)");
            await verifyPage.Locator("button[data-lang=en]").ClickAsync();
            await Expect(verifyPage.Locator("#verdict-text")).ToHaveTextAsync("The slip is genuine");
            await Expect(verifyPage.Locator("html")).ToHaveAttributeAsync("lang", "en");
            await verifyPage.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("slip-verify-en"), FullPage = true });
            await verifyPage.GotoAsync(central.BaseUrl + "verify#" + SlipTestTokensForPage.Forged(receiptText));
            await Expect(verifyPage.Locator("#verdict-text")).ToContainTextAsync("not genuine");

            // Central revokes the kiosk: its key is withdrawn and the receipt it signed no longer verifies.
            using (var revoke = new HttpRequestMessage(HttpMethod.Post, $"/api/kiosks/{SyncCentral.KioskId}/revoke"))
            {
                revoke.Headers.Authorization = new("Bearer", OperatorToken);
                Assert.True((await http.SendAsync(revoke)).IsSuccessStatusCode);
            }
            var revoked = SlipToken.Verify(receiptText, SlipJwkSet.Parse(await http.GetStringAsync("/.well-known/jwks.json")));
            Assert.Equal([SlipProblems.RevokedKey], revoked.Problems);
            using var answer = await http.PostAsJsonAsync("/api/slips/verify", new { token = receiptText });
            Assert.Contains("revoked-key", await answer.Content.ReadAsStringAsync());

            Assert.DoesNotContain(sign.Iin!, node.Process.Output);
            Assert.DoesNotContain(sign.Iin!, worker.Output);
        }
        finally
        {
            output.WriteLine("worker:\n" + worker.Output);
        }
    }

    private static class SlipTestTokensForPage
    {
        public static string Forged(string qrText) =>
            Kiosk.Tests.Central.Slips.SlipTestTokens.ReplaceClaims(SlipToken.ExtractToken(qrText), j => j.Replace("\"queued\"", "\"accepted\""));
    }

    private const string OperatorToken = "operator-token-for-slip-tests-0123456789";

    /// <summary>The text of the one QR code in a picture, read by zbarimg (Debian's zbar-tools).</summary>
    private static string Zbarimg(string image)
    {
        var result = CommandLine.Run("zbarimg", Path.GetDirectoryName(image)!, ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", image],
            "apt-get install zbar-tools");
        return result.Output.Trim();
    }

    /// <summary>The first page's MediaBox (points) and the number of pages of a PDF Chromium wrote.</summary>
    internal static (double Width, double Height, int Pages) PdfPages(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var box = Regex.Match(text, @"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]");
        Assert.True(box.Success, "no MediaBox in the PDF");
        var pages = Regex.Matches(text, @"/Type\s*/Page[^s]").Count;
        return (double.Parse(box.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(box.Groups[2].Value, CultureInfo.InvariantCulture), pages);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
