using System.Globalization;
using System.Security.Cryptography;
using Kiosk.Core.Requests;
using Kiosk.Node;
using Kiosk.Node.Staff;
using Kiosk.Web.Desk;
using Kiosk.Web.Infrastructure;
using Kiosk.Web.Pages.SignIn;
using Kiosk.Web.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kiosk.Web.Pages.Desk;

/// <summary>
/// The registrar reviews the request with the citizen and signs it with their own EDS signing key (diagram 2,
/// process 5: "certifies the filled form with the EDS"): the employee certificate's key file and its password, opened
/// in memory only (<see cref="RequestSigning.SignAtDesk"/>). Signed, the request is saved and queued in one
/// transaction and the sync worker takes it to Central at once; the result page follows it.
/// </summary>
[RequestSizeLimit(SignInInput.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = SignInInput.MaxRequestBytes, MemoryBufferThreshold = (int)SignInInput.MaxRequestBytes)]
public sealed class ReviewModel(IStringLocalizer<SharedResource> t, RequestSigning signing, DeskCases cases, StaffStore staff, ReferenceStore reference)
    : DeskPageModel(cases, staff), ISigningForm
{
    public const string PagePath = "/desk/review";

    [BindProperty] public IFormFile? KeyFile { get; set; }
    [BindProperty] public string? Password { get; set; }

    public List<ShownProblem> Problems { get; } = [];

    public RequestDetails Details { get; private set; } = null!;

    public string ShortNumber => RequestReceipt.ShortForm(Case.RequestId);

    public IActionResult OnGet()
    {
        if (Load() is { } away) return away;
        if (Case.SignedAt is null) StartStep(Kiosk.Core.Feedback.StepCatalogue.DeskSigning); // table 2, action 5 (the signing half)
        return Page();
    }

    public IActionResult OnPost()
    {
        try
        {
            if (Load() is { } away) return away;
            if (Case.SignedAt is not null) return Redirect(ResultModel.PagePath); // a second tap after the first was accepted
            foreach (var (field, code) in SignInInput.Validate(KeyFile?.Length, Password))
                Problems.Add(new ShownProblem(code, SigningPageModel.ProblemMessage(t, code, null), field));
            if (Problems.Count > 0) return Page();

            var bytes = new byte[KeyFile!.Length];
            try
            {
                using (var stream = KeyFile.OpenReadStream()) stream.ReadExactly(bytes);
                var outcome = signing.SignAtDesk(Registrar, Case.Citizen, Case.Service, Case.RequestId, Details, KioskLanguages.Current, bytes, Password);
                if (outcome.Receipt is { } receipt)
                {
                    Keep(StopStep(Case with { SignedAt = receipt.SignedAt }, Kiosk.Core.Feedback.StepCatalogue.DeskSigning));
                    return Redirect(ResultModel.PagePath);
                }
                foreach (var code in outcome.Problems)
                    Problems.Add(new ShownProblem(code, SigningPageModel.ProblemMessage(t, code, outcome.RetryAfter), SignInInput.FieldOf(code)));
                return Page();
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }
        finally
        {
            Password = null;
        }
    }

    public IReadOnlyList<ShownProblem> ErrorsFor(string field) => Problems.Where(p => p.Field == field).ToList();

    /// <summary>The lines of the summary: what the signed document will say, in words.</summary>
    public IReadOnlyList<(string Id, string Label, string Value)> Lines()
    {
        var lang = KioskLanguages.Current;
        var lines = new List<(string, string, string)>
        {
            ("summary-service", t["HomeCall.Review.Service"], t["Service." + Case.Service + ".Name"]),
            ("summary-number", t["HomeCall.Accepted.Number"], ShortNumber),
            ("summary-name", t["Services.Name"], Case.Citizen.FullName),
            ("summary-iin", t["Services.Iin"], Case.Citizen.Iin.Masked),
        };
        switch (Details)
        {
            case HomeCallDetails h:
                lines.Add(("summary-address", t["HomeCall.Review.Address"], h.Address));
                lines.Add(("summary-phone", t["HomeCall.Review.Phone"], Services.HomeCall.HomeCallForm.DisplayPhone(h.Phone)));
                lines.Add(("summary-reason", t["HomeCall.Review.Reason"], t[$"HomeCall.Reason.{h.ReasonCode}"]));
                lines.Add(("summary-note", t["HomeCall.Review.Note"], h.Note ?? t["HomeCall.Review.NoNote"]));
                break;
            case AppointmentDetails a:
                var doctor = reference.Doctor(a.DoctorId);
                lines.Add(("summary-doctor", t["Slip.Doctor"], doctor is null ? a.DoctorId.ToString(CultureInfo.InvariantCulture)
                    : $"{doctor.Surname} {doctor.FirstName} {doctor.Patronymic}".TrimEnd() + ", " + t["Slip.Room", doctor.Room]));
                lines.Add(("summary-slot", t["Slip.When"], Kiosk.Core.Time.AstanaTime.ToLocal(a.SlotStart).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture)));
                break;
            case AttachmentDetails at:
                lines.Add(("summary-clinic", t["Slip.Where"], reference.Clinic(at.ClinicId)?.Name(lang) ?? at.ClinicId.ToString(CultureInfo.InvariantCulture)));
                lines.Add(("summary-reason", t["Attachment.Reason.Chosen"], t["Attachment.Reason." + at.Reason]));
                if (at.NewAddress is not null) lines.Add(("summary-new-address", t["Attachment.NewAddress.Label"], at.NewAddress));
                break;
        }
        lines.Add(("summary-filed-by", t["Desk.Review.FiledBy"], User.Identity?.Name ?? ""));
        return lines;
    }

    private IActionResult? Load()
    {
        if (LoadCase() is { } away) return away;
        if (Case.Details is not { } details) return Redirect(DeskServices.FormPath(Case.Service));
        Details = details;
        return null;
    }
}
