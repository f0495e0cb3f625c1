using Kiosk.Core.Requests;
using Kiosk.Core.Slips;
using Kiosk.Node;
using Kiosk.Node.Slips;

namespace Kiosk.Web.Slips;

/// <summary>
/// Issues and finds the slips of a request (issue 6 item 3): the receipt, signed here with the kiosk's device key the
/// first time it is asked for (a request the kiosk accepted is "accepted, awaiting the provider's decision"), and the
/// result or refusal that came signed by the provider with the decision.
/// </summary>
public sealed partial class SlipIssuing(
    SignedRequestStore requests, SlipStore slips, KioskDeviceKey deviceKey, TimeProvider time, ILogger<SlipIssuing> logger)
{
    /// <summary>The request's applicant and kind, when this kiosk holds the signed request.</summary>
    public RequestDocument? RequestOf(Guid requestId) => requests.Get(requestId)?.Document;

    /// <summary>The slip of that kind for the request, or null when there is none (yet).</summary>
    public StoredSlip? Find(Guid requestId, string kind) =>
        kind == SlipKinds.Receipt ? Receipt(requestId) : SlipKinds.IsKnown(kind) ? slips.Find(requestId, kind) : null;

    /// <summary>
    /// The kind of each request's newest slip, without issuing one: the decision's when it came, else the receipt
    /// (which the slip page signs on first use).
    /// </summary>
    public IReadOnlyDictionary<Guid, string> LatestKinds(IReadOnlyCollection<Guid> requestIds)
    {
        var stored = slips.KindsOf(requestIds);
        return requestIds.ToDictionary(id => id, id =>
            stored[id].Contains(SlipKinds.Result) ? SlipKinds.Result : stored[id].Contains(SlipKinds.Refusal) ? SlipKinds.Refusal : SlipKinds.Receipt);
    }

    private StoredSlip? Receipt(Guid requestId)
    {
        if (slips.Find(requestId, SlipKinds.Receipt) is { } kept) return kept;
        if (requests.Get(requestId) is not { } request) return null;
        var document = request.Document;
        var now = time.GetUtcNow();
        var claims = new SlipClaims
        {
            Issuer = SlipIssuers.Kiosk(deviceKey.KioskId),
            IssuedAt = now.ToUnixTimeSeconds(),
            Kind = SlipKinds.Receipt,
            RequestId = requestId.ToString("D"),
            Service = document.Kind,
            Decision = "queued",
            MaskedIin = document.ApplicantIin.Masked,
            Initials = SlipClaims.InitialsOf(document.ApplicantName),
        };
        claims = SlipFacts.Apply(claims, document, request.SignedAt);
        var stored = slips.Keep(requestId, SlipKinds.Receipt, deviceKey.Signer.Sign(claims), now);
        LogReceipt(requestId, deviceKey.Signer.Jwk.Kid);
        return stored;
    }

    [LoggerMessage(LogLevel.Information, "Receipt slip signed for request {RequestId} with device key {Kid}")]
    private partial void LogReceipt(Guid requestId, string kid);
}
