using Kiosk.Central.Reference;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Notices;

/// <summary>
/// A clinic notice as the reference pull sends it to kiosks (docs/notices.md "How notices reach the kiosks"; docs/sync-protocol.md §8).
/// </summary>
/// <param name="Title">Plain text per language ('' where a language has no version).</param>
/// <param name="Body">HTML as Central sanitised it on save; the kiosk sanitises it again before showing it.</param>
/// <param name="ValidTo">Exclusive: the kiosk stops showing it then, whether or not it has heard from Central.</param>
/// <param name="ClinicIds">The clinics it is for; each kiosk shows the notices of its own clinics (Kiosk:ClinicIds).</param>
/// <param name="Version">The reference version of its last change.</param>
public sealed record ReferenceNotice(
    long Id, LocalizedText Title, LocalizedText Body, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, IReadOnlyList<long> ClinicIds, long Version)
{
    /// <summary>
    /// The notices of a pull's first page: when the pull is full (<paramref name="from"/> 0) or a notice was created,
    /// changed or withdrawn in <c>(from, upper]</c>, every notice not withdrawn and not over at <paramref name="now"/>
    /// — a complete set that replaces the kiosk's, so a withdrawn or expired notice leaves the kiosk by not being in
    /// it; otherwise null. Notices are few (tens), so the whole set is cheaper and surer than a list of changes.
    /// </summary>
    internal static IReadOnlyList<ReferenceNotice>? ForPull(SqliteConnection c, SqliteTransaction tx, long from, long upper, DateTimeOffset now)
    {
        if (from != 0 && !NoticeService.ChangedBetween(c, tx, from, upper)) return null;
        return NoticeService.ForKiosks(c, tx, now)
            .Select(n => new ReferenceNotice(n.Id, new LocalizedText(n.Title.Ru, n.Title.Kk, n.Title.En), new LocalizedText(n.Body.Ru, n.Body.Kk, n.Body.En),
                n.Window.From, n.Window.To, n.ClinicIds, n.Version))
            .ToList();
    }
}
