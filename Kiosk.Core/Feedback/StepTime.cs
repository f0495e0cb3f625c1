using System.Text.Json;
using Kiosk.Core.Requests;

namespace Kiosk.Core.Feedback;

/// <summary>
/// How long one step of the regulation's tables 1–2 took once (issue 12 item 6): the step, the service it was for (null
/// for a step before any service is chosen, such as the staff's sign-in), the duration and the Astana day. No personal
/// data and nothing that names a request; the kiosk it came from is the authenticated sender, not part of the payload.
/// </summary>
public sealed record StepTime
{
    /// <summary>The longest duration recorded: anything longer is a session left open, not a step.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    /// <summary>The services a step may name: the three of DESIGN §1, and <c>status</c> ("check my request", which also starts with a sign-in).</summary>
    public static IReadOnlyList<string> Services { get; } = [.. RequestKinds.All, "status"];

    private static readonly string[] Members = ["step", "service", "durationMs", "day"];

    public StepTime(string step, string? service, TimeSpan duration, DateOnly day)
    {
        Norm = StepCatalogue.Find(step) ?? throw new ArgumentException("step is not a step of the catalogue", nameof(step));
        if (service is not null && !Services.Contains(service))
            throw new ArgumentException($"service is not one of {string.Join(", ", Services)}", nameof(service));
        var ms = (long)Math.Round(duration.TotalMilliseconds);
        if (ms < 1 || duration > MaxDuration) throw new ArgumentException("durationMs must be between 1 and 3600000", nameof(duration));
        Step = step;
        Service = service;
        DurationMs = ms;
        Day = day;
    }

    public string Step { get; }
    public string? Service { get; }

    /// <summary>Whole milliseconds, 1 … 3,600,000.</summary>
    public long DurationMs { get; }

    public DateOnly Day { get; }

    public StepNorm Norm { get; }

    public string Channel => Norm.Channel;

    public TimeSpan Duration => TimeSpan.FromMilliseconds(DurationMs);

    /// <summary>Whether a duration can be recorded at all (1 ms up to <see cref="MaxDuration"/>).</summary>
    public static bool IsRecordable(TimeSpan duration) => duration >= TimeSpan.FromMilliseconds(1) && duration <= MaxDuration;

    /// <summary>The payload of a <see cref="FeedbackKinds.StepTime"/> item: <c>{"step","service","durationMs","day"}</c> (no service: left out).</summary>
    public string ToPayload() => FeedbackJson.Write(w =>
    {
        w.WriteString("step", Step);
        if (Service is not null) w.WriteString("service", Service);
        w.WriteNumber("durationMs", DurationMs);
        w.WriteString("day", FeedbackJson.DayText(Day));
    });

    /// <summary>Reads a payload strictly; <see cref="FeedbackFormatException"/> names what is wrong.</summary>
    public static StepTime FromPayload(JsonElement payload)
    {
        var m = FeedbackJson.Members(payload, Members);
        var ms = FeedbackJson.OptionalInteger(m, "durationMs") ?? throw new FeedbackFormatException("durationMs is missing");
        if (ms < 1 || ms > (long)MaxDuration.TotalMilliseconds) throw new FeedbackFormatException("durationMs must be between 1 and 3600000");
        try
        {
            return new StepTime(FeedbackJson.String(m, "step"), FeedbackJson.OptionalString(m, "service"), TimeSpan.FromMilliseconds(ms),
                FeedbackJson.Day(m, "day"));
        }
        catch (ArgumentException e)
        {
            throw new FeedbackFormatException(e.Message.Split(" (Parameter", 2)[0]);
        }
    }
}
