using Kiosk.Core.Notices;
using Kiosk.Core.Time;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Notices;

/// <summary>The rules of a notice (<see cref="NoticeRules"/>), its language fallback and its window, on a fake clock.</summary>
public sealed class NoticeRulesTests
{
    private static readonly FakeTimeProvider Clock = new(AstanaTime.ToUtc(new DateOnly(2026, 3, 2), new TimeOnly(9, 0)));
    private static DateTimeOffset Now => Clock.GetUtcNow();

    private static readonly IReadOnlyDictionary<long, string?> Clinics = new Dictionary<long, string?>
    {
        [1] = "https://emhana-1.astana.kz/",
        [2] = "https://emhana-2.astana.kz",
        [3] = null,
    };

    private static NoticeDraft Draft(
        string ru = "Прививки от гриппа", string body = "<p>Каждый день</p>", IReadOnlyList<long>? clinics = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string kk = "", string en = "", string kkBody = "", string enBody = "") =>
        new(new NoticeText(kk, ru, en), new NoticeText(kkBody, body, enBody), from ?? Now.AddHours(-1), to ?? Now.AddDays(7), clinics ?? [1]);

    private static IReadOnlyList<(string Field, string Code)> Errors(NoticeDraft draft) =>
        NoticeRules.Check(draft, Now, Clinics).Errors.Select(e => (e.Field, e.Code)).ToList();

    [Fact]
    public void A_good_notice_passes_with_its_texts_cleaned_and_its_clinics_sorted()
    {
        var check = NoticeRules.Check(Draft(ru: "  Прививки\tот   гриппа ", body: "<p onclick=x()>Каждый <b>день</b></p><script>x</script>", clinics: [2, 1, 2]),
            Now, Clinics);
        Assert.True(check.Ok, string.Join("; ", check.Errors));
        var notice = check.Notice!;
        Assert.Equal("Прививки от гриппа", notice.Title.Ru);
        Assert.Equal("<p>Каждый <b>день</b></p>", notice.Body.Ru);
        Assert.Equal(("", ""), (notice.Title.Kk, notice.Body.En));
        Assert.Equal([1L, 2L], notice.ClinicIds);
        Assert.Equal(["<script>", "onclick="], check.Removed["ru"]);
        Assert.Equal(TimeSpan.Zero, notice.Window.From.Offset);
    }

    [Fact]
    public void Links_may_go_to_the_target_clinics_sites_only()
    {
        var body = "<a href=\"https://emhana-1.astana.kz/a\">1</a> <a href=\"https://emhana-2.astana.kz/b\">2</a>";
        var forOne = NoticeRules.Check(Draft(body: body, clinics: [1]), Now, Clinics).Notice!;
        Assert.Contains("https://emhana-1.astana.kz/a", forOne.Body.Ru);
        Assert.DoesNotContain("emhana-2", forOne.Body.Ru);
        var forBoth = NoticeRules.Check(Draft(body: body, clinics: [1, 2]), Now, Clinics).Notice!;
        Assert.Contains("https://emhana-2.astana.kz/b", forBoth.Body.Ru);
        // A clinic without a site: its notice has no links at all.
        Assert.Equal("1 2", NoticeRules.Check(Draft(body: body, clinics: [3]), Now, Clinics).Notice!.Body.Ru);
    }

    [Theory]
    [InlineData("<b>Грипп</b>", "html")]
    [InlineData("Грипп </p>", "html")]
    [InlineData("<!-- x -->Грипп", "html")]
    [InlineData("Грипп\u0007", "control-characters")]
    [InlineData("Гр\u202Eипп", "control-characters")]
    public void A_title_is_plain_text(string title, string code) =>
        Assert.Equal([("title.ru", code)], Errors(Draft(ru: title)));

    [Theory]
    [InlineData("a < b и 5 > 3")]
    [InlineData("Приём → 08:00 <-> 13:00")]
    [InlineData("AT&T")]
    public void Comparison_signs_and_ampersands_are_allowed_in_a_title(string title) =>
        Assert.True(NoticeRules.Check(Draft(ru: title), Now, Clinics).Ok);

    [Fact]
    public void Sizes_are_limited()
    {
        Assert.True(NoticeRules.Check(Draft(ru: new string('я', NoticeRules.MaxTitleLength)), Now, Clinics).Ok);
        Assert.Equal([("title.ru", "too-long")], Errors(Draft(ru: new string('я', NoticeRules.MaxTitleLength + 1))));
        Assert.Equal([("body.ru", "too-long")], Errors(Draft(body: "<p>" + new string('я', NoticeRules.MaxBodyLength) + "</p>")));
        // Too long as written is refused before it is parsed; script that is cleaned away does not count.
        Assert.Equal([("body.ru", "too-long")], Errors(Draft(body: new string('я', NoticeRules.MaxBodyInputLength + 1))));
        Assert.True(NoticeRules.Check(Draft(body: "<script>" + new string('x', 10_000) + "</script><p>ok</p>"), Now, Clinics).Ok);
    }

    [Fact]
    public void A_body_needs_a_title_in_its_language_and_some_language_needs_a_title()
    {
        Assert.Equal([("title.kk", "body-without-title")], Errors(Draft(kkBody: "<p>Мәтін</p>")));
        Assert.Equal([("title", "required")], Errors(Draft(ru: "", body: "")));
        // A body that is nothing once cleaned is no body: the title alone is a notice.
        var check = NoticeRules.Check(Draft(kk: "Тұмау", kkBody: "<script>x</script><p> </p>"), Now, Clinics);
        Assert.True(check.Ok);
        Assert.Equal("", check.Notice!.Body.Kk);
        // Only English is fine too (the kiosk falls back to it).
        Assert.True(NoticeRules.Check(Draft(ru: "", body: "", en: "Flu jabs"), Now, Clinics).Ok);
    }

    [Fact]
    public void The_window_is_checked_on_the_clock()
    {
        Assert.Equal([("validFrom", "required"), ("validTo", "required")],
            Errors(new NoticeDraft(new NoticeText("", "Грипп", ""), NoticeText.Empty, null, null, [1])));
        Assert.Equal([("validTo", "order")], Errors(Draft(from: Now, to: Now)));
        Assert.Equal([("validTo", "over")], Errors(Draft(from: Now.AddDays(-3), to: Now.AddMinutes(-1))));
        Assert.Equal([("validTo", "window-too-long")], Errors(Draft(from: Now, to: Now + NoticeRules.MaxWindow + TimeSpan.FromSeconds(1))));
        // Not started yet is fine: it is shown from its start.
        Assert.True(NoticeRules.Check(Draft(from: Now.AddDays(2), to: Now.AddDays(3)), Now, Clinics).Ok);
        // Past the end a minute later on the same clock.
        var draft = Draft(from: Now.AddDays(-1), to: Now.AddMinutes(1));
        Assert.True(NoticeRules.Check(draft, Clock.GetUtcNow(), Clinics).Ok);
        var later = new FakeTimeProvider(Now.AddMinutes(2));
        Assert.Equal("over", Assert.Single(NoticeRules.Check(draft, later.GetUtcNow(), Clinics).Errors).Code);
    }

    [Fact]
    public void Clinics_must_be_known_and_at_least_one()
    {
        Assert.Equal([("clinicIds", "required")], Errors(Draft(clinics: [])));
        Assert.Equal([("clinicIds", "unknown-clinic")], Errors(Draft(clinics: [1, 99])));
        Assert.Contains("99", NoticeRules.Check(Draft(clinics: [99]), Now, Clinics).Errors.Single().Message);
        var many = Enumerable.Range(1, NoticeRules.MaxClinics + 1).Select(i => (long)i).ToList();
        Assert.Contains(("clinicIds", "too-many"), Errors(Draft(clinics: many)));
    }

    [Fact]
    public void Every_error_of_a_bad_draft_is_told_at_once_with_a_message()
    {
        var check = NoticeRules.Check(new NoticeDraft(new NoticeText("<b>x</b>", "", ""), new NoticeText("", "", "<p>e</p>"), Now, Now.AddDays(-1), []), Now, Clinics);
        Assert.False(check.Ok);
        Assert.Equal(["clinicIds", "title.kk", "title.en", "validTo"], check.Errors.Select(e => e.Field));
        Assert.All(check.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Theory]
    [InlineData("kk", "kk", "Тұмау")]
    [InlineData("en", "en", "Flu")]
    [InlineData("ru", "ru", "Грипп")]
    public void A_language_with_a_version_shows_its_own(string language, string expected, string title)
    {
        var version = NoticeLanguages.Pick(new NoticeText("Тұмау", "Грипп", "Flu"), new NoticeText("kk body", "ru body", "en body"), language)!;
        Assert.Equal((expected, title, expected + " body"), (version.Language, version.Title, version.Body));
    }

    [Fact]
    public void A_missing_language_falls_back_to_Russian_then_Kazakh_then_English_title_and_body_together()
    {
        var ruOnly = NoticeLanguages.Pick(new NoticeText("", "Грипп", ""), new NoticeText("", "<p>ru</p>", ""), "kk")!;
        Assert.Equal(("ru", "Грипп", "<p>ru</p>"), (ruOnly.Language, ruOnly.Title, ruOnly.Body));
        var kkAndEn = NoticeLanguages.Pick(new NoticeText("Тұмау", "", "Flu"), new NoticeText("<p>kk</p>", "", "<p>en</p>"), "ru")!;
        Assert.Equal(("kk", "<p>kk</p>"), (kkAndEn.Language, kkAndEn.Body));
        var enOnly = NoticeLanguages.Pick(new NoticeText("", "", "Flu"), new NoticeText("", "", ""), "kk")!;
        Assert.Equal(("en", "Flu", ""), (enOnly.Language, enOnly.Title, enOnly.Body));
        // A body without a title in the screen's language is not mixed with another language's title.
        var noMix = NoticeLanguages.Pick(new NoticeText("", "Грипп", ""), new NoticeText("<p>kk</p>", "<p>ru</p>", ""), "kk")!;
        Assert.Equal(("ru", "<p>ru</p>"), (noMix.Language, noMix.Body));
        Assert.Null(NoticeLanguages.Pick(NoticeText.Empty, NoticeText.Empty, "ru"));
    }

    [Fact]
    public void The_window_includes_its_start_and_excludes_its_end()
    {
        var window = new NoticeWindow(Now, Now.AddHours(1));
        Assert.False(window.Contains(Now.AddTicks(-1)));
        Assert.True(window.Contains(Now));
        Assert.True(window.Contains(Now.AddHours(1).AddTicks(-1)));
        Assert.False(window.Contains(Now.AddHours(1)));
        Assert.True(window.IsOver(Now.AddHours(1)));
    }

    [Theory]
    [InlineData("https://emhana-1.astana.kz/", "emhana-1.astana.kz")]
    [InlineData("https://EMHANA-1.Astana.KZ", "emhana-1.astana.kz")]
    [InlineData("https://емхана.kz/", "xn--80aan2ag0c.kz")]
    [InlineData("http://emhana-1.astana.kz/", null)]
    [InlineData("https://emhana-1.astana.kz:8443/", null)]
    [InlineData("https://user@emhana-1.astana.kz/", null)]
    [InlineData("https://10.1.2.3/", null)]
    [InlineData("https://localhost/", null)]
    [InlineData("emhana-1.astana.kz", null)]
    [InlineData("", null)]
    public void A_clinic_website_is_https_on_a_host_name(string website, string? host) =>
        Assert.Equal(host, ClinicWebsite.HostOf(website));
}
