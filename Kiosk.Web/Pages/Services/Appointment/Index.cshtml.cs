using System.Globalization;
using Kiosk.Node;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.Start;
using Kiosk.Web.Requests;
using Kiosk.Web.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kiosk.Web.Pages.Services.Appointment;

/// <summary>
/// «Запись на прием к врачу» (issue 5 item 1) at <c>/services/appointment</c>: the doctors of the citizen's clinic
/// grouped by speciality, then for the chosen doctor the free slots of the next 14 days as a day picker and large time
/// buttons, from the kiosk's reference data (with the time of its last refresh). The clinic is where Central says the
/// citizen is attached (asked whenever the doctors' list is shown: it may have just changed); when Central cannot be reached the
/// citizen picks their clinic from the kiosk's list (Central refuses a wrong pick). Every choice is a POST (antiforgery)
/// kept in the session, so the URL never says who sees which doctor; choosing a time makes the draft and goes to the
/// review. Also the one-touch alternative of a refusal (from the status screen).
/// </summary>
public sealed class IndexModel(ReferenceStore reference, CitizenClinicLookup clinics, CitizenAppointments appointments,
    TimeProvider time, ILogger<IndexModel> logger) : PageModel
{
    public const string PagePath = "/services/appointment";

    public string DisplayName { get; private set; } = "";

    public string MaskedIin { get; private set; } = "";

    public CitizenClinic Known { get; private set; } = CitizenClinic.Unknown;

    /// <summary>The clinic whose doctors are shown; null: none yet (not attached, or not chosen while offline).</summary>
    public KioskClinic? Clinic { get; private set; }

    /// <summary>The kiosk's clinics, when the citizen has to pick theirs (Central not reachable).</summary>
    public IReadOnlyList<KioskClinic> ClinicChoices { get; private set; } = [];

    /// <summary>The clinic's doctors by speciality (in the order of <see cref="AppointmentText.KnownSpecialities"/>, then others).</summary>
    public IReadOnlyList<IGrouping<string, KioskDoctor>> DoctorsBySpeciality { get; private set; } = [];

    public KioskDoctor? Doctor { get; private set; }

    public IReadOnlyList<DateOnly> Days { get; private set; } = [];

    public DateOnly? Day { get; private set; }

    public IReadOnlyList<KioskSlot> Times { get; private set; } = [];

    /// <summary>When the kiosk last refreshed its reference data from Central (Astana time), or null: never.</summary>
    public string? RefreshedAtText { get; private set; }

    public string Language => KioskLanguages.Current;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        Kiosk.Web.Feedback.StepClock.Start(HttpContext, Kiosk.Core.Feedback.StepCatalogue.Form, SigningServices.Appointment);
        // Central is asked afresh on the doctors' list (the attachment may just have changed); the steps after it (a
        // doctor's days and times) use the session's answer, so a tap never waits on Central twice.
        Known = HttpContext.GetCitizenItem<AppointmentBrowse>() is { DoctorId: not null }
            ? await clinics.KnownAsync(HttpContext)
            : await clinics.RefreshAsync(HttpContext);
        var clinicId = CitizenClinicLookup.ClinicFor(HttpContext, Known);
        var refreshed = reference.RefreshedAt();
        RefreshedAtText = refreshed is { } at ? AppointmentText.When(at) : null;
        if (clinicId is null)
        {
            if (!Known.FromCentral) ClinicChoices = reference.Clinics().Items;
            return Page();
        }
        Clinic = reference.Clinic(clinicId.Value);
        var browse = HttpContext.GetCitizenItem<AppointmentBrowse>();
        if (browse is null || browse.ClinicId != clinicId) HttpContext.SetCitizenItem(browse = new AppointmentBrowse(clinicId.Value, null, null));

        var doctors = reference.DoctorsOf(clinicId.Value).Items;
        DoctorsBySpeciality = doctors.GroupBy(d => d.Speciality)
            .OrderBy(g => AppointmentText.IsKnownSpeciality(g.Key) ? AppointmentText.KnownSpecialities.ToList().IndexOf(g.Key) : 100)
            .ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        Doctor = browse.DoctorId is { } id ? doctors.FirstOrDefault(d => d.Id == id) : null;
        if (Doctor is not null)
        {
            var slots = reference.FreeSlots(Doctor.Id).Items;
            Days = slots.Select(s => s.LocalDate).Distinct().ToList();
            Day = browse.Day is { } d && Days.Contains(d) ? d : Days.Count > 0 ? Days[0] : null;
            Times = slots.Where(s => s.LocalDate == Day).ToList();
        }
        return Page();
    }

    /// <summary>Offline: the citizen's own pick of their clinic.</summary>
    public IActionResult OnPostClinic(long clinicId)
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        if (reference.Clinic(clinicId) is not null) HttpContext.SetCitizenItem(new ChosenClinic(clinicId));
        return Redirect(PagePath);
    }

    public IActionResult OnPostOtherClinic()
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        HttpContext.SetCitizenItem<ChosenClinic>(null);
        HttpContext.SetCitizenItem<AppointmentBrowse>(null);
        return Redirect(PagePath);
    }

    public IActionResult OnPostDoctor(long doctorId) => Browse(b => reference.Doctor(doctorId) is { } d && d.ClinicId == b.ClinicId ? b with { DoctorId = doctorId, Day = null } : b);

    public IActionResult OnPostDoctors() => Browse(b => b with { DoctorId = null, Day = null });

    public IActionResult OnPostDay(DateOnly day) => Browse(b => b with { Day = day });

    /// <summary>A time button: the slot must still be free in the kiosk's data for the chosen doctor of the clinic.</summary>
    public IActionResult OnPostSlot(long slotId)
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        if (HttpContext.GetCitizenItem<AppointmentBrowse>() is not { DoctorId: { } doctorId } browse) return Redirect(PagePath);
        var slot = reference.FreeSlots(doctorId).Items.FirstOrDefault(s => s.Id == slotId);
        if (slot is null)
        {
            logger.LogInformation("Appointment slot {SlotId} is no longer free in the kiosk's data", slotId);
            return Redirect(PagePath);
        }
        return Draft(browse.ClinicId, doctorId, slot.Id, slot.StartsAt);
    }

    /// <summary>One touch on a slot Central offered with a refusal (status screen): a new request for it.</summary>
    public IActionResult OnPostAlternative(Guid requestId, long slotId)
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        var offered = appointments.Offered(HttpContext.GetCitizen()!.Iin, requestId, slotId);
        if (offered is null || offered.StartsAt <= time.GetUtcNow()) return Redirect(Status.IndexModel.PagePath);
        return Draft(offered.ClinicId, offered.DoctorId, offered.SlotId, offered.StartsAt);
    }

    private IActionResult Draft(long clinicId, long doctorId, long slotId, DateTimeOffset slotStart)
    {
        var current = HttpContext.GetCitizenItem<AppointmentDraft>();
        // The same slot again keeps its request id (a retry); another slot is another request.
        var requestId = current is not null && current.SlotId == slotId && current.DoctorId == doctorId ? current.RequestId : Guid.NewGuid();
        HttpContext.SetCitizenItem(new AppointmentDraft(requestId, clinicId, doctorId, slotId, slotStart));
        return Redirect(ReviewModel.PagePath);
    }

    private IActionResult Browse(Func<AppointmentBrowse, AppointmentBrowse> change)
    {
        if (!Load()) return RedirectToPage("/Start/Index");
        if (HttpContext.GetCitizenItem<AppointmentBrowse>() is { } browse) HttpContext.SetCitizenItem(change(browse));
        return Redirect(PagePath);
    }

    public string ClinicName(KioskClinic clinic) => clinic.Name(Language);

    public (string Date, string Weekday) DayText(DateOnly day) => AppointmentText.Day(day, CultureInfo.CurrentUICulture);

    private bool Load()
    {
        var citizen = HttpContext.GetCitizen();
        if (citizen is null) return false;
        if (citizen.ServiceCode != ServiceMenu.Appointment.Code) HttpContext.ChooseService(ServiceMenu.Appointment.Code);
        DisplayName = citizen.DisplayName(CultureInfo.CurrentCulture);
        MaskedIin = citizen.Iin.Masked;
        return true;
    }
}
