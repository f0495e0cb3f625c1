using System.Text;
using System.Text.Json;
using Json.Schema;
using Kiosk.Core.Requests;
using Kiosk.Tests.Support;

namespace Kiosk.Tests.Requests;

/// <summary>docs/schemas/request-document-v1.schema.json against what the code writes and reads.</summary>
public class RequestDocumentSchemaTests
{
    private static readonly string SchemaPath = Path.Combine(Solution.Root, "docs", "schemas", "request-document-v1.schema.json");

    // Built once: the library keeps a registry of schemas by $id.
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(SchemaPath)));

    private static EvaluationResults Evaluate(byte[] utf8Json)
    {
        using var json = JsonDocument.Parse(utf8Json);
        return Schema.Value.Evaluate(json.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Errors(EvaluationResults r) =>
        string.Join("; ", (r.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}")));

    [Fact]
    public void Every_document_the_code_writes_conforms_to_the_schema()
    {
        foreach (var document in SampleDocuments.All())
        {
            var result = Evaluate(document.ToUtf8Json());
            Assert.True(result.IsValid, $"{document.Kind}: {Errors(result)}");
        }
    }

    [Fact]
    public void Many_generated_documents_conform_and_round_trip()
    {
        var random = new Random(20261125);
        var names = new[] { "ӘБДІРАХМАНОВА ГҮЛНАР ЕРЛАНҚЫЗЫ", "O'Brien \"Jack\"", "Back\\slash", "Ёлкин Й", "Ли 🚪" };
        for (var i = 0; i < 300; i++)
        {
            var iin = Kiosk.Core.Identity.Iin.Create(new DateOnly(1930, 1, 1).AddDays(random.Next(30000)),
                random.Next(2) == 0 ? Kiosk.Core.Identity.Sex.Male : Kiosk.Core.Identity.Sex.Female, random.Next(10000));
            RequestDetails details = (i % 3) switch
            {
                0 => new HomeCallDetails(names[random.Next(names.Length)], "+7" + random.NextInt64(7000000000, 7999999999),
                    HomeCallReasons.All[random.Next(HomeCallReasons.All.Count)], random.Next(2) == 0 ? null : names[random.Next(names.Length)]),
                1 => new AppointmentDetails(random.Next(1, 100), random.NextInt64(1, long.MaxValue), random.Next(1, int.MaxValue),
                    DateTimeOffset.UnixEpoch.AddMilliseconds(random.NextInt64(1_700_000_000_000, 1_900_000_000_000))),
                _ => AttachmentReasons.All[random.Next(3)] is var reason && reason == AttachmentReasons.ChangeOfResidence
                    ? new AttachmentDetails(random.Next(1, 100), reason, names[random.Next(names.Length)])
                    : new AttachmentDetails(random.Next(1, 100), reason),
            };
            var document = new RequestDocument(Guid.NewGuid(), iin, names[random.Next(names.Length)],
                DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(1_700_000_000_000_0000, 1_900_000_000_000_0000)),
                "kiosk-" + random.Next(1000), RequestDocument.Languages[random.Next(3)], details);
            var bytes = document.ToUtf8Json();
            var result = Evaluate(bytes);
            Assert.True(result.IsValid, $"{Encoding.UTF8.GetString(bytes)}: {Errors(result)}");
            Assert.Equal(bytes, RequestDocument.Parse(bytes).ToUtf8Json());
        }
    }

    [Fact]
    public void The_schema_names_exactly_the_properties_the_code_writes_with_their_JSON_types()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var root = schema.RootElement;
        var defs = root.GetProperty("$defs");

        void Same(JsonElement objectSchema, byte[] written, string path, bool allOptionalsWritten)
        {
            using var doc = JsonDocument.Parse(written);
            var element = doc.RootElement;
            foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries)) element = element.GetProperty(segment);
            var writtenNames = element.EnumerateObject().Select(p => p.Name).ToList();
            var declared = objectSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
            var required = objectSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.False(objectSchema.GetProperty("additionalProperties").GetBoolean());
            Assert.Subset(writtenNames.ToHashSet(), required.ToHashSet());
            Assert.Subset(declared.ToHashSet(), writtenNames.ToHashSet());
            if (allOptionalsWritten) Assert.Equal(declared, writtenNames); // same names, same order
            foreach (var property in element.EnumerateObject())
            {
                var declaredType = TypeOf(objectSchema.GetProperty("properties").GetProperty(property.Name), defs);
                var actual = property.Value.ValueKind switch
                {
                    JsonValueKind.String => "string",
                    JsonValueKind.Number => "integer",
                    JsonValueKind.Object => "object",
                    var k => k.ToString(),
                };
                Assert.True(declaredType == actual, $"{path}/{property.Name}: schema says {declaredType}, the code writes {actual}");
            }
        }

        Same(root, SampleDocuments.DeskHomeCall().ToUtf8Json(), "", allOptionalsWritten: true);
        Same(root, SampleDocuments.HomeCall().ToUtf8Json(), "", allOptionalsWritten: false);
        Same(root.GetProperty("properties").GetProperty("filedBy"), SampleDocuments.DeskHomeCall().ToUtf8Json(), "filedBy", allOptionalsWritten: true);
        Same(defs.GetProperty("homeCall"), SampleDocuments.HomeCall().ToUtf8Json(), "details", allOptionalsWritten: true);
        Same(defs.GetProperty("homeCall"), SampleDocuments.HomeCall(note: null).ToUtf8Json(), "details", allOptionalsWritten: false);
        Same(defs.GetProperty("appointment"), SampleDocuments.Appointment().ToUtf8Json(), "details", allOptionalsWritten: true);
        Same(defs.GetProperty("attachment"), SampleDocuments.Attachment().ToUtf8Json(), "details", allOptionalsWritten: true);
        Same(defs.GetProperty("attachment"), SampleDocuments.Attachment(AttachmentReasons.Voluntary).ToUtf8Json(), "details", allOptionalsWritten: false);

        // The enumerations are the code's.
        Assert.Equal(RequestKinds.All, root.GetProperty("properties").GetProperty("kind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(RequestDocument.Languages, root.GetProperty("properties").GetProperty("language").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HomeCallReasons.All, defs.GetProperty("homeCall").GetProperty("properties").GetProperty("reasonCode").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(AttachmentReasons.All, defs.GetProperty("attachment").GetProperty("properties").GetProperty("reason").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    private static string TypeOf(JsonElement propertySchema, JsonElement defs)
    {
        if (propertySchema.TryGetProperty("$ref", out var reference))
            return TypeOf(defs.GetProperty(reference.GetString()!.Split('/')[^1]), defs);
        return propertySchema.GetProperty("type").GetString()!;
    }

    public static TheoryData<string, string> NotConforming => new()
    {
        { "a missing property", "\"kioskId\":\"kiosk-001\"," },
        { "an unknown property", "\"language\":\"kk\"|\"language\":\"kk\",\"x\":1" },
        { "attachment details under home-call", "\"details\":{\"address\"|\"details\":{\"clinicId\":1,\"reason\":\"voluntary\",\"address\"" },
        { "an IIN as a number", "\"850314312017\"|850314312017" },
        { "a padded name", "\"ЖҰМАБЕКОВ|\" ЖҰМАБЕКОВ" },
        { "a local time", "04:12:09.123Z|09:12:09.123+05:00" },
        { "version 2", "\"version\":1|\"version\":2" },
    };

    [Theory]
    [MemberData(nameof(NotConforming))]
    public void The_schema_is_not_vacuous(string what, string edit)
    {
        var good = Encoding.UTF8.GetString(SampleDocuments.HomeCall().ToUtf8Json());
        var parts = edit.Split('|');
        var bad = good.Replace(parts[0], parts.Length > 1 ? parts[1] : "");
        Assert.NotEqual(good, bad);
        Assert.False(Evaluate(Encoding.UTF8.GetBytes(bad)).IsValid, what);
        Assert.False(RequestDocument.TryParse(Encoding.UTF8.GetBytes(bad), out _, out _), what);
    }

    [Fact]
    public void Change_of_residence_needs_a_new_address_and_other_reasons_forbid_one()
    {
        var moving = Encoding.UTF8.GetString(SampleDocuments.Attachment().ToUtf8Json());
        Assert.False(Evaluate(Encoding.UTF8.GetBytes(moving.Replace(",\"newAddress\":\"Astana, Mangilik El 55, flat 9\"", ""))).IsValid);
        Assert.False(Evaluate(Encoding.UTF8.GetBytes(moving.Replace("change-of-residence", "voluntary"))).IsValid);
    }
}
