using System.Globalization;
using Dapper;
using Kiosk.Core.Requests;
using Kiosk.Core.Services.Attachment;
using Kiosk.Core.Time;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Kiosk.Central.Services;

/// <summary>
/// The <c>Attachment</c> configuration section: the limits on voluntary changes of clinic (issue 5: configuration, not
/// code). <c>Attachment:VoluntaryChangesPerYear</c> (default 1, as in the rules the regulation cites; current national
/// rules allow 2); <c>Attachment:CampaignFrom</c> and <c>Attachment:CampaignTo</c> as <c>MM-dd</c>, both or neither
/// (for example <c>09-01</c> and <c>11-01</c>): with them, voluntary changes are accepted only in that window.
/// </summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachment";

    public int VoluntaryChangesPerYear { get; set; } = 1;

    public string? CampaignFrom { get; set; }

    public string? CampaignTo { get; set; }

    public bool IsValid =>
        VoluntaryChangesPerYear >= 0
        && string.IsNullOrWhiteSpace(CampaignFrom) == string.IsNullOrWhiteSpace(CampaignTo)
        && (string.IsNullOrWhiteSpace(CampaignFrom) || (MonthDay.TryParse(CampaignFrom, out _) && MonthDay.TryParse(CampaignTo, out _)));

    public AttachmentPolicy ToPolicy() => string.IsNullOrWhiteSpace(CampaignFrom)
        ? new AttachmentPolicy(VoluntaryChangesPerYear)
        : new AttachmentPolicy(VoluntaryChangesPerYear, MonthDay.Parse(CampaignFrom), MonthDay.Parse(CampaignTo!));
}

/// <summary>
/// Central's decision on an attachment (issue 5; docs/appointments-and-attachment.md), inside the intake's registration
/// transaction: the facts from the registry and the attachment history, <see cref="AttachmentRule"/>, and on acceptance
/// the move — the current attachment is closed (<c>detached_on</c>) and a new row opened with its reason and request,
/// so the history is kept and voluntary changes can be counted from it. Where the person's home calls and appointments
/// go follows the current row from then on. Both clinics take a new reference version (their attached counts changed).
/// </summary>
public sealed class AttachmentDecider(IOptions<AttachmentOptions> options)
{
    public AttachmentPolicy Policy { get; } = options.Value.ToPolicy();

    public ServiceDecision Decide(SqliteConnection c, SqliteTransaction tx, RequestDocument document, AttachmentDetails request,
        DateTimeOffset judgedAt, DateTimeOffset decidedAt)
    {
        var iin = document.ApplicantIin.Value;
        var applicant = RegistryFacts.Person(c, tx, iin) is { } p
            ? new AttachmentApplicant(true, p.Deceased, p.District, p.AttachedClinicId,
                c.Query<string>("SELECT attached_on FROM attachments WHERE iin = @iin AND reason = 'voluntary'", new { iin }, tx)
                    .Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList())
            : AttachmentApplicant.NotInRegistry;
        AttachmentClinic? clinic = null;
        if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM clinics WHERE id = @id", new { id = request.ClinicId }, tx) > 0)
            clinic = new AttachmentClinic(request.ClinicId,
                c.Query<string>("SELECT district FROM clinic_districts WHERE clinic_id = @id", new { id = request.ClinicId }, tx).ToHashSet(StringComparer.Ordinal));

        switch (AttachmentRule.Decide(applicant, request, clinic, Policy, judgedAt))
        {
            case AttachmentDecision.Accepted a:
                var today = AstanaTime.ToLocal(decidedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                c.Execute("UPDATE attachments SET detached_on = @today WHERE iin = @iin AND detached_on IS NULL", new { iin, today }, tx);
                c.Execute("""
                    INSERT INTO attachments (iin, clinic_id, attached_on, reason, request_id)
                    VALUES (@iin, @clinic, @today, @reason, @requestId)
                    """, new { iin, clinic = a.ClinicId, today, reason = a.RecordedReason, requestId = document.RequestId.ToString("D") }, tx);
                var version = RegistryFacts.NewReferenceVersion(c, tx, decidedAt, "attachment moved");
                c.Execute("UPDATE clinics SET version = @version WHERE id IN (@to, @from)",
                    new { version, to = a.ClinicId, from = applicant.AttachedClinicId ?? a.ClinicId }, tx);
                return ServiceDecision.Accepted(a.ClinicId);
            case AttachmentDecision.Refused r:
                return ServiceDecision.Refused(r.Reason);
            default:
                throw new InvalidOperationException("Unknown attachment decision.");
        }
    }
}
