using System.Globalization;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.Start;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Status;

/// <summary>
/// "Check my request" (issue 4 item 5; regulation: «ИИН, номер запроса, тип услуги, статус запроса, срок оказания
/// услуги» and «обновить статус»): the signed-in citizen's own requests, newest first — the request number, the
/// service, the status, the service deadline, and once decided the decision with its reason or the visit window — and
/// when the kiosk last reached Central. The literal route wins over <c>/services/{code}</c>, so sign-in for "check my
/// request" lands here. Without a signed-in citizen it asks for sign-in (and comes back here after it).
/// "Refresh status" is a post (antiforgery) that redirects back (post/redirect/get); every GET reads the kiosk's file
/// afresh, where the sync worker writes what Central answered.
/// </summary>
public sealed class IndexModel(RequestStatusQuery query, Kiosk.Web.Slips.SlipIssuing slips, TimeProvider time, ILogger<IndexModel> logger,
    Kiosk.Web.Pages.Services.Appointment.CitizenAppointments appointments, StatusSurvey survey) : PageModel
{
    public const string PagePath = "/services/status";

    public string DisplayName { get; private set; } = "";

    public string MaskedIin { get; private set; } = "";

    public IReadOnlyList<RequestStatusItem> Requests { get; private set; } = [];

    /// <summary>The slip each request can print (or reprint): the decision's once it came, else the receipt.</summary>
    public IReadOnlyDictionary<Guid, string> SlipKinds { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>When the sync worker last got decisions from Central (Astana time), or null: never.</summary>
    public string? LastContactText { get; private set; }

    /// <summary>When this page read the kiosk's file (Astana time).</summary>
    public string CheckedAtText { get; private set; } = "";

    /// <summary>The quality survey about one decided request (issue 12 item 5; <see cref="StatusSurvey"/>), or null.</summary>
    public SurveyOffer? Survey { get; private set; }

    public IActionResult OnGet() => Show(surveyProblem: false);

    private IActionResult Show(bool surveyProblem)
    {
        var citizen = HttpContext.GetCitizen();
        if (citizen is null) return AskForSignIn();
        DisplayName = citizen.DisplayName(CultureInfo.CurrentCulture);
        MaskedIin = citizen.Iin.Masked;
        var now = time.GetUtcNow();
        var snapshot = query.For(citizen.Iin);
        var language = KioskLanguages.Current;
        // Appointments (issue 5): the slot, its deadline, "cancel" and the alternatives of a refusal.
        var booked = appointments.StatusOf(citizen.Iin, now);
        Requests = snapshot.Requests.Select(r => RequestStatusItem.From(r, language, now, booked.GetValueOrDefault(r.RequestId))).ToList();
        SlipKinds = slips.LatestKinds(Requests.Select(r => r.RequestId).ToList());
        LastContactText = snapshot.LastPullAt is { } pulled ? RequestStatusItem.AstanaText(pulled) : null;
        CheckedAtText = RequestStatusItem.AstanaText(now);
        Survey = survey.Offer(HttpContext, Requests, surveyProblem);
        return Page();
    }

    /// <summary>One tap on an answer of the survey (antiforgery): stored at once, then back to the page at the survey.</summary>
    public IActionResult OnPostSurvey(Guid requestId, string? question, string? rating)
    {
        if (HttpContext.GetCitizen() is not { } citizen) return AskForSignIn();
        var items = OwnRequests(citizen);
        return survey.Answer(HttpContext, items, requestId, question, rating) == SurveyTap.Recorded
            ? Redirect(PagePath + "#survey")
            : Show(surveyProblem: true);
    }

    /// <summary>"Skip the survey" (antiforgery): not asked again about this request.</summary>
    public IActionResult OnPostSurveySkip(Guid requestId)
    {
        if (HttpContext.GetCitizen() is null) return AskForSignIn();
        survey.Skip(HttpContext, requestId);
        return Redirect(PagePath);
    }

    /// <summary>The citizen's own requests with their statuses (what the survey may be about).</summary>
    private List<RequestStatusItem> OwnRequests(SignedInCitizen citizen)
    {
        var now = time.GetUtcNow();
        return query.For(citizen.Iin).Requests.Select(r => RequestStatusItem.From(r, KioskLanguages.Current, now)).ToList();
    }

    /// <summary>"Refresh status": back to the page, which reads the file again.</summary>
    public IActionResult OnPostRefresh()
    {
        if (HttpContext.GetCitizen() is null) return AskForSignIn();
        logger.LogInformation("Request status refreshed");
        return Redirect(PagePath);
    }

    private IActionResult AskForSignIn()
    {
        HttpContext.Session.SetChosenService(ServiceMenu.CheckRequest.Code);
        return RedirectToPage("/SignIn/Index");
    }
}
