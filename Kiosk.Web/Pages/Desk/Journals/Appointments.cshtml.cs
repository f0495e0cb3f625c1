using System.Globalization;
using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Web.Journals;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Desk.Journals;

/// <summary>
/// The clinic's journal of appointments for a day (regulation, appointment, process 8: "the record in the journal of
/// preliminary appointments"): every booking with its slot, doctor, citizen (masked IIN, name), channel and status
/// (booked, cancelled, refused), from Central; one doctor's, when chosen (the doctors of this clinic from the node's
/// reference data).
/// </summary>
public sealed class AppointmentsModel(StaffStore staff, ReferenceStore reference, TimeProvider time, IStringLocalizer<SharedResource> t,
    CentralJournals journals) : JournalPageModel(staff, reference, time, t)
{
    public const string Path = "/desk/journals/appointments";

    [BindProperty(SupportsGet = true)] public string? Doctor { get; set; }

    public override string PagePath => Path;

    public AppointmentJournal? Journal { get; private set; }

    public IReadOnlyList<KioskDoctor> Doctors { get; private set; } = [];

    public KioskDoctor? Chosen { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!Prepare()) return;
        Doctors = Reference.DoctorsOf(Clinic!.Id).Items;
        if (!string.IsNullOrEmpty(Doctor))
        {
            Chosen = long.TryParse(Doctor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? Doctors.FirstOrDefault(d => d.Id == id) : null;
            if (Chosen is null)
            {
                Problem = ("doctor-unknown", T["Journal.Error.Doctor"]);
                return;
            }
        }
        var fetch = await journals.AppointmentsAsync(Day, Chosen?.Id, cancellationToken);
        Journal = fetch.Journal;
        Show(fetch.Outcome);
    }

    protected override IEnumerable<string?> QueryParts(DateOnly day) =>
        [.. base.QueryParts(day), Chosen is { } d ? "doctor=" + d.Id.ToString(CultureInfo.InvariantCulture) : null];

    public static string DoctorName(KioskDoctor d) => string.Join(' ', new[] { d.Surname, d.FirstName, d.Patronymic }.Where(n => !string.IsNullOrEmpty(n)));

    public string StatusText(AppointmentJournalEntry e) => e.Status switch
    {
        "accepted" => T["Journal.Status.accepted.appointment"],
        "cancelled" => T["Journal.Status.cancelled"],
        "refused" => T["Journal.Status.refused"] + ": " + ReasonText(e.Reason),
        var other => other,
    };

    public string Speciality(string code) => T["Appointment.Speciality." + code] is { ResourceNotFound: false } s ? s : code;
}
