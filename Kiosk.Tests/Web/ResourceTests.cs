using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Kiosk.Tests.Support;
using Kiosk.Web;
using Kiosk.Web.Pages.Start;

namespace Kiosk.Tests.Web;

/// <summary>The kiosk's texts: Russian (neutral), Kazakh and English carry the same keys, all filled in.</summary>
public partial class ResourceTests
{
    private static readonly ResourceManager Resources =
        new("Kiosk.Web.Resources.SharedResource", typeof(SharedResource).Assembly);

    private static Dictionary<string, string> Texts(string culture)
    {
        var set = Resources.GetResourceSet(culture == "" ? CultureInfo.InvariantCulture : new CultureInfo(culture),
            createIfNotExists: true, tryParents: false) ?? throw new InvalidOperationException($"No {culture} resources.");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as string ?? "");
    }

    [Theory]
    [InlineData("kk")]
    [InlineData("en")]
    public void Every_russian_key_is_translated_and_nothing_more(string culture)
    {
        var neutral = Texts("");
        var translated = Texts(culture);

        Assert.Empty(neutral.Keys.Except(translated.Keys));
        Assert.Empty(translated.Keys.Except(neutral.Keys));
        Assert.All(translated, t => Assert.False(string.IsNullOrWhiteSpace(t.Value), $"{culture}: {t.Key} is empty"));
        Assert.All(neutral, t => Assert.False(string.IsNullOrWhiteSpace(t.Value), $"ru: {t.Key} is empty"));
    }

    [Theory]
    [InlineData("kk")]
    [InlineData("en")]
    public void Format_placeholders_match_the_russian_text(string culture)
    {
        var neutral = Texts("");
        foreach (var (key, text) in Texts(culture))
            Assert.True(Placeholders(neutral[key]).SetEquals(Placeholders(text)), $"{culture}: {key} has other placeholders");
    }

    [Fact]
    public void Kazakh_is_written_with_its_own_letters_and_english_in_latin()
    {
        var kazakh = string.Concat(Texts("kk").Values);
        var letters = "әғқңөұүі".Where(c => kazakh.Contains(c)).ToList();
        Assert.True(letters.Count >= 7, $"Kazakh texts use only {new string(letters.ToArray())}");

        var english = Texts("en").Where(t => Cyrillic().IsMatch(t.Value)).Select(t => t.Key).ToList();
        Assert.Empty(english);
    }

    [Fact]
    public void Russian_is_the_neutral_language_and_the_localizer_falls_back_to_it()
    {
        Assert.Equal("Вызов врача на дом", Resources.GetString("Service.home-call.Name", new CultureInfo("ru-RU")));
        Assert.Equal("Дәрігерді үйге шақыру", Resources.GetString("Service.home-call.Name", new CultureInfo("kk-KZ")));
        Assert.Equal("Home doctor call", Resources.GetString("Service.home-call.Name", new CultureInfo("en-US")));
    }

    [Fact]
    public void Every_key_the_pages_use_exists()
    {
        var neutral = Texts("");
        var pages = Path.Combine(Solution.Root, "Kiosk.Web", "Pages");
        var used = Directory.EnumerateFiles(pages, "*.cs*", SearchOption.AllDirectories)
            .SelectMany(f => UsedKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Concat(ServiceMenu.All.SelectMany(s => new[] { s.NameKey, s.DescriptionKey }))
            .Concat(ServiceMenu.Services.Select(s => $"Help.Gives.{s.Code}"))
            .Distinct()
            .ToList();

        Assert.True(used.Count > 40, "the scan found too few keys to be right");
        // A key ending in "." is the fixed part of a key made from a code (T["Slip.Kind." + kind]): its family must exist;
        // Every_code_a_slip_shows_has_its_text checks the members.
        Assert.DoesNotContain(used, k => k.EndsWith('.') ? !neutral.Keys.Any(n => n.StartsWith(k, StringComparison.Ordinal)) : !neutral.ContainsKey(k));
    }

    [Fact]
    public void Every_code_a_slip_shows_has_its_text()
    {
        string[] codes =
        [
            .. new[] { Kiosk.Core.Slips.SlipKinds.Receipt, Kiosk.Core.Slips.SlipKinds.Result, Kiosk.Core.Slips.SlipKinds.Refusal }
                .SelectMany(k => new[] { "Slip.Kind." + k, "Slip.PrintFor." + k }),
            .. new[] { "queued", "accepted", "refused" }.Select(d => "Slip.Decision." + d),
            .. typeof(Kiosk.Core.Slips.SlipProblems).GetFields().Select(f => "Staff.Slips.Problem." + f.GetValue(null)),
            .. Kiosk.Core.Requests.RequestKinds.All.Select(k => "Service." + k + ".Name"),
        ];
        foreach (var language in new[] { "", "kk", "en" })
        {
            var texts = Texts(language);
            Assert.DoesNotContain(codes, c => !texts.ContainsKey(c));
        }
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{\d+[^}]*\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[\u0400-\u04FF]")]
    private static partial Regex Cyrillic();

    // T["Key"] in the views, t["Key"] in page models and "SignIn.Error.…" keys returned by validators.
    [GeneratedRegex(@"(?:\b[Tt]\[\s*""|""(?=SignIn\.Error\.))([A-Za-z][A-Za-z0-9.\-]+)""")]
    private static partial Regex UsedKey();
}
