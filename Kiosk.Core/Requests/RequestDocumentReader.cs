using System.Text.Json;
using System.Text.Unicode;
using Kiosk.Core.Identity;

namespace Kiosk.Core.Requests;

/// <summary>
/// Strict reading of request documents: valid UTF-8 without a BOM, one JSON object, no comments or trailing commas,
/// no duplicate and no unknown properties, every required property present with its exact JSON type (an id is an
/// integer token, never <c>1.0</c> or <c>"1"</c>; an optional property is absent, never <c>null</c>), a known schema
/// version, and every value passing the same rules as the constructors.
/// </summary>
internal static class RequestDocumentReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 4,
    };

    private static readonly string[] TopLevel =
        ["version", "requestId", "kind", "applicantIin", "applicantName", "createdAt", "kioskId", "language", "filedBy", "details"];

    private static readonly string[] HomeCallProperties = ["address", "phone", "reasonCode", "note"];
    private static readonly string[] AppointmentProperties = ["clinicId", "doctorId", "slotId", "slotStart"];
    private static readonly string[] CancellationProperties = ["action", "cancelsRequestId", "clinicId", "doctorId", "slotId", "slotStart"];
    private static readonly string[] AttachmentProperties = ["clinicId", "reason", "newAddress", "newDistrict"];

    public static RequestDocument Read(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IsEmpty) throw Invalid("the document is empty");
        if (utf8Json.Length > RequestDocument.MaxBytes) throw Invalid($"the document is over {RequestDocument.MaxBytes} bytes");
        if (utf8Json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) throw Invalid("the document starts with a byte order mark");
        if (!Utf8.IsValid(utf8Json)) throw Invalid("the document is not valid UTF-8");

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(utf8Json.ToArray(), Options);
        }
        catch (JsonException e)
        {
            throw Invalid($"the document is not JSON ({e.Message})");
        }
        using (json)
        {
            try
            {
                return Read(json.RootElement);
            }
            catch (ArgumentException e)
            {
                throw Invalid(e.Message);
            }
            catch (InvalidOperationException e)
            {
                // A string that cannot be turned into text (an escaped lone surrogate, for example).
                throw Invalid($"a value cannot be read ({e.Message})");
            }
        }
    }

    private static RequestDocument Read(JsonElement root)
    {
        var top = Properties(root, "the document");

        // The version first: a document of another version is "unsupported", whatever else it holds.
        if (!top.TryGetValue("version", out var version)) throw Invalid("version is missing");
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || !IsIntegerToken(version))
            throw Invalid("version is not an integer");
        if (v != RequestDocument.SchemaVersion)
            throw new RequestDocumentFormatException(RequestDocumentFormatException.UnsupportedVersion,
                $"schema version {v} is not supported (this code reads version {RequestDocument.SchemaVersion})");
        Unknown(top, "the document", TopLevel);

        var requestIdText = String(top, "requestId");
        if (!RequestRules.TryParseRequestId(requestIdText, out var requestId))
            throw Invalid("requestId is not a lower-case UUID (8-4-4-4-12 hex digits)");
        var kind = String(top, "kind");
        var iinText = String(top, "applicantIin");
        if (!Iin.TryParse(iinText, out var iin, out var iinError)) throw Invalid($"applicantIin is not a valid IIN ({iinError})");
        var name = String(top, "applicantName");
        var createdAt = Instant(top, "createdAt");
        var kioskId = String(top, "kioskId");
        var language = String(top, "language");
        FiledByStaff? filedBy = null;
        if (top.TryGetValue("filedBy", out var filedByElement))
        {
            var f = Properties(filedByElement, "filedBy");
            Unknown(f, "filedBy", ["staffIin"]);
            if (!Iin.TryParse(String(f, "staffIin", "filedBy."), out var staffIin, out var staffError))
                throw Invalid($"filedBy.staffIin is not a valid IIN ({staffError})");
            if (staffIin == iin) throw Invalid("filedBy.staffIin is the applicant's own IIN (a citizen's own request has no filedBy)");
            filedBy = new FiledByStaff(staffIin);
        }
        var detailsElement = Required(top, "details");
        if (detailsElement.ValueKind != JsonValueKind.Object) throw Invalid("details is not an object");

        RequestDetails details = kind switch
        {
            RequestKinds.HomeCall => HomeCall(detailsElement),
            RequestKinds.Appointment => Appointment(detailsElement),
            RequestKinds.Attachment => Attachment(detailsElement),
            _ => throw Invalid($"kind is not one of {string.Join(", ", RequestKinds.All)}"),
        };
        return new RequestDocument(requestId, iin, name, createdAt, kioskId, language, details, filedBy);
    }

    private static HomeCallDetails HomeCall(JsonElement element)
    {
        var p = Properties(element, "details");
        Unknown(p, "details", HomeCallProperties);
        return new HomeCallDetails(String(p, "address", "details."), String(p, "phone", "details."),
            String(p, "reasonCode", "details."), OptionalString(p, "note", "details."));
    }

    /// <summary>A booking, or with <c>"action":"cancel"</c> a cancellation (the only action there is; a booking has none).</summary>
    private static RequestDetails Appointment(JsonElement element)
    {
        var p = Properties(element, "details");
        if (p.ContainsKey("action"))
        {
            if (String(p, "action", "details.") != AppointmentCancellationDetails.CancelAction)
                throw Invalid($"details.action is not \"{AppointmentCancellationDetails.CancelAction}\" (a booking has no action)");
            Unknown(p, "details", CancellationProperties);
            if (!RequestRules.TryParseRequestId(String(p, "cancelsRequestId", "details."), out var cancels))
                throw Invalid("details.cancelsRequestId is not a lower-case UUID (8-4-4-4-12 hex digits)");
            return new AppointmentCancellationDetails(cancels, Integer(p, "clinicId"), Integer(p, "doctorId"), Integer(p, "slotId"),
                Instant(p, "slotStart", "details."));
        }
        Unknown(p, "details", AppointmentProperties);
        return new AppointmentDetails(Integer(p, "clinicId"), Integer(p, "doctorId"), Integer(p, "slotId"),
            Instant(p, "slotStart", "details."));
    }

    private static AttachmentDetails Attachment(JsonElement element)
    {
        var p = Properties(element, "details");
        Unknown(p, "details", AttachmentProperties);
        return new AttachmentDetails(Integer(p, "clinicId"), String(p, "reason", "details."), OptionalString(p, "newAddress", "details."),
            OptionalString(p, "newDistrict", "details."));
    }

    /// <summary>The object's properties by name; a repeated name is an error (two readers could take different ones).</summary>
    private static Dictionary<string, JsonElement> Properties(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Invalid($"{what} is not a JSON object");
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!result.TryAdd(property.Name, property.Value)) throw Invalid($"{what} has the property \"{property.Name}\" twice");
        }
        return result;
    }

    private static void Unknown(Dictionary<string, JsonElement> properties, string what, string[] known)
    {
        foreach (var name in properties.Keys)
        {
            if (!known.Contains(name, StringComparer.Ordinal)) throw Invalid($"{what} has an unknown property \"{name}\"");
        }
    }

    private static JsonElement Required(Dictionary<string, JsonElement> properties, string name, string prefix = "")
    {
        if (!properties.TryGetValue(name, out var value)) throw Invalid($"{prefix}{name} is missing");
        return value;
    }

    private static string String(Dictionary<string, JsonElement> properties, string name, string prefix = "")
    {
        var value = Required(properties, name, prefix);
        if (value.ValueKind != JsonValueKind.String) throw Invalid($"{prefix}{name} is not a string");
        return value.GetString()!;
    }

    private static string? OptionalString(Dictionary<string, JsonElement> properties, string name, string prefix) =>
        properties.ContainsKey(name) ? String(properties, name, prefix) : null;

    private static long Integer(Dictionary<string, JsonElement> properties, string name)
    {
        var value = Required(properties, name, "details.");
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n) || !IsIntegerToken(value))
            throw Invalid($"details.{name} is not an integer");
        return n;
    }

    /// <summary>An integer token: digits with an optional minus, no fraction or exponent (so <c>1.0</c> and <c>1e0</c> are refused).</summary>
    private static bool IsIntegerToken(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.AsSpan().TrimStart('-').IndexOfAnyExceptInRange('0', '9') < 0;
    }

    private static DateTimeOffset Instant(Dictionary<string, JsonElement> properties, string name, string prefix = "")
    {
        var text = String(properties, name, prefix);
        if (!RequestRules.TryParseInstant(text, out var instant))
            throw Invalid($"{prefix}{name} is not a UTC instant of the form yyyy-MM-ddTHH:mm:ss.fffZ");
        return instant;
    }

    private static RequestDocumentFormatException Invalid(string message) => new(RequestDocumentFormatException.Invalid, message);
}
