using System.Globalization;
using System.Text;
using Kiosk.Core.Requests;

namespace Kiosk.Web.Pages.Services.HomeCall;

/// <summary>
/// The home-call form as the citizen filled it in, already cleaned and checked (<see cref="HomeCallForm"/>). Kept in
/// the signed-in session only (never in a URL, a cookie or a log) until it is signed or the session ends.
/// <see cref="RequestId"/> is made when the citizen first completes the form and stays the same while they change the
/// form or retry the signature: it is the request's idempotency key.
/// </summary>
public sealed record HomeCallDraft(Guid RequestId, string Address, string Phone, string ReasonCode, string? Note)
{
    public HomeCallDetails ToDetails() => new(Address, Phone, ReasonCode, Note);

    /// <summary>The request id only: the rest is personal.</summary>
    public override string ToString() => $"HomeCallDraft {{ RequestId = {RequestId:D} }}";
}

/// <summary>The short request number of a receipt; kept for the pages that name it so (see <see cref="Kiosk.Web.Requests.RequestReceipt"/>).</summary>
public static class HomeCallReceipt
{
    public static string ShortForm(Guid id) => Kiosk.Web.Requests.RequestReceipt.ShortForm(id);
}

/// <summary>
/// Cleans and checks the home-call form: every text is NFC-normalised, white space and control characters collapse to
/// single spaces and the ends are trimmed (the request document refuses anything else, docs/request-document.md);
/// a Kazakhstan phone number typed in any usual way becomes <c>+7XXXXXXXXXX</c>. Each problem is a code with its field.
/// </summary>
public static class HomeCallForm
{
    public const string AddressField = "Address";
    public const string PhoneField = "Phone";
    public const string ReasonField = "Reason";
    public const string NoteField = "Note";

    /// <summary>Shorter than this is not an address a doctor can find ("city, street, house").</summary>
    public const int MinAddressLength = 5;

    public const int MaxAddressLength = HomeCallDetails.MaxAddressLength;
    public const int MaxNoteLength = HomeCallDetails.MaxNoteLength;

    /// <summary>A problem code's words for the person at the screen (the kiosk's form and the desk's).</summary>
    public static string Message(Microsoft.Extensions.Localization.IStringLocalizer t, string code) => code switch
    {
        Codes.AddressMissing => t["HomeCall.Error.AddressMissing"],
        Codes.AddressTooShort => t["HomeCall.Error.AddressTooShort"],
        Codes.AddressTooLong => t["HomeCall.Error.AddressTooLong", MaxAddressLength],
        Codes.PhoneMissing => t["HomeCall.Error.PhoneMissing"],
        Codes.PhoneInvalid => t["HomeCall.Error.PhoneInvalid"],
        Codes.ReasonMissing => t["HomeCall.Error.ReasonMissing"],
        Codes.NoteTooLong => t["HomeCall.Error.NoteTooLong", MaxNoteLength],
        _ => code,
    };

    /// <summary>What the phone field accepts as typed (digits, +, spaces, dashes, brackets).</summary>
    public const int MaxPhoneInputLength = 20;

    public static class Codes
    {
        public const string AddressMissing = "address-missing";
        public const string AddressTooShort = "address-too-short";
        public const string AddressTooLong = "address-too-long";
        public const string PhoneMissing = "phone-missing";
        public const string PhoneInvalid = "phone-invalid";
        public const string ReasonMissing = "reason-missing";
        public const string NoteTooLong = "note-too-long";
    }

    /// <summary>The cleaned values and the problems; <c>Draft</c> is null when there is any problem.</summary>
    public static (HomeCallDraft? Draft, IReadOnlyList<(string Field, string Code)> Problems) Check(
        Guid requestId, string? address, string? phone, string? reason, string? note)
    {
        var problems = new List<(string, string)>();
        var cleanAddress = CleanText(address);
        if (cleanAddress.Length == 0) problems.Add((AddressField, Codes.AddressMissing));
        else if (cleanAddress.Length < MinAddressLength) problems.Add((AddressField, Codes.AddressTooShort));
        else if (cleanAddress.Length > MaxAddressLength) problems.Add((AddressField, Codes.AddressTooLong));

        string? cleanPhone = null;
        if (string.IsNullOrWhiteSpace(phone)) problems.Add((PhoneField, Codes.PhoneMissing));
        else if ((cleanPhone = NormalisePhone(phone)) is null) problems.Add((PhoneField, Codes.PhoneInvalid));

        if (reason is null || !HomeCallReasons.All.Contains(reason, StringComparer.Ordinal)) problems.Add((ReasonField, Codes.ReasonMissing));

        var cleanNote = CleanText(note);
        if (cleanNote.Length > MaxNoteLength) problems.Add((NoteField, Codes.NoteTooLong));

        if (problems.Count > 0) return (null, problems);
        return (new HomeCallDraft(requestId, cleanAddress, cleanPhone!, reason!, cleanNote.Length == 0 ? null : cleanNote), problems);
    }

    /// <summary>NFC; runs of white space and control characters become one space; unpaired surrogates go; trimmed.</summary>
    public static string CleanText(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var text = value.Length > 4 * MaxAddressLength + 4 * MaxNoteLength ? value[..(4 * MaxAddressLength + 4 * MaxNoteLength)] : value;
        var builder = new StringBuilder(text.Length);
        var space = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (space && builder.Length > 0) builder.Append(' ');
                space = false;
                builder.Append(c).Append(text[++i]);
                continue;
            }
            if (char.IsSurrogate(c)) continue;
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }
            if (space && builder.Length > 0) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        var normalised = builder.ToString().Normalize(NormalizationForm.FormC);
        return normalised.Trim();
    }

    /// <summary>
    /// A Kazakhstan number (country code 7; the national number has 10 digits and starts with 7: mobile 70x, 747, 75x,
    /// 76x, 771, 775–778, landlines 71x–73x) as <c>+7XXXXXXXXXX</c>; null when it is not one. Accepts +7…, 8…, 7… and
    /// the bare 10 digits, with spaces, dashes and brackets.
    /// </summary>
    public static string? NormalisePhone(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || typed.Length > MaxPhoneInputLength) return null;
        var plus = false;
        var digits = new StringBuilder(12);
        foreach (var c in typed.Trim())
        {
            if (c is >= '0' and <= '9') digits.Append(c);
            else if (c == '+' && digits.Length == 0 && !plus) plus = true;
            else if (c is ' ' or '-' or '(' or ')' or '\u00A0') continue;
            else return null;
        }
        var d = digits.ToString();
        string national;
        if (plus) national = d.Length == 11 && d[0] == '7' ? d[1..] : "";
        else if (d.Length == 11 && d[0] is '8' or '7') national = d[1..];
        else if (d.Length == 10) national = d;
        else return null;
        if (national.Length != 10 || national[0] != '7' || national[1] > '7') return null;
        return "+7" + national;
    }

    /// <summary>+77011234567 as "+7 701 123 45 67" for the screen.</summary>
    public static string DisplayPhone(string phone) =>
        phone.Length == 12 && phone.StartsWith("+7", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"+7 {phone[2..5]} {phone[5..8]} {phone[8..10]} {phone[10..12]}")
            : phone;
}
