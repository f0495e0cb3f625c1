using Kiosk.Core.Requests;
using Kiosk.Web.Pages.Services.HomeCall;

namespace Kiosk.Web.Pages.Services.Attachment;

/// <summary>The reason the citizen gave (step 1), with the new address and its district on a change of residence
/// (session only: an address is personal).</summary>
public sealed record AttachmentReasonChoice(string Reason, string? NewAddress, string? NewDistrict)
{
    public override string ToString() => $"AttachmentReasonChoice {{ Reason = {Reason} }}";
}

/// <summary>The attachment to sign (session only); <see cref="RequestId"/> is kept while the citizen retries the signature.</summary>
public sealed record AttachmentDraft(Guid RequestId, long ClinicId, string Reason, string? NewAddress, string? NewDistrict)
{
    public AttachmentDetails ToDetails() => new(ClinicId, Reason, NewAddress, NewDistrict);

    public override string ToString() => $"AttachmentDraft {{ RequestId = {RequestId:D} }}";
}

/// <summary>
/// Checks step 1 of the attachment form: a reason of <see cref="AttachmentReasons"/>; on a change of residence the new
/// address (cleaned as the home-call address is, 5–300 characters) and the new district, one of the kiosk's districts.
/// Each problem is a code with its field.
/// </summary>
public static class AttachmentForm
{
    public const string ReasonField = "Reason";
    public const string AddressField = "NewAddress";
    public const string DistrictField = "NewDistrict";

    public static class Codes
    {
        public const string ReasonMissing = "reason-missing";
        public const string AddressMissing = "address-missing";
        public const string AddressTooShort = "address-too-short";
        public const string AddressTooLong = "address-too-long";
        public const string DistrictMissing = "district-missing";
    }

    public static (AttachmentReasonChoice? Choice, IReadOnlyList<(string Field, string Code)> Problems) Check(
        string? reason, string? newAddress, string? newDistrict, IReadOnlyCollection<string> districts)
    {
        var problems = new List<(string, string)>();
        if (reason is null || !AttachmentReasons.All.Contains(reason, StringComparer.Ordinal))
        {
            problems.Add((ReasonField, Codes.ReasonMissing));
            return (null, problems);
        }
        if (reason != AttachmentReasons.ChangeOfResidence) return (new AttachmentReasonChoice(reason, null, null), problems);

        var address = HomeCallForm.CleanText(newAddress);
        if (address.Length == 0) problems.Add((AddressField, Codes.AddressMissing));
        else if (address.Length < HomeCallForm.MinAddressLength) problems.Add((AddressField, Codes.AddressTooShort));
        else if (address.Length > AttachmentDetails.MaxAddressLength) problems.Add((AddressField, Codes.AddressTooLong));
        if (newDistrict is null || !districts.Contains(newDistrict)) problems.Add((DistrictField, Codes.DistrictMissing));
        return problems.Count > 0 ? (null, problems) : (new AttachmentReasonChoice(reason, address, newDistrict), problems);
    }
}
