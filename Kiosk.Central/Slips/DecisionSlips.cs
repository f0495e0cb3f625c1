using System.Globalization;
using Dapper;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Core.Slips;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Slips;

/// <summary>
/// The provider's slip of a decision (issue 6 item 3): a result for an accepted request, a refusal for a refused one,
/// signed with the provider's current key the first time it is needed and kept in <c>decision_slips</c>, so that the
/// kiosk gets the same token on every pull. The claims are what the slip says and no more: never the full IIN, the
/// address, the phone or a home call's reason.
/// </summary>
public sealed class DecisionSlips(SlipKeyring keys, TimeProvider time)
{
    /// <summary>The slip token of a decided request, made now if it has none; null for a request not decided.</summary>
    public string? TokenFor(SqliteConnection c, string requestId)
    {
        var kept = c.QuerySingleOrDefault<string?>("SELECT token FROM decision_slips WHERE request_id = @requestId", new { requestId });
        if (kept is not null) return kept;
        var r = c.QuerySingleOrDefault<DecidedRequest>("""
            SELECT r.request_id AS RequestId, r.registration_number AS RegistrationNumber, r.kind AS Kind, r.status AS Status,
                   r.reason AS Reason, r.visit_date AS VisitDate, r.visit_from AS VisitFrom, r.visit_to AS VisitTo,
                   r.clinic_id AS ClinicId, r.iin AS Iin, r.document AS Document, COALESCE(r.judged_at, r.signed_at) AS SignedAt, r.received_at AS ReceivedAt,
                   p.surname AS Surname, p.first_name AS FirstName, p.patronymic AS Patronymic
            FROM requests r LEFT JOIN persons p ON p.iin = r.iin
            WHERE r.request_id = @requestId AND r.status IN ('accepted', 'refused')
            """, new { requestId });
        if (r is null) return null;

        var signer = keys.ProviderSigner();
        var now = time.GetUtcNow();
        var kind = r.Status == "accepted" ? SlipKinds.Result : SlipKinds.Refusal;
        var signedAt = DateTimeOffset.Parse(r.SignedAt ?? r.ReceivedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        SlipClaims claims = new()
        {
            Issuer = SlipIssuers.Provider,
            IssuedAt = now.ToUnixTimeSeconds(),
            Kind = kind,
            RequestId = r.RequestId,
            RegistrationNumber = r.RegistrationNumber,
            Service = r.Kind,
            ClinicId = r.ClinicId,
            At = r.VisitDate is { } date && r.VisitFrom is { } from ? date + "T" + from : null,
            Until = r.VisitTo,
            Decision = r.Status,
            Reason = r.Reason,
            MaskedIin = Iin.Parse(r.Iin).Masked,
            Initials = SlipClaims.InitialsOf(string.Join(' ', new[] { r.Surname, r.FirstName, r.Patronymic }.Where(p => !string.IsNullOrEmpty(p)))),
        };
        // Clinic, doctor, slot and deadline from the signed request; a home call's visit window from the decision.
        var facts = SlipFacts.Apply(claims, RequestDocument.Parse(r.Document), signedAt);
        claims = facts with { ClinicId = r.ClinicId ?? facts.ClinicId, At = claims.At ?? facts.At, Until = claims.Until ?? facts.Until };
        c.Execute("""
            INSERT INTO decision_slips (request_id, kind, token, kid, issued_at) VALUES (@requestId, @kind, @token, @kid, @now)
            ON CONFLICT (request_id) DO NOTHING
            """, new { requestId, kind, token = signer.Sign(claims), kid = signer.Jwk.Kid, now });
        return c.QuerySingle<string>("SELECT token FROM decision_slips WHERE request_id = @requestId", new { requestId });
    }

    private sealed record DecidedRequest
    {
        public string RequestId { get; init; } = "";
        public string RegistrationNumber { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Reason { get; init; }
        public string? VisitDate { get; init; }
        public string? VisitFrom { get; init; }
        public string? VisitTo { get; init; }
        public long? ClinicId { get; init; }
        public string Iin { get; init; } = "";
        public byte[] Document { get; init; } = [];
        public string? SignedAt { get; init; }
        public string ReceivedAt { get; init; } = "";
        public string? Surname { get; init; }
        public string? FirstName { get; init; }
        public string? Patronymic { get; init; }
    }
}
