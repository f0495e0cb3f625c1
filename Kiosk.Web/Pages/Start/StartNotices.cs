using System.Globalization;
using Kiosk.Core.Notices;
using Kiosk.Node;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Pages.Start;

/// <summary>
/// Which clinics' notices the start screen shows: <c>Kiosk:ClinicIds</c>, a list (<c>--Kiosk:ClinicIds:0=3</c>,
/// environment <c>Kiosk__ClinicIds__0=3</c>) or one comma-separated value (<c>--Kiosk:ClinicIds=3,7</c>). Empty (the
/// default): the clinic Central linked this kiosk to (<c>POST /api/kiosks/{id}/clinic</c>, sent with the staff list),
/// and while there is none, the notices of every clinic. The setting is for a kiosk that serves several clinics.
/// </summary>
public sealed class NoticeBoardOptions
{
    public const string Key = "Kiosk:ClinicIds";

    /// <summary>At most this many notices on the start screen: it stays calm.</summary>
    public const int MaxShown = 3;

    public IReadOnlyList<long> ClinicIds { get; set; } = [];

    /// <summary>The entry of the setting that is not a clinic id, if any (the node then refuses to start).</summary>
    internal string? Invalid { get; set; }

    /// <summary>The ids in the setting, or null (with the bad entry) when one is not a positive whole number.</summary>
    internal static (IReadOnlyList<long>? Ids, string? Bad) Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Key);
        var entries = !string.IsNullOrWhiteSpace(section.Value)
            ? section.Value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value ?? "").ToArray();
        var ids = new List<long>();
        foreach (var entry in entries)
        {
            if (!long.TryParse(entry.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1) return (null, entry);
            if (!ids.Contains(id)) ids.Add(id);
        }
        return (ids, null);
    }
}

/// <summary>One notice as the start screen shows it.</summary>
/// <param name="Language">The version's own language (kk, ru or en): it differs from the screen's when the notice has no version in the screen's language.</param>
/// <param name="BodyHtml">The body sanitised again here, links turned into text: the only HTML the page writes raw.</param>
public sealed record NoticeView(long Id, string Language, string Title, string BodyHtml);

/// <summary>
/// The start screen's clinic notices (issue 12 item 4; docs/notices.md): those valid now by the kiosk's clock (Astana
/// time is only how the window is written; the comparison is of instants), for the kiosk's clinics
/// (<see cref="NoticeBoardOptions"/>), at most <see cref="NoticeBoardOptions.MaxShown"/>, the most recently started
/// first, each in the screen's language or its fallback (<see cref="NoticeLanguages.Pick"/>), the body sanitised again
/// with <see cref="NoticeHtml"/> whatever Central did, and its links shown as text (a kiosk does not browse). A notice
/// problem never breaks the start screen: it shows none and logs why.
/// </summary>
public sealed partial class StartNotices(
    KioskNotices notices, Kiosk.Node.Staff.StaffStore staff, TimeProvider time, IOptions<NoticeBoardOptions> options, ILogger<StartNotices> logger)
{
    /// <summary>The clinics whose notices are shown: the setting's, else the kiosk's own clinic, else none named (every clinic).</summary>
    public IReadOnlyList<long> Clinics() =>
        options.Value.ClinicIds.Count > 0 ? options.Value.ClinicIds : staff.Clinic() is { } own ? [own.Id] : [];

    public IReadOnlyList<NoticeView> For(string language)
    {
        IReadOnlyList<KioskNotice> valid;
        try
        {
            valid = notices.ValidAt(time.GetUtcNow(), Clinics().ToList(), NoticeBoardOptions.MaxShown);
        }
        catch (SqliteException e)
        {
            LogUnreadable(e.SqliteErrorCode, e.Message);
            return [];
        }
        var views = new List<NoticeView>(valid.Count);
        foreach (var notice in valid)
        {
            if (NoticeLanguages.Pick(notice.Title, notice.Body, language) is not { } version) continue;
            var body = NoticeHtml.Sanitize(version.Body, notice.LinkHosts, NoticeLinks.AsText);
            // Central cleaned it already: something removed now means the copy was not Central's clean one.
            if (body.Removed.Count > 0) LogCleanedAgain(notice.Id, body.Removed.Count);
            views.Add(new NoticeView(notice.Id, version.Language, version.Title, body.Html));
        }
        return views;
    }

    [LoggerMessage(LogLevel.Warning, "The clinic notices could not be read (SQLite error {Code}: {Reason}); the start screen shows none")]
    private partial void LogUnreadable(int code, string reason);

    [LoggerMessage(LogLevel.Warning, "Notice {NoticeId}: the kiosk's sanitiser removed {Count} kinds of content Central had left in; shown without them")]
    private partial void LogCleanedAgain(long noticeId, int count);
}

public static class StartNoticesServiceCollectionExtensions
{
    /// <summary>The start screen's clinic notices and the <c>Kiosk:ClinicIds</c> setting (checked at start).</summary>
    public static IServiceCollection AddStartNotices(this IServiceCollection services)
    {
        services.AddOptions<NoticeBoardOptions>()
            .Configure<IConfiguration>((o, configuration) =>
            {
                var (ids, bad) = NoticeBoardOptions.Read(configuration);
                o.ClinicIds = ids ?? [];
                o.Invalid = bad;
            })
            .Validate(o => o.Invalid is null, $"{NoticeBoardOptions.Key} must list clinic ids (positive whole numbers, e.g. 3,7).")
            .ValidateOnStart();
        services.AddSingleton<KioskNotices>();
        services.AddSingleton<StartNotices>();
        return services;
    }
}
