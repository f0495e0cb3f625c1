using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Web.Desk;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Desk;

/// <summary>
/// An appointment booked by the registrar (diagram 2, process 5): a doctor of this clinic (the node's reference data),
/// then one of the doctor's free times over the next days. The doctor is chosen by a link (<c>?doctor=</c>, an id of
/// public reference data, never personal). Central decides as for a kiosk booking: one winner per slot, the citizen
/// attached to this clinic.
/// </summary>
public sealed class AppointmentModel(IStringLocalizer<SharedResource> t, DeskCases cases, StaffStore staff, ReferenceStore reference)
    : DeskPageModel(cases, staff)
{
    [BindProperty(SupportsGet = true)] public long? Doctor { get; set; }
    [BindProperty] public long? Slot { get; set; }
    [BindProperty] public bool IdentityChecked { get; set; }

    public List<ShownProblem> Problems { get; } = [];
    public IReadOnlyList<KioskDoctor> Doctors { get; private set; } = [];
    public KioskDoctor? Chosen { get; private set; }
    public IReadOnlyList<KioskSlot> Slots { get; private set; } = [];
    public string? CitizenClinicName => Case.Citizen.ClinicId is { } id ? reference.Clinic(id)?.Name(KioskLanguages.Current) : null;

    /// <summary>The citizen is attached to another clinic (or none): Central will refuse; the registrar sees it first.</summary>
    public bool AttachedElsewhere => Clinic is { } k && Case.Citizen.ClinicId != k.Id;

    public IActionResult OnGet()
    {
        if (LoadCase(DeskServices.Appointment) is { } away) return away;
        StartStep(Kiosk.Core.Feedback.StepCatalogue.DeskForm); // table 2, action 5 (the form half)
        IdentityChecked = Case.IdentityChecked;
        if (Doctor is null && Case.Details is AppointmentDetails booked)
        {
            Doctor = booked.DoctorId;
            Slot = booked.SlotId;
        }
        Load();
        return Page();
    }

    public IActionResult OnPost()
    {
        if (LoadCase(DeskServices.Appointment) is { } away) return away;
        Load();
        var slot = Slots.FirstOrDefault(s => s.Id == Slot);
        if (Chosen is null) Problems.Add(new ShownProblem("doctor-missing", t["Desk.Appointment.Error.Doctor"], "Doctor"));
        else if (slot is null) Problems.Add(new ShownProblem("slot-missing", t["Desk.Appointment.Error.Slot"], "Slot"));
        if (!IdentityChecked) Problems.Add(new ShownProblem("identity-unchecked", t["Desk.Error.IdentityUnchecked"], "Identity"));
        if (Problems.Count > 0) return Page();
        Keep(StopStep(Case with { IdentityChecked = true, Details = new AppointmentDetails(Chosen!.ClinicId, Chosen.Id, slot!.Id, slot.StartsAt) }, Kiosk.Core.Feedback.StepCatalogue.DeskForm));
        return Redirect(ReviewModel.PagePath);
    }

    public IReadOnlyList<ShownProblem> ErrorsFor(string field) => Problems.Where(p => p.Field == field).ToList();

    private void Load()
    {
        if (Clinic is null) return;
        Doctors = reference.DoctorsOf(Clinic.Id).Items;
        Chosen = Doctors.FirstOrDefault(d => d.Id == Doctor);
        Slots = Chosen is null ? [] : reference.FreeSlots(Chosen.Id).Items;
    }
}
