using System.Globalization;
using Kiosk.Core.Feedback;
using Kiosk.Node.Feedback;
using Kiosk.Web.Feedback;

namespace Kiosk.Web.Desk;

/// <summary>
/// Times the steps of the regulation's table 2 («через услугодателя») at the registrar's desk (issue 12 item 6;
/// docs/survey-and-step-times.md §3), on the server with the node's <see cref="TimeProvider"/>, and hands each duration
/// to <see cref="StepTimes"/> (the step, the service, the duration — nothing of the registrar or the citizen):
/// <list type="bullet">
/// <item>staff sign-in: the staff sign-in screen first shown → a registrar signed in (in the browser's session; an
/// operator's sign-in is not a desk step and is not recorded);</item>
/// <item>choice of service: the desk's service menu first shown → a service chosen (in the session);</item>
/// <item>registry look-up: the IIN sent to Central → the registry answered (found, not found or deceased; no answer at
/// all is not a registry time);</item>
/// <item>desk form: the pre-filled form first shown → the completed form accepted (in the case);</item>
/// <item>desk signing: the review screen first shown → signed with the registrar's EDS and queued (in the case).</item>
/// </list>
/// A case's clocks live in the case (<see cref="DeskCase.Clocks"/>), so the next citizen's are fresh and going back and
/// forth neither restarts a clock nor records a step twice.
/// </summary>
public sealed class DeskStepClock(StepTimes steps, TimeProvider time)
{
    private const string SessionPrefix = "desk.step.";

    /// <summary>Starts a step that comes before any case (staff sign-in, choice of service) unless it runs already.</summary>
    public void StartBeforeCase(HttpContext http, string step)
    {
        var key = SessionPrefix + step;
        if (http.Session.GetString(key) is null)
            http.Session.SetString(key, time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Ends a step started by <see cref="StartBeforeCase"/>; records it when <paramref name="record"/>, else only forgets it.</summary>
    public void StopBeforeCase(HttpContext http, string step, string? service, bool record = true)
    {
        var key = SessionPrefix + step;
        var text = http.Session.GetString(key);
        if (text is null) return;
        http.Session.Remove(key);
        if (record && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            steps.Record(step, service, time.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero));
    }

    /// <summary>The case with <paramref name="step"/> started, unless it started or was recorded for this case already.</summary>
    public DeskCase Start(DeskCase desk, string step)
    {
        if (desk.Clocks.Started.ContainsKey(step) || desk.Clocks.Done.Contains(step)) return desk;
        return desk with { Clocks = desk.Clocks with { Started = desk.Clocks.Started.SetItem(step, time.GetUtcNow()) } };
    }

    /// <summary>The case with <paramref name="step"/> ended and recorded for the case's service, once; unchanged when it never started.</summary>
    public DeskCase Stop(DeskCase desk, string step)
    {
        if (desk.Clocks.Done.Contains(step) || !desk.Clocks.Started.TryGetValue(step, out var started)) return desk;
        steps.Record(step, desk.Service, time.GetUtcNow() - started);
        return desk with { Clocks = new StepClocks(desk.Clocks.Started.Remove(step), desk.Clocks.Done.Add(step)) };
    }

    /// <summary>Times one call (the registry look-up) and records it when <paramref name="answered"/> says its outcome counts.</summary>
    public async Task<T> TimeAsync<T>(string step, string service, Func<Task<T>> call, Func<T, bool> answered)
    {
        var started = time.GetTimestamp();
        var result = await call();
        if (answered(result)) steps.Record(step, service, time.GetElapsedTime(started));
        return result;
    }
}
