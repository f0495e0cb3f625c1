using System.Globalization;
using Kiosk.Web.Infrastructure;

namespace Kiosk.Tests.Web;

/// <summary>The kiosk's cultures are real ICU cultures here (no invariant-globalization mode).</summary>
public class CultureTests
{
    [Theory]
    [InlineData("kk-KZ", "қаңтар")]
    [InlineData("ru-RU", "январь")]
    [InlineData("en-US", "January")]
    public void Each_kiosk_culture_formats_in_its_own_language(string culture, string january)
    {
        var info = new CultureInfo(culture);
        Assert.Equal(january, info.DateTimeFormat.GetMonthName(1), ignoreCase: true);
        Assert.Contains(KioskLanguages.All, l => l.Culture == culture && l.Code == info.TwoLetterISOLanguageName);
    }

    [Fact]
    public void Kazakh_dates_use_kazakh_month_names_in_a_long_date()
    {
        var text = new DateTime(2026, 3, 8).ToString("D", new CultureInfo("kk-KZ"));
        Assert.Contains("наурыз", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("kk", "kk")]
    [InlineData("RU", "ru")]
    [InlineData(" en ", "en")]
    [InlineData("de", null)]
    [InlineData(null, null)]
    public void Language_codes_are_found_without_regard_to_case(string? code, string? expected) =>
        Assert.Equal(expected, KioskLanguages.Find(code)?.Code);
}
