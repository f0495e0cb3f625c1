using System.Text;
using System.Text.RegularExpressions;
using Kiosk.Core.Identity;
using Kiosk.Core.Requests;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Requests;

/// <summary>Documents of every kind, shared by the document, schema and signing tests.</summary>
internal static class SampleDocuments
{
    public static readonly Iin Iin = Iin.Parse("850314312017");
    public static readonly DateTimeOffset CreatedAt = new(2026, 11, 25, 4, 12, 9, 123, TimeSpan.Zero);

    public static RequestDocument HomeCall(Iin? iin = null, string? note = "Температура 38,7, \"жөтел\" бар") => new(
        Guid.Parse("3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c"), iin ?? Iin, "ЖҰМАБЕКОВ АСХАТ СЕРІКҰЛЫ", CreatedAt, "kiosk-001", "kk",
        new HomeCallDetails("Астана, Сарыарқа ауданы, Бейбітшілік к-сі, 12-үй, 34-пәтер", "+77011234567", HomeCallReasons.Fever, note));

    public static RequestDocument Appointment() => new(
        Guid.Parse("0b6d5c57-1f0e-4c1a-8a63-2f9f1d0c8e21"), Iin, "ЖҰМАБЕКОВ АСХАТ СЕРІКҰЛЫ", CreatedAt.AddMinutes(3), "kiosk-001", "ru",
        new AppointmentDetails(12, 345, 67890123, new DateTimeOffset(2026, 11, 27, 5, 40, 0, TimeSpan.Zero)));

    public static RequestDocument Attachment(string reason = AttachmentReasons.ChangeOfResidence) => new(
        Guid.Parse("a1c2e3f4-0000-4abc-8def-0123456789ab"), Iin, "Ivanov Sergei", CreatedAt.AddHours(1), "KIOSK_7.lobby", "en",
        new AttachmentDetails(3, reason, reason == AttachmentReasons.ChangeOfResidence ? "Astana, Mangilik El 55, flat 9" : null,
            reason == AttachmentReasons.ChangeOfResidence ? "esil" : null));

    public static RequestDocument AppointmentCancellation() => new(
        Guid.Parse("5e0c2a61-9b7d-4f3e-a1c4-7d8e9f0a1b2c"), Iin, "ЖҰМАБЕКОВ АСХАТ СЕРІКҰЛЫ", CreatedAt.AddMinutes(30), "kiosk-001", "ru",
        new AppointmentCancellationDetails(Guid.Parse("0b6d5c57-1f0e-4c1a-8a63-2f9f1d0c8e21"), 12, 345, 67890123,
            new DateTimeOffset(2026, 11, 27, 5, 40, 0, TimeSpan.Zero)));

    /// <summary>A home call a registrar filed at the desk for the citizen (issue 12): <c>filedBy</c> names the registrar.</summary>
    public static readonly Iin Registrar = Iin.Parse("900712400342");

    public static RequestDocument DeskHomeCall() => new(
        Guid.Parse("7d1e5a90-3c2b-4f6d-8e7a-1b2c3d4e5f60"), Iin, "ЖҰМАБЕКОВ АСХАТ СЕРІКҰЛЫ", CreatedAt.AddMinutes(10), "kiosk-001", "ru",
        new HomeCallDetails("Астана, Сарыарқа ауданы, Бейбітшілік к-сі, 12-үй, 34-пәтер", "+77011234567", HomeCallReasons.Fever), new FiledByStaff(Registrar));

    public static IEnumerable<RequestDocument> All()
    {
        yield return HomeCall();
        yield return DeskHomeCall();
        yield return HomeCall(note: null);
        yield return Appointment();
        yield return AppointmentCancellation();
        yield return Attachment();
        yield return Attachment(AttachmentReasons.Voluntary);
        yield return Attachment(AttachmentReasons.FirstAttachment);
    }
}

public class RequestDocumentTests
{
    private static string Json(RequestDocument d) => Encoding.UTF8.GetString(d.ToUtf8Json());

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void The_example_in_the_documentation_is_what_the_code_writes_byte_for_byte()
    {
        var doc = File.ReadAllText(Path.Combine(Solution.Root, "docs", "request-document.md"));
        var example = Regex.Match(doc, "```json\n(.*?)\n```", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(Utf8(example), SampleDocuments.HomeCall().ToUtf8Json());
    }

    [Fact]
    public void Bytes_are_UTF8_without_BOM_or_white_space_with_Cyrillic_and_plus_unescaped()
    {
        var bytes = SampleDocuments.HomeCall().ToUtf8Json();
        Assert.False(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]));
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("{\"version\":1,\"requestId\":\"3f2b8c1e-", text);
        Assert.DoesNotContain("\n", text);
        Assert.DoesNotContain("\\u", text);
        Assert.Contains("\"phone\":\"+77011234567\"", text);
        Assert.Contains("ЖҰМАБЕКОВ", text);
        Assert.Contains("\\\"жөтел\\\"", text); // only " and \ are escaped
        Assert.EndsWith("}}", text);
    }

    [Fact]
    public void Properties_come_in_the_documented_order_and_absent_optionals_are_left_out()
    {
        Assert.Equal(
            """{"version":1,"requestId":"0b6d5c57-1f0e-4c1a-8a63-2f9f1d0c8e21","kind":"appointment","applicantIin":"850314312017","applicantName":"ЖҰМАБЕКОВ АСХАТ СЕРІКҰЛЫ","createdAt":"2026-11-25T04:15:09.123Z","kioskId":"kiosk-001","language":"ru","details":{"clinicId":12,"doctorId":345,"slotId":67890123,"slotStart":"2026-11-27T05:40:00.000Z"}}""",
            Json(SampleDocuments.Appointment()));
        Assert.EndsWith("""{"clinicId":3,"reason":"voluntary"}}""", Json(SampleDocuments.Attachment(AttachmentReasons.Voluntary)));
        Assert.EndsWith("""{"clinicId":3,"reason":"change-of-residence","newAddress":"Astana, Mangilik El 55, flat 9","newDistrict":"esil"}}""", Json(SampleDocuments.Attachment()));
        Assert.DoesNotContain("note", Json(SampleDocuments.HomeCall(note: null)));
        Assert.DoesNotContain("null", string.Concat(SampleDocuments.All().Select(Json)));
    }

    [Fact]
    public void Every_kind_round_trips_to_an_equal_document_and_the_same_bytes()
    {
        foreach (var original in SampleDocuments.All())
        {
            var bytes = original.ToUtf8Json();
            var parsed = RequestDocument.Parse(bytes);
            Assert.Equal(original, parsed);
            Assert.Equal(original.Kind, parsed.Kind);
            Assert.Equal(bytes, parsed.ToUtf8Json());
        }
    }

    [Fact]
    public void The_same_document_always_gives_the_same_bytes_whatever_the_culture_or_the_offset_given()
    {
        var first = SampleDocuments.HomeCall().ToUtf8Json();
        var culture = Thread.CurrentThread.CurrentCulture;
        try
        {
            foreach (var name in new[] { "kk-KZ", "ru-RU", "ar-SA", "th-TH", "" })
            {
                Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo(name);
                Assert.Equal(first, SampleDocuments.HomeCall().ToUtf8Json());
            }
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
        // The same instant given with Astana's offset and sub-millisecond ticks writes the same createdAt.
        var d = SampleDocuments.HomeCall();
        var local = new RequestDocument(d.RequestId, d.ApplicantIin, d.ApplicantName,
            SampleDocuments.CreatedAt.ToOffset(TimeSpan.FromHours(5)).AddTicks(9999), d.KioskId, d.Language, d.Details);
        Assert.Equal(first, local.ToUtf8Json());
        Assert.Equal(TimeSpan.Zero, local.CreatedAt.Offset);
    }

    public static TheoryData<string, string> Rejected => new()
    {
        // what is wrong, the document (built from the valid home call by a text edit)
        { "not JSON", "{\"version\":1," },
        { "an array", "[1]" },
        { "trailing comma", Good().Replace("}}", "},}") },
        { "a comment", Good().Replace("{\"version\"", "{/*x*/\"version\"") },
        { "version missing", Good().Replace("\"version\":1,", "") },
        { "version as a string", Good().Replace("\"version\":1", "\"version\":\"1\"") },
        { "version 1.0", Good().Replace("\"version\":1", "\"version\":1.0") },
        { "duplicate property", Good().Replace("\"kind\":\"home-call\"", "\"kind\":\"home-call\",\"kind\":\"attachment\"") },
        { "unknown property", Good().Replace("\"language\":\"kk\"", "\"language\":\"kk\",\"extra\":true") },
        { "unknown details property", Good().Replace("\"reasonCode\":\"fever\"", "\"reasonCode\":\"fever\",\"priority\":1") },
        { "requestId upper-case", Good().Replace("3f2b8c1e", "3F2B8C1E") },
        { "requestId in braces", Good().Replace("\"3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c\"", "\"{3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c}\"") },
        { "nil requestId", Good().Replace("3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c", "00000000-0000-0000-0000-000000000000") },
        { "unknown kind", Good().Replace("\"home-call\"", "\"house-call\"") },
        { "kind that does not fit the details", Good().Replace("\"home-call\"", "\"attachment\"") },
        { "IIN with a wrong check digit", Good().Replace("850314312017", "850314312018") },
        { "IIN as a number", Good().Replace("\"850314312017\"", "850314312017") },
        { "IIN with 11 digits", Good().Replace("850314312017", "85031431201") },
        { "createdAt with an offset", Good().Replace("04:12:09.123Z", "09:12:09.123+05:00") },
        { "createdAt without milliseconds", Good().Replace("04:12:09.123Z", "04:12:09Z") },
        { "createdAt not a date", Good().Replace("2026-11-25", "2026-13-25") },
        { "name with surrounding space", Good().Replace("\"ЖҰМАБЕКОВ", "\" ЖҰМАБЕКОВ") },
        { "name with a newline", Good().Replace("АСХАТ ", "АСХАТ\\n") },
        { "empty name", Good().Replace("ЖҰМАБЕКОВ АСХАТ СЕРІКҰЛЫ", "") },
        { "name not NFC", Good().Replace("АСХАТ", "АСХАТ\u0419".Normalize(NormalizationForm.FormD)) },
        { "escaped lone surrogate", Good().Replace("АСХАТ", "АС\\ud800ХАТ") },
        { "unknown language", Good().Replace("\"kk\"", "\"de\"") },
        { "bad kiosk id", Good().Replace("kiosk-001", "kiosk 001") },
        { "phone with spaces", Good().Replace("+77011234567", "+7 701 123 45 67") },
        { "phone with a newline", Good().Replace("+77011234567", "+77011234567\\n") },
        { "unknown reason", Good().Replace("\"fever\"", "\"boredom\"") },
        { "null note", Good().Replace("\"note\":\"Температура 38,7, \\\"жөтел\\\" бар\"", "\"note\":null") },
        { "address missing", Good().Replace("\"address\":\"Астана, Сарыарқа ауданы, Бейбітшілік к-сі, 12-үй, 34-пәтер\",", "") },
        { "details not an object", Good()[..Good().IndexOf("\"details\"", StringComparison.Ordinal)] + "\"details\":\"x\"}" },
        { "note too long", Good().Replace("Температура 38,7, \\\"жөтел\\\" бар", new string('я', 501)) },
        { "trailing data", Good() + "{}" },
        { "filedBy with a bad IIN", Good().Replace("\"language\":\"kk\",", "\"language\":\"kk\",\"filedBy\":{\"staffIin\":\"900712400343\"},") },
        { "filedBy naming the applicant", Good().Replace("\"language\":\"kk\",", "\"language\":\"kk\",\"filedBy\":{\"staffIin\":\"850314312017\"},") },
        { "filedBy with an extra member", Good().Replace("\"language\":\"kk\",", "\"language\":\"kk\",\"filedBy\":{\"staffIin\":\"900712400342\",\"bin\":\"1\"},") },
        { "filedBy null", Good().Replace("\"language\":\"kk\",", "\"language\":\"kk\",\"filedBy\":null,") },
        { "filedBy empty", Good().Replace("\"language\":\"kk\",", "\"language\":\"kk\",\"filedBy\":{},") },
    };

    [Fact]
    public void A_desk_request_names_its_registrar_between_language_and_details_and_must_carry_the_registrars_signature()
    {
        var desk = SampleDocuments.DeskHomeCall();
        Assert.Contains("\"language\":\"ru\",\"filedBy\":{\"staffIin\":\"900712400342\"},\"details\":", Json(desk));
        Assert.Equal(SampleDocuments.Registrar, desk.SignerIin);
        Assert.Equal(SampleDocuments.Iin, desk.ApplicantIin);
        Assert.Equal(SampleDocuments.Iin, SampleDocuments.HomeCall().SignerIin); // a citizen's own: the citizen signs
        Assert.DoesNotContain("filedBy", Json(SampleDocuments.HomeCall()));
        Assert.DoesNotContain("900712400342", desk.ToString());
    }

    private static string Good() => Encoding.UTF8.GetString(SampleDocuments.HomeCall().ToUtf8Json());

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Strict_parsing_refuses(string what, string json)
    {
        Assert.NotEqual(Good(), json); // the edit really changed something
        var ok = RequestDocument.TryParse(Utf8(json), out var document, out var error);
        Assert.False(ok, $"{what}: accepted");
        Assert.Null(document);
        Assert.Equal(RequestDocumentFormatException.Invalid, error!.Code);
        Assert.Throws<RequestDocumentFormatException>(() => RequestDocument.Parse(Utf8(json)));
    }

    public static TheoryData<string, string> RejectedIds => new()
    {
        { "clinicId as a string", "\"clinicId\":\"12\"" },
        { "clinicId 12.0", "\"clinicId\":12.0" },
        { "clinicId 1.2e1", "\"clinicId\":1.2e1" },
        { "clinicId zero", "\"clinicId\":0" },
        { "clinicId negative", "\"clinicId\":-12" },
        { "clinicId too big for a long", "\"clinicId\":99999999999999999999" },
    };

    [Theory]
    [MemberData(nameof(RejectedIds))]
    public void Ids_must_be_positive_integer_tokens(string what, string replacement)
    {
        var json = Encoding.UTF8.GetString(SampleDocuments.Appointment().ToUtf8Json()).Replace("\"clinicId\":12", replacement);
        Assert.False(RequestDocument.TryParse(Utf8(json), out _, out var error), what);
        Assert.Equal(RequestDocumentFormatException.Invalid, error!.Code);
    }

    [Fact]
    public void A_BOM_invalid_UTF8_and_oversized_input_are_refused_before_parsing()
    {
        var good = SampleDocuments.HomeCall().ToUtf8Json();
        Assert.False(RequestDocument.TryParse([0xEF, 0xBB, 0xBF, .. good], out _, out var bom));
        Assert.Contains("byte order mark", bom!.Message);
        var broken = good.ToArray();
        broken[Array.IndexOf(broken, (byte)0xD0)] = 0xFF; // the first byte of a Cyrillic letter
        Assert.False(RequestDocument.TryParse(broken, out _, out var utf8));
        Assert.Contains("UTF-8", utf8!.Message);
        Assert.False(RequestDocument.TryParse(new byte[RequestDocument.MaxBytes + 1], out _, out var big));
        Assert.Contains("over", big!.Message);
        Assert.False(RequestDocument.TryParse([], out _, out _));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0")]
    [InlineData("99")]
    public void Another_version_is_unsupported_whatever_else_the_document_holds(string version)
    {
        var json = Good().Replace("\"version\":1", $"\"version\":{version}").Replace("\"language\":\"kk\"", "\"language\":\"kk\",\"newField\":[1,2]");
        Assert.False(RequestDocument.TryParse(Utf8(json), out _, out var error));
        Assert.Equal(RequestDocumentFormatException.UnsupportedVersion, error!.Code);
        Assert.Contains(version, error.Message);
    }

    [Fact]
    public void ToString_names_the_request_but_not_the_person()
    {
        foreach (var document in SampleDocuments.All())
        {
            var text = document.ToString() + " " + document.Details;
            Assert.Contains(document.RequestId.ToString(), text);
            Assert.DoesNotContain(document.ApplicantIin.Value, text);
            Assert.DoesNotContain(document.ApplicantName, text);
            Assert.DoesNotContain("+7701", text);
            Assert.DoesNotContain("Астана", text);
            Assert.DoesNotContain("Astana", text);
        }
    }

    [Fact]
    public void The_constructors_refuse_what_the_parser_refuses()
    {
        var d = SampleDocuments.HomeCall();
        Assert.Throws<ArgumentException>(() => new RequestDocument(Guid.Empty, d.ApplicantIin, d.ApplicantName, d.CreatedAt, d.KioskId, d.Language, d.Details));
        Assert.Throws<ArgumentException>(() => new RequestDocument(d.RequestId, default, d.ApplicantName, d.CreatedAt, d.KioskId, d.Language, d.Details));
        Assert.Throws<ArgumentException>(() => new RequestDocument(d.RequestId, d.ApplicantIin, "name ", d.CreatedAt, d.KioskId, d.Language, d.Details));
        Assert.Throws<ArgumentException>(() => new RequestDocument(d.RequestId, d.ApplicantIin, d.ApplicantName, d.CreatedAt, "", d.Language, d.Details));
        Assert.Throws<ArgumentException>(() => new RequestDocument(d.RequestId, d.ApplicantIin, d.ApplicantName, d.CreatedAt, d.KioskId, "RU", d.Details));
        Assert.Throws<ArgumentException>(() => new RequestDocument(d.RequestId, d.ApplicantIin, d.ApplicantName, d.CreatedAt, d.KioskId, d.Language, null!));
        Assert.Throws<ArgumentException>(() => new HomeCallDetails("addr", "87011234567", HomeCallReasons.Fever));
        Assert.Throws<ArgumentException>(() => new HomeCallDetails("addr", "+77011234567", HomeCallReasons.Fever, ""));
        Assert.Throws<ArgumentException>(() => new HomeCallDetails("a\tb", "+77011234567", HomeCallReasons.Fever));
        Assert.Throws<ArgumentException>(() => new AppointmentDetails(1, 0, 1, SampleDocuments.CreatedAt));
        Assert.Throws<ArgumentException>(() => new AttachmentDetails(1, AttachmentReasons.ChangeOfResidence));
        Assert.Throws<ArgumentException>(() => new AttachmentDetails(1, AttachmentReasons.Voluntary, "somewhere"));
        Assert.Throws<ArgumentException>(() => new AttachmentDetails(1, "because"));
        // An emoji (a surrogate pair) is text like any other.
        Assert.Equal("Подъезд 2 🚪", new HomeCallDetails("addr", "+77011234567", HomeCallReasons.Other, "Подъезд 2 🚪").Note);
    }
}
