using System.Globalization;
using System.Text.Json;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Node;

namespace Kiosk.Web.Pages.Services.Appointment;

/// <summary>Where the citizen is on the appointment screen: the clinic, the chosen doctor and day (session only, so the
/// URL stays <c>/services/appointment</c>).</summary>
public sealed record AppointmentBrowse(long ClinicId, long? DoctorId, DateOnly? Day);

/// <summary>
/// The slot the citizen chose, to be signed (session only). <see cref="RequestId"/> is made when the slot is chosen
/// and kept while the citizen retries the signature: the request's idempotency key.
/// </summary>
public sealed record AppointmentDraft(Guid RequestId, long ClinicId, long DoctorId, long SlotId, DateTimeOffset SlotStart)
{
    public AppointmentDetails ToDetails() => new(ClinicId, DoctorId, SlotId, SlotStart);

    public override string ToString() => $"AppointmentDraft {{ RequestId = {RequestId:D} }}";
}

/// <summary>A booking the citizen asked to cancel, to be signed (session only).</summary>
public sealed record CancellationDraft(Guid RequestId, Guid CancelsRequestId, long ClinicId, long DoctorId, long SlotId, DateTimeOffset SlotStart)
{
    public AppointmentCancellationDetails ToDetails() => new(CancelsRequestId, ClinicId, DoctorId, SlotId, SlotStart);

    public override string ToString() => $"CancellationDraft {{ RequestId = {RequestId:D} }}";
}

/// <summary>A free slot Central offered with a refusal (<c>slot-taken</c>, <c>slot-past</c>), as the kiosk stored it.</summary>
public sealed record OfferedSlot(long SlotId, long DoctorId, long ClinicId, DateTimeOffset StartsAt)
{
    public string LocalText => AppointmentText.When(StartsAt);

    /// <summary>The offered slots of a decision's <c>alternatives</c> JSON; an entry the kiosk cannot read is left out.</summary>
    public static IReadOnlyList<OfferedSlot> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return [];
            var list = new List<OfferedSlot>();
            foreach (var a in document.RootElement.EnumerateArray())
            {
                if (a.ValueKind != JsonValueKind.Object) continue;
                if (Number(a, "slotId") is not { } slot || Number(a, "doctorId") is not { } doctor || Number(a, "clinicId") is not { } clinic) continue;
                if (!a.TryGetProperty("startsAt", out var s) || s.ValueKind != JsonValueKind.String
                    || !DateTimeOffset.TryParse(s.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var starts)) continue;
                list.Add(new OfferedSlot(slot, doctor, clinic, starts.ToUniversalTime()));
            }
            return list;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static long? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n > 0 ? n : null;
}

/// <summary>How the appointment screens write doctors, specialities and times.</summary>
public static class AppointmentText
{
    /// <summary>The specialities the kiosk has words for (<c>Appointment.Speciality.{code}</c>); others show their code.</summary>
    public static IReadOnlyList<string> KnownSpecialities { get; } = ["district-therapist", "paediatrician", "general-practitioner"];

    public static string SpecialityKey(string code) => $"Appointment.Speciality.{code}";

    public static bool IsKnownSpeciality(string code) => KnownSpecialities.Contains(code, StringComparer.Ordinal);

    /// <summary>"Surname First Patronymic" in title case (Central keeps surnames in capitals).</summary>
    public static string DoctorName(KioskDoctor d)
    {
        var culture = CultureInfo.GetCultureInfo("ru-RU");
        static string Title(string s, CultureInfo c) => s.Length == 0 ? s : char.ToUpper(s[0], c) + s[1..].ToLower(c);
        return string.Join(' ', new[] { d.Surname, d.FirstName, d.Patronymic ?? "" }.Where(p => p.Length > 0).Select(p => Title(p, culture)));
    }

    /// <summary>An instant as Astana date and time, <c>dd.MM.yyyy HH:mm</c>.</summary>
    public static string When(DateTimeOffset instant) =>
        AstanaTime.ToLocal(instant).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A day for the day picker: "27.11" with the weekday's short name in the culture.</summary>
    public static (string Date, string Weekday) Day(DateOnly day, CultureInfo culture) =>
        (day.ToString("dd.MM", CultureInfo.InvariantCulture), culture.DateTimeFormat.GetAbbreviatedDayName(day.DayOfWeek));
}
