using System.Globalization;
using System.Text.Json;
using Kiosk.Core.Eds;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Core.Time;
using Kiosk.Web.Pages.Services.HomeCall;

namespace Kiosk.Web.Pages.Status;

/// <summary>One request as the status screen shows it (already in the citizen's language where it is text).</summary>
/// <param name="Number">Central's registration number once known, else the kiosk's short number (as on the receipt).</param>
/// <param name="ShortNumber">The short number of the receipt (<c>3F2B-8C1E</c>), always.</param>
/// <param name="Deadline">The service deadline (an Astana date), or null when the kiosk does not know it.</param>
/// <param name="DeadlinePassed">The deadline day is over and the request is not decided.</param>
/// <param name="ReasonCode">The refusal's or rejection's reason code.</param>
/// <param name="ReasonText">Its words in the citizen's language.</param>
/// <param name="Visit">An accepted home call's visit: date (dd.MM.yyyy), from and to (HH:mm).</param>
public sealed record RequestStatusItem(
    Guid RequestId,
    string Kind,
    RequestStatus Status,
    string Number,
    string ShortNumber,
    bool HasRegistrationNumber,
    string SignedAtText,
    string? Deadline,
    bool DeadlinePassed,
    string? ReasonCode,
    string? ReasonText,
    (string Date, string From, string To)? Visit)
{
    /// <summary>An appointment request's slot, cancellation and alternatives (issue 5), or null for other services.</summary>
    public Kiosk.Web.Pages.Services.Appointment.AppointmentStatus? Appointment { get; init; }

    /// <summary>The deadline is an appointment's slot time (<c>dd.MM.yyyy HH:mm</c>), not a day.</summary>
    public bool DeadlineIsSlot { get; init; }

    public string StatusCode => RequestStatusRule.Code(Status);

    /// <summary>The resource key of the status's name.</summary>
    public string StatusKey => $"Status.State.{StatusCode}";

    /// <summary>The resource key of the service's name (<c>Service.home-call.Name</c>, …).</summary>
    public string ServiceKey => $"Service.{Kind}.Name";

    /// <summary>
    /// Builds the item from a stored row. The reason of a refusal is Central's own text in <paramref name="language"/>
    /// when it sent one, else the kiosk's text for the code (<see cref="RefusalReasons"/>); a rejection's reason is the
    /// EDS message for the code when it is an EDS problem; otherwise null (the page then shows its generic words).
    /// </summary>
    public static RequestStatusItem From(RequestStatusRow row, string language, DateTimeOffset now,
        Kiosk.Web.Pages.Services.Appointment.AppointmentStatus? appointment = null)
    {
        var status = RequestStatusRule.Derive(row.OutboxState, row.OutboxRegistrationNumber, row.DecisionStatus, row.DecisionRegistrationNumber);
        var registration = !string.IsNullOrEmpty(row.OutboxRegistrationNumber) ? row.OutboxRegistrationNumber
            : !string.IsNullOrEmpty(row.DecisionRegistrationNumber) ? row.DecisionRegistrationNumber : null;
        var shortNumber = HomeCallReceipt.ShortForm(row.RequestId);
        var deadline = RequestStatusRule.Deadline(row.Kind, row.SignedAt);

        string? reasonCode = null, reasonText = null;
        if (status == RequestStatus.Refused)
        {
            reasonCode = row.DecisionReason;
            reasonText = MessageIn(row.DecisionMessages, language)
                         ?? (reasonCode is not null && RefusalReasons.Has(reasonCode) ? RefusalReasons.For(reasonCode, language) : null);
        }
        else if (status == RequestStatus.Rejected)
        {
            reasonCode = string.IsNullOrEmpty(row.OutboxError) ? null : row.OutboxError;
            reasonText = reasonCode is not null && EdsMessages.Has(reasonCode) ? EdsMessages.For(reasonCode, language) : null;
        }

        (string, string, string)? visit = null;
        if (status == RequestStatus.Accepted && row.VisitDate is not null && row.VisitFrom is not null && row.VisitTo is not null)
        {
            var date = DateOnly.TryParseExact(row.VisitDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)
                : row.VisitDate;
            visit = (date, row.VisitFrom, row.VisitTo);
        }

        if (appointment is not null)
        {
            // An appointment's deadline is its slot's time (issue 5 item 4).
            var slot = RequestStatusRule.AppointmentDeadline(appointment.SlotStart);
            return new RequestStatusItem(
                row.RequestId, row.Kind, status, registration ?? shortNumber, shortNumber, registration is not null,
                AstanaText(row.SignedAt), AstanaText(slot),
                !RequestStatusRule.IsFinal(status) && RequestStatusRule.AppointmentDeadlinePassed(slot, now),
                reasonCode, reasonText, visit) { Appointment = appointment, DeadlineIsSlot = true };
        }
        return new RequestStatusItem(
            row.RequestId, row.Kind, status, registration ?? shortNumber, shortNumber, registration is not null,
            AstanaText(row.SignedAt),
            deadline?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
            deadline is { } day && !RequestStatusRule.IsFinal(status) && RequestStatusRule.DeadlinePassed(day, now),
            reasonCode, reasonText, visit);
    }

    /// <summary>An instant as the kiosk shows it: Astana time, <c>dd.MM.yyyy HH:mm</c>.</summary>
    public static string AstanaText(DateTimeOffset instant) =>
        AstanaTime.ToLocal(instant).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Central's text in the language, from its <c>{"kk","ru","en"}</c> JSON; null when there is none.</summary>
    internal static string? MessageIn(string? json, string language)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        var lang = language.Length >= 2 ? language[..2].ToLowerInvariant() : language;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var property in document.RootElement.EnumerateObject())
                if (string.Equals(property.Name, lang, StringComparison.OrdinalIgnoreCase)
                    && property.Value.ValueKind == JsonValueKind.String
                    && !string.IsNullOrWhiteSpace(property.Value.GetString()))
                    return property.Value.GetString();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
