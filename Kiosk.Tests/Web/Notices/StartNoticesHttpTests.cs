using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Kiosk.Storage;
using Kiosk.Tests.Web.Status;
using Kiosk.Web.Infrastructure;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kiosk.Tests.Web.Notices;

/// <summary>
/// The start screen's notices through the real kiosk app on Kestrel: rows written straight into the kiosk's SQLite file
/// (as a tampered or buggy copy would be: not Central's clean output), so what the page shows is the kiosk's own second
/// sanitising at work; titles are encoded; language fallback; <c>Kiosk:ClinicIds</c>.
/// </summary>
public sealed partial class StartNoticesHttpTests
{
    private static void Insert(string databasePath, long id, string titleRu, string bodyRu, long[] clinics,
        string titleKk = "", string bodyKk = "", string titleEn = "", string bodyEn = "", int fromHours = -1, int toHours = 24)
    {
        var now = DateTimeOffset.UtcNow;
        using var c = StatusRows.Database(databasePath).Open();
        c.Execute("""
            INSERT INTO notices (id, title_kk, title_ru, title_en, body_kk, body_ru, body_en, valid_from, valid_to, version)
            VALUES (@id, @titleKk, @titleRu, @titleEn, @bodyKk, @bodyRu, @bodyEn, @from, @to, 1)
            """, new { id, titleKk, titleRu, titleEn, bodyKk, bodyRu, bodyEn,
            from = DapperTypeHandlers.Format(now.AddHours(fromHours)), to = DapperTypeHandlers.Format(now.AddHours(toHours)) });
        foreach (var clinic in clinics)
            c.Execute("INSERT INTO notice_clinics (notice_id, clinic_id) VALUES (@id, @clinic)", new { id, clinic });
    }

    private static void Clinic(string databasePath, long id, string? website)
    {
        using var c = StatusRows.Database(databasePath).Open();
        c.Execute("""
            INSERT INTO clinics (id, name_ru, name_kk, name_en, address, website, version) VALUES (@id, 'П', 'Е', 'C', 'Астана', @website, 1)
            """, new { id, website });
    }

    private static async Task<string> StartScreenAsync(KioskAppHost host, string? lang = null)
    {
        using var client = host.NewClient();
        if (lang is not null)
            client.Cookies.Add(client.BaseAddress, new Cookie(KioskLanguages.CookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(KioskLanguages.Find(lang)!.Culture))));
        var (response, html) = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return html;
    }

    private static string Section(string html)
    {
        var start = html.IndexOf("<section class=\"notices\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no notices section");
        return html[start..(html.IndexOf("</section>", start, StringComparison.Ordinal) + "</section>".Length)];
    }

    [Fact]
    public async Task A_hostile_copy_in_the_kiosks_file_is_sanitised_again_and_its_title_encoded()
    {
        await using var host = await KioskAppHost.StartAsync();
        Clinic(host.DatabasePath, 1, "https://emhana-1.astana.kz/");
        Insert(host.DatabasePath, 7, "<script>alert('title')</script> Грипп",
            "<p onclick=\"alert(1)\">Прививки <b>бесплатно</b>.</p><script>alert(2)</script><img src=x onerror=alert(3)>" +
            "<svg onload=alert(4)></svg><iframe srcdoc=\"<script>alert(5)</script>\"></iframe><style>*{display:none}</style>" +
            "<a href=\"javascript:alert(6)\">js</a> <a href=\"https://evil.example/\">чужой</a> " +
            "<a href=\"https://emhana-1.astana.kz/flu\" target=\"_blank\">Подробнее</a>", [1]);

        var notices = Section(await StartScreenAsync(host));

        Assert.Contains("Объявления", notices);
        Assert.Contains("&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; Грипп", notices);
        Assert.Contains("<p>Прививки <b>бесплатно</b>.</p>", notices);
        Assert.Contains("js чужой", notices);
        Assert.Contains("<span class=\"notice-link\">Подробнее <span class=\"notice-link__address\">emhana-1.astana.kz/flu</span></span>", notices);
        Assert.Contains("id=\"notices-addresses\"", notices);
        foreach (var bad in new[] { "<script", "<img", "<iframe", "<style", "javascript:", "evil.example", "<a ", "href=", "target=" })
            Assert.DoesNotContain(bad, notices, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(OnAttribute(), notices);
        // The heading's icon is the only SVG, and it is the page's own.
        Assert.Single(Regex.Matches(notices, "<svg"));
    }

    [Fact]
    public async Task Each_language_shows_its_version_and_a_missing_one_falls_back_to_Russian()
    {
        await using var host = await KioskAppHost.StartAsync();
        Insert(host.DatabasePath, 1, "Грипп", "<p>ru</p>", [1], titleKk: "Тұмау", bodyKk: "<p>kk</p>", titleEn: "Flu", bodyEn: "<p>en</p>");
        Insert(host.DatabasePath, 2, "Только по-русски", "<p>только ru</p>", [1], fromHours: -2);

        var kk = Section(await StartScreenAsync(host, "kk"));
        Assert.Contains("Хабарландырулар", kk);
        Assert.Contains("<h3 class=\"clinic-notice__title\">Тұмау</h3>", kk);
        Assert.Matches("data-notice-id=\"2\" data-lang=\"ru\"\\s+lang=\"ru\"", kk);
        Assert.Matches("data-notice-id=\"1\" data-lang=\"kk\"\\s*>", kk); // its own language: no lang of its own
        var en = Section(await StartScreenAsync(host, "en"));
        Assert.Contains("Announcements", en);
        Assert.Contains("<p>en</p>", en);
        Assert.Contains("Только по-русски", en);
        var ru = Section(await StartScreenAsync(host));
        Assert.Contains("<p>ru</p>", ru);
        // Newest start first.
        Assert.True(ru.IndexOf("notice-1", StringComparison.Ordinal) < ru.IndexOf("notice-2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_kiosks_clinics_choose_the_notices_at_most_three_and_none_gives_no_section()
    {
        await using (var all = await KioskAppHost.StartAsync())
        {
            Assert.DoesNotContain("id=\"notices\"", await StartScreenAsync(all));
            for (var i = 1; i <= 5; i++) Insert(all.DatabasePath, i, "Объявление " + i, "", [i % 2 + 1], fromHours: -i);
            var shown = Ids().Matches(Section(await StartScreenAsync(all))).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(["1", "2", "3"], shown);
        }

        await using var one = await KioskAppHost.StartAsync("--Kiosk:ClinicIds=1");
        for (var i = 1; i <= 5; i++) Insert(one.DatabasePath, i, "Объявление " + i, "", [i % 2 + 1], fromHours: -i);
        Assert.Equal(["2", "4"], Ids().Matches(Section(await StartScreenAsync(one))).Select(m => m.Groups[1].Value));
        Assert.Equal([1L], one.Services.GetRequiredService<IOptions<Kiosk.Web.Pages.Start.NoticeBoardOptions>>().Value.ClinicIds);
    }

    [Fact]
    public async Task Without_the_setting_the_clinic_Central_linked_the_kiosk_to_chooses_the_notices()
    {
        await using var host = await KioskAppHost.StartAsync();
        for (var i = 1; i <= 4; i++) Insert(host.DatabasePath, i, "Объявление " + i, "", [i % 2 + 1], fromHours: -i);
        Assert.Equal(["1", "2", "3"], Ids().Matches(Section(await StartScreenAsync(host))).Select(m => m.Groups[1].Value));
        // The staff list from Central names the kiosk's clinic (2): only its notices now.
        Kiosk.Tests.Web.Staff.NodeStaff.Seed(host.DatabasePath, clinicId: 2);
        Assert.Equal(["1", "3"], Ids().Matches(Section(await StartScreenAsync(host))).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task Kiosk_ClinicIds_takes_a_list_or_commas_and_refuses_anything_else()
    {
        await using (var list = await KioskAppHost.StartAsync("--Kiosk:ClinicIds:0=3", "--Kiosk:ClinicIds:1=7"))
            Assert.Equal([3L, 7], list.Services.GetRequiredService<IOptions<Kiosk.Web.Pages.Start.NoticeBoardOptions>>().Value.ClinicIds);
        await using (var commas = await KioskAppHost.StartAsync("--Kiosk:ClinicIds=3, 7,3"))
            Assert.Equal([3L, 7], commas.Services.GetRequiredService<IOptions<Kiosk.Web.Pages.Start.NoticeBoardOptions>>().Value.ClinicIds);
        var bad = await Assert.ThrowsAsync<OptionsValidationException>(() => KioskAppHost.StartAsync("--Kiosk:ClinicIds=3,seven"));
        Assert.Contains("Kiosk:ClinicIds", bad.Message);
    }

    [GeneratedRegex("\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex OnAttribute();

    [GeneratedRegex("data-notice-id=\"(\\d+)\"")]
    private static partial Regex Ids();
}
