using Kiosk.Core.Feedback;
using Kiosk.Core.Time;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kiosk.Node.Feedback;

/// <summary>
/// Records how long a step of the regulation's tables 1–2 took (issue 12 item 6; <see cref="StepCatalogue"/>): the kiosk's
/// screens call it for table 1 (sign-in, form, sign and send), the registrar's desk for table 2 (staff sign-in, choice of
/// service, registry look-up, form, signing). Each call queues one anonymous <see cref="FeedbackKinds.StepTime"/> item in
/// the feedback outbox — the step, the service, the duration and the Astana day; the kiosk's id travels as the sync
/// worker's authentication, nothing else goes with it. A measurement never gets in the way of the person it measured:
/// a duration out of range is ignored and a storage failure is logged, never thrown.
/// </summary>
public sealed partial class StepTimes(FeedbackOutbox outbox, TimeProvider time, ILogger<StepTimes> logger)
{
    /// <summary>Queues one measurement; false when it was not recorded (unknown step or service, out-of-range duration, storage failure).</summary>
    /// <param name="step">A <see cref="StepCatalogue"/> code, e.g. <see cref="StepCatalogue.RegistryLookup"/>.</param>
    /// <param name="service">A service code (<c>home-call</c>, <c>appointment</c>, <c>attachment</c>, <c>status</c>) or null before one is chosen.</param>
    public bool Record(string step, string? service, TimeSpan duration)
    {
        if (!StepTime.IsRecordable(duration))
        {
            LogOutOfRange(step, (long)duration.TotalMilliseconds);
            return false;
        }
        StepTime measured;
        try
        {
            measured = new StepTime(step, service, duration, AstanaTime.Today(time));
        }
        catch (ArgumentException e)
        {
            LogRefused(step, e.ParamName ?? "?");
            return false;
        }
        try
        {
            outbox.Enqueue(FeedbackKinds.StepTime, measured.ToPayload(), time.GetUtcNow());
            return true;
        }
        catch (SqliteException e)
        {
            LogNotStored(step, e.SqliteErrorCode);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Debug, "Step time of {Step} not recorded: {DurationMs} ms is out of range")]
    private partial void LogOutOfRange(string step, long durationMs);

    [LoggerMessage(LogLevel.Warning, "Step time of {Step} not recorded: {Field} is not valid")]
    private partial void LogRefused(string step, string field);

    [LoggerMessage(LogLevel.Warning, "Step time of {Step} not recorded: the kiosk's database refused it (SQLite error {Code})")]
    private partial void LogNotStored(string step, int code);
}
