using System.Globalization;
using Kiosk.Core.Services;
using Kiosk.Core.Slips;
using Kiosk.Core.Time;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.Services.HomeCall;
using Kiosk.Web.SignIn;
using Kiosk.Web.Slips;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Pages.Slips;

/// <summary>
/// A slip, laid out for an 80 mm thermal roll (issue 6 item 3): what is said comes from the signed token itself, so
/// the paper says exactly what its QR code proves. Only the signed-in citizen whose request it is sees it. "Print"
/// goes through the browser's print path (the kiosk's browser prints silently to its receipt printer).
/// </summary>
public sealed class IndexModel(
    SlipIssuing issuing, Kiosk.Node.ReferenceStore reference, IOptions<SlipOptions> options, IStringLocalizer<SharedResource> text, ILogger<IndexModel> logger) : PageModel
{
    public const string PathFormat = "/slips/{0:D}/{1}";

    public static string PathOf(Guid requestId, string kind) => string.Format(CultureInfo.InvariantCulture, PathFormat, requestId, kind);

    public SlipClaims Claims { get; private set; } = null!;

    public SlipQrCode.Rendered Qr { get; private set; } = null!;

    public string VerifyUrlText { get; private set; } = "";

    public string Number { get; private set; } = "";

    public string? ReasonText { get; private set; }

    public string IssuedAtText { get; private set; } = "";

    public string? WhenText { get; private set; }

    public string? DeadlineText { get; private set; }

    /// <summary>The clinic's name and address from the kiosk's reference data, or null when it does not know it.</summary>
    public string? ClinicText { get; private set; }

    /// <summary>The doctor's name and room from the kiosk's reference data, where the slip names a doctor.</summary>
    public string? DoctorText { get; private set; }

    public IActionResult OnGet(Guid requestId, string kind)
    {
        var citizen = HttpContext.GetCitizen();
        if (citizen is null) return Redirect("/");
        if (issuing.RequestOf(requestId) is not { } document || document.ApplicantIin != citizen.Iin)
        {
            logger.LogWarning("Slip refused: the request is not the signed-in citizen's ({Kind})", kind);
            return NotFound();
        }
        if (issuing.Find(requestId, kind) is not { } slip || SlipToken.ReadTrusted(slip.Token) is not { } claims)
            return NotFound();

        Claims = claims;
        var verifyUrl = options.Value.VerifyUrl?.ToString() ?? "/verify";
        VerifyUrlText = verifyUrl;
        Qr = SlipQrCode.Render(verifyUrl + "#" + slip.Token, text["Slip.Qr.Label"]);
        Number = claims.RegistrationNumber ?? HomeCallReceipt.ShortForm(requestId);
        var language = KioskLanguages.Current;
        ReasonText = claims.Reason is { } code && RefusalReasons.Has(code) ? RefusalReasons.For(code, language) : null;
        IssuedAtText = AstanaTime.ToLocal(DateTimeOffset.FromUnixTimeSeconds(claims.IssuedAt)).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
        WhenText = claims.At is { } at ? LocalText(at) + (claims.Until is { } until ? "–" + until : "") : null;
        DeadlineText = claims.Deadline is { } deadline ? LocalText(deadline) : null;
        DoctorText = claims.DoctorId is { } doctorId && reference.Doctor(doctorId) is { } doctor
            ? string.Join(' ', new[] { doctor.Surname, doctor.FirstName, doctor.Patronymic }.Where(p => !string.IsNullOrEmpty(p))) + ", " + text["Slip.Room", doctor.Room]
            : null;
        ClinicText = claims.ClinicId is { } clinicId && reference.Clinic(clinicId) is { } clinic ? $"{clinic.Name(language)}, {clinic.Address}" : null;
        return Page();
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
