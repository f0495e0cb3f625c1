using System.Globalization;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;

namespace Kiosk.Core.Services.Attachment;

/// <summary>A day of the year, <c>MM-dd</c> (for example <c>09-01</c>): the ends of an attachment campaign.</summary>
public readonly record struct MonthDay(int Month, int Day) : IComparable<MonthDay>
{
    public static MonthDay Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"\"{text}\" is not a day of the year as MM-dd (for example 09-01).");

    public static bool TryParse(string? text, out MonthDay value)
    {
        value = default;
        // 2024 is a leap year, so 02-29 is a day of the year too.
        if (text is null || !DateOnly.TryParseExact("2024-" + text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return false;
        value = new MonthDay(d.Month, d.Day);
        return true;
    }

    public static MonthDay Of(DateOnly date) => new(date.Month, date.Day);

    public int CompareTo(MonthDay other) => Month != other.Month ? Month.CompareTo(other.Month) : Day.CompareTo(other.Day);

    public static bool operator <=(MonthDay a, MonthDay b) => a.CompareTo(b) <= 0;
    public static bool operator >=(MonthDay a, MonthDay b) => a.CompareTo(b) >= 0;
    public static bool operator <(MonthDay a, MonthDay b) => a.CompareTo(b) < 0;
    public static bool operator >(MonthDay a, MonthDay b) => a.CompareTo(b) > 0;

    public override string ToString() => $"{Month:D2}-{Day:D2}";
}

/// <summary>
/// The limits on voluntary changes of clinic (configuration, not code: issue 5). <paramref name="VoluntaryChangesPerYear"/>
/// changes per calendar year (Astana dates; the rules the regulation cites allow 1, current national rules 2); with a
/// campaign, a voluntary change is accepted only from <paramref name="CampaignFrom"/> to <paramref name="CampaignTo"/>,
/// both days included (a window may run over New Year, for example 12-01 … 01-31). Changes of residence and first
/// attachments are never limited.
/// </summary>
public sealed record AttachmentPolicy(int VoluntaryChangesPerYear = 1, MonthDay? CampaignFrom = null, MonthDay? CampaignTo = null)
{
    public static AttachmentPolicy Default { get; } = new();

    public bool HasCampaign => CampaignFrom is not null && CampaignTo is not null;

    public bool InCampaign(DateOnly date)
    {
        if (CampaignFrom is not { } from || CampaignTo is not { } to) return true;
        var day = MonthDay.Of(date);
        return from <= to ? day >= from && day <= to : day >= from || day <= to;
    }
}

/// <summary>What the registry says about the applicant, as far as attachment cares.</summary>
/// <param name="District">The district of the registry's address.</param>
/// <param name="AttachedClinicId">The current attachment; null when attached to none.</param>
/// <param name="VoluntaryChanges">The Astana dates of the person's earlier voluntary changes of clinic (from the attachment history).</param>
public sealed record AttachmentApplicant(
    bool InRegistry, bool Deceased, string? District, long? AttachedClinicId, IReadOnlyList<DateOnly> VoluntaryChanges)
{
    public static AttachmentApplicant NotInRegistry { get; } = new(false, false, null, null, []);
}

/// <summary>A clinic of the reference data and the districts whose residents it accepts.</summary>
public sealed record AttachmentClinic(long ClinicId, IReadOnlySet<string> Districts);

public abstract record AttachmentDecision
{
    /// <summary>Attach to <paramref name="ClinicId"/>, recorded with <paramref name="RecordedReason"/> (one of
    /// <see cref="AttachmentReasons"/>: what the change counts as, which is first-attachment for a person attached to none).</summary>
    public sealed record Accepted(long ClinicId, string RecordedReason) : AttachmentDecision;

    public sealed record Refused(string Reason) : AttachmentDecision;
}

/// <summary>
/// The provider's decision on an attachment («Прикрепление к медицинской организации ПМСП»; DESIGN §7; issue 5): the
/// person is in the registry and alive; the clinic exists; the person is not attached to it already; a first attachment
/// is for a person attached to none (anyone attached to none is attached whatever reason they gave, not counted); the
/// clinic serves the person's district — on a change of residence the new address's district when the document names
/// it; and a voluntary change falls in the campaign (when one is configured) and within the yearly limit, counted over
/// the calendar year of the signing. Judged at the signing, so a request signed in time at an offline kiosk keeps its
/// year and campaign.
/// </summary>
public static class AttachmentRule
{
    public static AttachmentDecision Decide(
        AttachmentApplicant applicant, AttachmentDetails request, AttachmentClinic? clinic, AttachmentPolicy policy, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        if (!applicant.InRegistry) return new AttachmentDecision.Refused(RefusalReasons.NotInRegistry);
        if (applicant.Deceased) return new AttachmentDecision.Refused(RefusalReasons.Deceased);
        if (clinic is null || clinic.ClinicId != request.ClinicId) return new AttachmentDecision.Refused(RefusalReasons.ClinicNotFound);
        var attached = applicant.AttachedClinicId is not null;
        if (applicant.AttachedClinicId == clinic.ClinicId) return new AttachmentDecision.Refused(RefusalReasons.AlreadyAttachedHere);
        if (attached && request.Reason == AttachmentReasons.FirstAttachment)
            return new AttachmentDecision.Refused(RefusalReasons.NotFirstAttachment);

        var district = request.Reason == AttachmentReasons.ChangeOfResidence && request.NewDistrict is { } moved ? moved : applicant.District;
        if (district is null || !clinic.Districts.Contains(district))
            return new AttachmentDecision.Refused(RefusalReasons.ClinicNotServingDistrict);

        if (!attached) return new AttachmentDecision.Accepted(clinic.ClinicId, AttachmentReasons.FirstAttachment);
        if (request.Reason == AttachmentReasons.Voluntary)
        {
            var day = DateOnly.FromDateTime(AstanaTime.ToLocal(signedAt));
            if (!policy.InCampaign(day)) return new AttachmentDecision.Refused(RefusalReasons.OutsideCampaign);
            if (applicant.VoluntaryChanges.Count(d => d.Year == day.Year) >= policy.VoluntaryChangesPerYear)
                return new AttachmentDecision.Refused(RefusalReasons.VoluntaryLimitReached);
        }
        return new AttachmentDecision.Accepted(clinic.ClinicId, request.Reason);
    }
}
