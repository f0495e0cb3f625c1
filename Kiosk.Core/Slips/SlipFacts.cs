using System.Globalization;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;

namespace Kiosk.Core.Slips;

/// <summary>
/// The facts of a slip that come from the signed request itself, the same at the kiosk (a receipt) and at Central (a
/// result or refusal): the clinic and doctor, when (an appointment's slot, Astana time) and the service deadline (the
/// regulation's: a home call and an attachment on the day of the request, an appointment at its slot).
/// </summary>
public static class SlipFacts
{
    public static SlipClaims Apply(SlipClaims claims, RequestDocument document, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(document);
        var day = Day(RequestStatusRule.Deadline(document.Kind, signedAt));
        return document.Details switch
        {
            AppointmentDetails a => Slot(claims, a),
            AppointmentCancellationDetails c => Slot(claims, c.Booking),
            AttachmentDetails t => claims with { ClinicId = t.ClinicId, Deadline = day },
            _ => claims with { Deadline = day },
        };
    }

    private static SlipClaims Slot(SlipClaims claims, AppointmentDetails a) =>
        claims with { ClinicId = a.ClinicId, DoctorId = a.DoctorId, At = Local(a.SlotStart), Deadline = Local(a.SlotStart) };

    /// <summary>An instant as slips write it: Astana local <c>yyyy-MM-ddTHH:mm</c>.</summary>
    public static string Local(DateTimeOffset instant) => AstanaTime.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
