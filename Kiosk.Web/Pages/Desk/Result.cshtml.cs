using System.Globalization;
using Kiosk.Core.Requests;
using Kiosk.Core.Slips;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Web.Desk;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.Status;
using Kiosk.Web.Slips;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Desk;

/// <summary>
/// Regulation diagram 2, process 8: the result told to the citizen "with the date and time" — the visit, the slot,
/// the attachment — or the provider's reasoned refusal, as Central decided it, and the usual 80 mm slip to print (the
/// receipt at once, the result or refusal once decided). While Central's decision is on its way (the sync worker
/// pushes a new request within a second and pulls the decision after) the page refreshes itself every few seconds.
/// </summary>
public sealed class ResultModel(IStringLocalizer<SharedResource> t, DeskCases cases, StaffStore staff, RequestStatusQuery status,
    SlipIssuing slips, ReferenceStore reference, DeskSurvey survey, TimeProvider time) : DeskPageModel(cases, staff)
{
    public const string PagePath = "/desk/result";

    /// <summary>How long the page keeps refreshing itself while no decision has come.</summary>
    public static readonly TimeSpan WaitForDecision = TimeSpan.FromMinutes(2);

    public RequestStatusItem Item { get; private set; } = null!;

    /// <summary>What to tell the citizen: the visit, the slot or the attachment, with date and time.</summary>
    public string? Told { get; private set; }

    /// <summary>The decision's slip kind (result or refusal) once it came; the receipt is always there.</summary>
    public string? DecisionSlip { get; private set; }

    public bool Waiting { get; private set; }

    /// <summary>The appendix-3 survey once the request is decided (<see cref="DeskSurvey"/>), or null.</summary>
    public SurveyOffer? Survey { get; private set; }

    public IActionResult OnGet() => Show(surveyProblem: false);

    /// <summary>One tap on an answer of the survey (antiforgery): stored at once, then back to the result at the survey.</summary>
    public IActionResult OnPostSurvey(Guid requestId, string? question, string? rating)
    {
        if (Load() is { } away) return away;
        return survey.Answer(Case, Item, Clinic?.Id, requestId, question, rating) == SurveyTap.Recorded
            ? Redirect(PagePath + "#survey")
            : Show(surveyProblem: true);
    }

    /// <summary>"Skip the survey" (antiforgery).</summary>
    public IActionResult OnPostSurveySkip(Guid requestId)
    {
        if (Load() is { } away) return away;
        survey.Skip(Case, requestId);
        return Redirect(PagePath);
    }

    private IActionResult Show(bool surveyProblem)
    {
        if (Load() is { } away) return away;
        Waiting = !RequestStatusRule.IsFinal(Item.Status) && time.GetUtcNow() - Case.SignedAt!.Value < WaitForDecision;
        if (Item.Status == RequestStatus.Accepted) Told = TellAccepted();
        var kinds = slips.LatestKinds([Case.RequestId]);
        DecisionSlip = kinds[Case.RequestId] is SlipKinds.Result or SlipKinds.Refusal ? kinds[Case.RequestId] : null;
        Survey = survey.Offer(Case, Item, surveyProblem);
        return Page();
    }

    /// <summary>The case and its request's status; null when there is one, else where to go instead.</summary>
    private IActionResult? Load()
    {
        if (LoadCase() is { } away) return away;
        if (Case.SignedAt is null || status.One(Case.RequestId) is not { } row) return Redirect(DeskServices.FormPath(Case.Service));
        Item = RequestStatusItem.From(row, KioskLanguages.Current, time.GetUtcNow());
        return null;
    }

    /// <summary>The next citizen: the case is closed (the request stays in the node's file and at Central).</summary>
    public IActionResult OnPostNext()
    {
        Cases.Clear(HttpContext);
        return Redirect(StartPath);
    }

    private string? TellAccepted()
    {
        var lang = KioskLanguages.Current;
        switch (Case.Details)
        {
            case HomeCallDetails when Item.Visit is { } v:
                return t["Desk.Result.Visit", v.Date, v.From, v.To];
            case AppointmentDetails a:
                var doctor = reference.Doctor(a.DoctorId);
                var who = doctor is null ? "" : $"{doctor.Surname} {doctor.FirstName} {doctor.Patronymic}".TrimEnd();
                return t["Desk.Result.Appointment", AstanaTime.ToLocal(a.SlotStart).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
                    AstanaTime.ToLocal(a.SlotStart).ToString("HH:mm", CultureInfo.InvariantCulture), who, doctor?.Room ?? ""];
            case AttachmentDetails at:
                return t["Desk.Result.Attachment", reference.Clinic(at.ClinicId)?.Name(lang) ?? at.ClinicId.ToString(CultureInfo.InvariantCulture),
                    AstanaTime.ToLocal(Case.SignedAt!.Value).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)];
            default:
                return null;
        }
    }
}
