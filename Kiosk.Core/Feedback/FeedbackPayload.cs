using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kiosk.Core.Feedback;

/// <summary>The kinds of anonymous report that travel through the kiosk's feedback outbox (docs/survey-and-step-times.md).</summary>
public static class FeedbackKinds
{
    /// <summary>An answer to the quality survey of the regulation's appendix 3 (<see cref="SurveyAnswer"/>).</summary>
    public const string Survey = "survey";

    /// <summary>How long one step of the regulation's tables 1–2 took (<see cref="StepTime"/>).</summary>
    public const string StepTime = "step-time";

    public static IReadOnlyList<string> All { get; } = [Survey, StepTime];

    public static bool IsKnown(string? kind) => kind is Survey or StepTime;

    /// <summary>An item id as it travels: a lower-case UUID, 8-4-4-4-12 hex digits (a random one, never a request's).</summary>
    public static bool IsItemId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) =>
        id is { Length: 36 } && Guid.TryParseExact(id, "D", out _) && id == id.ToLowerInvariant();
}

/// <summary>A feedback payload that does not follow docs/schemas/feedback-push-v1.schema.json; the message names the member.</summary>
public sealed class FeedbackFormatException(string message) : FormatException(message);

/// <summary>
/// Strict reading of a feedback payload (a JSON object): no unknown and no duplicate members, every member with its exact
/// JSON type (an id is an integer token, never <c>1.0</c> or <c>"1"</c>; an absent optional member is absent, never
/// <c>null</c>). The same rules as the request documents' reader, for a much smaller object.
/// </summary>
internal static class FeedbackJson
{
    public static Dictionary<string, JsonElement> Members(JsonElement element, IReadOnlyCollection<string> allowed)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new FeedbackFormatException("the payload is not a JSON object");
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!members.TryAdd(property.Name, property.Value)) throw new FeedbackFormatException($"{property.Name} appears twice");
            if (!allowed.Contains(property.Name)) throw new FeedbackFormatException($"{property.Name} is not a member of this payload");
        }
        return members;
    }

    public static string String(Dictionary<string, JsonElement> members, string name) =>
        OptionalString(members, name) ?? throw new FeedbackFormatException($"{name} is missing");

    public static string? OptionalString(Dictionary<string, JsonElement> members, string name)
    {
        if (!members.TryGetValue(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) throw new FeedbackFormatException($"{name} is not a string");
        return value.GetString();
    }

    public static long? OptionalInteger(Dictionary<string, JsonElement> members, string name)
    {
        if (!members.TryGetValue(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || !IsIntegerToken(value))
            throw new FeedbackFormatException($"{name} is not an integer");
        return number;
    }

    public static DateOnly Day(Dictionary<string, JsonElement> members, string name) =>
        DateOnly.TryParseExact(String(members, name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new FeedbackFormatException($"{name} is not a date yyyy-MM-dd");

    public static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The JSON text an object writer produces (UTF-8, no indentation, members in the order written).</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Only digits, with an optional leading minus: no fraction and no exponent.</summary>
    private static bool IsIntegerToken(JsonElement element)
    {
        var raw = element.GetRawText();
        return raw.Length > 0 && raw.AsSpan(raw[0] == '-' ? 1 : 0).IndexOfAnyExcept("0123456789") < 0;
    }
}
