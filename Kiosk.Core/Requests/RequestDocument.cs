using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kiosk.Core.Identity;

namespace Kiosk.Core.Requests;

/// <summary>
/// What a citizen signs (DESIGN §4, §6; docs/request-document.md): a versioned JSON document whose exact UTF-8 bytes
/// carry the CMS signature. <see cref="ToUtf8Json"/> writes them deterministically; <see cref="Parse"/> reads them back
/// strictly. Central parses the signed bytes and never re-serialises them, so the bytes, not this object, are the
/// evidence.
/// <para>
/// Every value is checked when the document is made (an <see cref="ArgumentException"/> names the field), and the
/// properties are get-only, so an invalid document cannot exist and cannot be signed.
/// </para>
/// </summary>
public sealed record RequestDocument
{
    /// <summary>The schema version this code writes and the only one it reads.</summary>
    public const int SchemaVersion = 1;

    public const int MaxNameLength = 200;

    /// <summary>A document longer than this is refused unread; a real one is well under 2 KiB.</summary>
    public const int MaxBytes = 16 * 1024;

    public static IReadOnlyList<string> Languages { get; } = ["kk", "ru", "en"];

    /// <param name="filedBy">Set when a registrar files the request at the clinic's desk for the citizen (issue 12,
    /// regulation diagram 2): the registrar signs it, not the citizen.</param>
    public RequestDocument(Guid requestId, Iin applicantIin, string applicantName, DateTimeOffset createdAt, string kioskId,
        string language, RequestDetails details, FiledByStaff? filedBy = null)
    {
        RequestId = RequestRules.RequestId(requestId, "requestId");
        if (applicantIin == default) throw RequestRules.Bad("applicantIin", "is missing");
        ApplicantIin = applicantIin;
        ApplicantName = RequestRules.Text(applicantName, "applicantName", MaxNameLength);
        CreatedAt = RequestRules.Instant(createdAt);
        KioskId = RequestRules.KioskId(kioskId, "kioskId");
        Language = RequestRules.OneOf(language, "language", Languages);
        Details = details ?? throw RequestRules.Bad("details", "is missing");
        FiledBy = filedBy;
    }

    /// <summary>The request's id and idempotency key (DESIGN §6): the sync envelope must carry the same one.</summary>
    public Guid RequestId { get; }

    /// <summary>One of <see cref="RequestKinds"/>, decided by the type of <see cref="Details"/>.</summary>
    public string Kind => Details.Kind;

    /// <summary>Whose request it is: the IIN of the certificate the citizen signed in with. Signing checks it against the signing certificate.</summary>
    public Iin ApplicantIin { get; }

    /// <summary>The applicant's name as the certificate gives it (surname, first name, patronymic).</summary>
    public string ApplicantName { get; }

    /// <summary>When the kiosk made the document: UTC, whole milliseconds.</summary>
    public DateTimeOffset CreatedAt { get; }

    public string KioskId { get; }

    /// <summary>The language the citizen used ("kk", "ru" or "en"): the one Central answers in.</summary>
    public string Language { get; }

    public RequestDetails Details { get; }

    /// <summary>Null when the citizen filed the request at a kiosk; the registrar when it was filed at the desk.</summary>
    public FiledByStaff? FiledBy { get; }

    /// <summary>Whose signature the request must carry: the registrar's when filed at the desk, else the applicant's.</summary>
    public Iin SignerIin => FiledBy?.StaffIin ?? ApplicantIin;

    /// <summary>Names the request without the person (no IIN, name, address or phone), so a logged document leaks nothing.</summary>
    public override string ToString() =>
        $"RequestDocument {{ RequestId = {RequestRules.FormatRequestId(RequestId)}, Kind = {Kind}, CreatedAt = {RequestRules.FormatInstant(CreatedAt)}, KioskId = {KioskId} }}";

    /// <summary>
    /// The document's bytes: UTF-8 JSON, no BOM, no white space between tokens, properties in the documented order,
    /// optional properties left out when absent, only <c>"</c> and <c>\</c> escaped in strings. The same document always
    /// gives the same bytes.
    /// </summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", SchemaVersion);
            writer.WriteString("requestId", RequestRules.FormatRequestId(RequestId));
            writer.WriteString("kind", Kind);
            writer.WriteString("applicantIin", ApplicantIin.Value);
            writer.WriteString("applicantName", ApplicantName);
            writer.WriteString("createdAt", RequestRules.FormatInstant(CreatedAt));
            writer.WriteString("kioskId", KioskId);
            writer.WriteString("language", Language);
            if (FiledBy is not null)
            {
                writer.WritePropertyName("filedBy");
                writer.WriteStartObject();
                writer.WriteString("staffIin", FiledBy.StaffIin.Value);
                writer.WriteEndObject();
            }
            writer.WritePropertyName("details");
            Details.Write(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a document strictly; throws <see cref="RequestDocumentFormatException"/> saying what is wrong.</summary>
    public static RequestDocument Parse(ReadOnlySpan<byte> utf8Json) => RequestDocumentReader.Read(utf8Json);

    /// <summary>Reads a document strictly; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out RequestDocument? document,
        [NotNullWhen(false)] out RequestDocumentFormatException? error)
    {
        try
        {
            document = RequestDocumentReader.Read(utf8Json);
            error = null;
            return true;
        }
        catch (RequestDocumentFormatException e)
        {
            document = null;
            error = e;
            return false;
        }
    }

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // Cyrillic and '+' as themselves, not \uXXXX: the signed bytes stay readable. The document is data, never
        // pasted into HTML, so the HTML-safe escaping of the default encoder buys nothing here.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };
}

/// <summary>
/// A request filed for a citizen by a registrar at the clinic's desk (issue 12, regulation diagram 2, process 5): the
/// registrar's IIN, whose employee certificate signs it. Written as <c>"filedBy":{"staffIin":"…"}</c> between
/// <c>language</c> and <c>details</c>; absent for a citizen's own request, whose bytes stay as they were.
/// </summary>
public sealed record FiledByStaff
{
    public FiledByStaff(Iin staffIin)
    {
        if (staffIin == default) throw RequestRules.Bad("filedBy.staffIin", "is missing");
        StaffIin = staffIin;
    }

    public Iin StaffIin { get; }
}

/// <summary>Bytes that are not a request document this code reads. <see cref="Code"/> is stable; the message is for logs.</summary>
public sealed class RequestDocumentFormatException(string code, string message) : FormatException(message)
{
    /// <summary>The document names a schema version this code does not know.</summary>
    public const string UnsupportedVersion = "unsupported-version";

    /// <summary>Anything else: not JSON, wrong types, missing or unknown properties, values that break the rules.</summary>
    public const string Invalid = "invalid-document";

    public string Code { get; } = code;
}
