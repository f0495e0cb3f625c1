using System.Globalization;
using Kiosk.Core.Services;
using Kiosk.Core.Slips;
using Kiosk.Core.Time;
using Kiosk.Node;
using Kiosk.Web.Infrastructure;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Slips;

/// <summary>
/// What a slip says, read from its signed token (so the paper says exactly what its QR code proves), with the words the
/// kiosk adds from its reference data (the clinic's name, the doctor's name and room). Shared by the citizen's slip
/// page and the registrar's (the desk prints the same 80 mm slip; partial <c>Pages/Slips/_Slip.cshtml</c>).
/// </summary>
public sealed class SlipView
{
    public required SlipClaims Claims { get; init; }
    public required SlipQrCode.Rendered Qr { get; init; }
    public required string Number { get; init; }
    public string? ReasonText { get; init; }
    public required string IssuedAtText { get; init; }
    public string? WhenText { get; init; }
    public string? DeadlineText { get; init; }
    public string? ClinicText { get; init; }
    public string? DoctorText { get; init; }

    /// <summary>The slip of that kind for the request, or null when there is none (yet).</summary>
    public static SlipView? For(Guid requestId, string kind, SlipIssuing issuing, ReferenceStore reference, IOptions<SlipOptions> options,
        IStringLocalizer text)
    {
        if (issuing.Find(requestId, kind) is not { } slip || SlipToken.ReadTrusted(slip.Token) is not { } claims) return null;
        var verifyUrl = options.Value.VerifyUrl?.ToString() ?? "/verify";
        var language = KioskLanguages.Current;
        return new SlipView
        {
            Claims = claims,
            Qr = SlipQrCode.Render(verifyUrl + "#" + slip.Token, text["Slip.Qr.Label"]),
            Number = claims.RegistrationNumber ?? Kiosk.Web.Requests.RequestReceipt.ShortForm(requestId),
            ReasonText = claims.Reason is { } code && RefusalReasons.Has(code) ? RefusalReasons.For(code, language) : null,
            IssuedAtText = AstanaTime.ToLocal(DateTimeOffset.FromUnixTimeSeconds(claims.IssuedAt)).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture),
            WhenText = claims.At is { } at ? LocalText(at) + (claims.Until is { } until ? "–" + until : "") : null,
            DeadlineText = claims.Deadline is { } deadline ? LocalText(deadline) : null,
            DoctorText = claims.DoctorId is { } doctorId && reference.Doctor(doctorId) is { } doctor
                ? string.Join(' ', new[] { doctor.Surname, doctor.FirstName, doctor.Patronymic }.Where(p => !string.IsNullOrEmpty(p))) + ", " + text["Slip.Room", doctor.Room]
                : null,
            ClinicText = claims.ClinicId is { } clinicId && reference.Clinic(clinicId) is { } clinic ? $"{clinic.Name(language)}, {clinic.Address}" : null,
        };
    }

    /// <summary><c>yyyy-MM-dd</c> or <c>yyyy-MM-ddTHH:mm</c> as the kiosk writes dates: <c>dd.MM.yyyy[ HH:mm]</c>.</summary>
    private static string LocalText(string value)
    {
        var parts = value.Split('T');
        var date = DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)
            : parts[0];
        return parts.Length > 1 ? date + " " + parts[1] : date;
    }
}
