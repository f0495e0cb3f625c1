using System.Text;
using System.Text.Json;
using Json.Schema;
using Kiosk.Core.Requests;
using Kiosk.Tests.Requests;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Services.Appointment;

/// <summary>
/// The signed cancellation (issue 5): kind appointment with <c>"action":"cancel"</c>, in schema version 1. A booking's
/// bytes are what they were; the strict reader and the schema both tell the two shapes apart.
/// </summary>
public class CancellationDocumentTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(Solution.Root, "docs", "schemas", "request-document-v1.schema.json")),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static bool Conforms(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Schema.Value.Evaluate(doc.RootElement.Clone()).IsValid;
    }

    private static string Json(RequestDocument d) => Encoding.UTF8.GetString(d.ToUtf8Json());

    [Fact]
    public void A_cancellation_is_written_in_the_documented_order_reads_back_and_conforms()
    {
        var document = SampleDocuments.AppointmentCancellation();
        Assert.Equal(RequestKinds.Appointment, document.Kind);
        Assert.EndsWith(
            """"
            "details":{"action":"cancel","cancelsRequestId":"0b6d5c57-1f0e-4c1a-8a63-2f9f1d0c8e21","clinicId":12,"doctorId":345,"slotId":67890123,"slotStart":"2026-11-27T05:40:00.000Z"}}
            """",
            Json(document));
        var read = RequestDocument.Parse(document.ToUtf8Json());
        var details = Assert.IsType<AppointmentCancellationDetails>(read.Details);
        Assert.Equal(Guid.Parse("0b6d5c57-1f0e-4c1a-8a63-2f9f1d0c8e21"), details.CancelsRequestId);
        Assert.Equal(document.ToUtf8Json(), read.ToUtf8Json());
        Assert.True(Conforms(Json(document)));
        // A booking is still a booking, with no action written.
        Assert.IsType<AppointmentDetails>(RequestDocument.Parse(SampleDocuments.Appointment().ToUtf8Json()).Details);
        Assert.DoesNotContain("action", Json(SampleDocuments.Appointment()));
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "an action other than cancel", "\"action\":\"cancel\"|\"action\":\"book\"" },
        { "no cancelsRequestId", "\"cancelsRequestId\":\"0b6d5c57-1f0e-4c1a-8a63-2f9f1d0c8e21\",|" },
        { "an upper-case cancelsRequestId", "0b6d5c57-1f0e-4c1a-8a63-2f9f1d0c8e21|0B6D5C57-1F0E-4C1A-8A63-2F9F1D0C8E21" },
        { "a property of another kind", "\"slotId\":67890123|\"slotId\":67890123,\"reason\":\"voluntary\"" },
        { "no slot", ",\"slotId\":67890123|" },
        { "a booking that names a request to cancel (no action)", "\"action\":\"cancel\",|" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void The_reader_and_the_schema_refuse_a_broken_cancellation(string what, string edit)
    {
        var good = Json(SampleDocuments.AppointmentCancellation());
        var parts = edit.Split('|');
        var bad = good.Replace(parts[0], parts[1]);
        Assert.NotEqual(good, bad);
        Assert.False(RequestDocument.TryParse(Encoding.UTF8.GetBytes(bad), out _, out var error), what);
        Assert.Equal(RequestDocumentFormatException.Invalid, error!.Code);
        Assert.False(Conforms(bad), what);
    }

    [Fact]
    public void A_new_district_goes_only_with_a_change_of_residence()
    {
        Assert.Throws<ArgumentException>(() => new AttachmentDetails(3, AttachmentReasons.Voluntary, null, "esil"));
        Assert.Throws<ArgumentException>(() => new AttachmentDetails(3, AttachmentReasons.ChangeOfResidence, "Астана", "no spaces allowed"));
        var voluntary = Json(SampleDocuments.Attachment(AttachmentReasons.Voluntary));
        var withDistrict = voluntary.Replace("\"reason\":\"voluntary\"", "\"reason\":\"voluntary\",\"newDistrict\":\"esil\"");
        Assert.False(RequestDocument.TryParse(Encoding.UTF8.GetBytes(withDistrict), out _, out _));
        Assert.False(Conforms(withDistrict));
        Assert.Equal("esil", ((AttachmentDetails)RequestDocument.Parse(SampleDocuments.Attachment().ToUtf8Json()).Details).NewDistrict);
    }
}
