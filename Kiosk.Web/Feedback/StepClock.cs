using System.Collections.Immutable;
using System.Globalization;
using Kiosk.Core.Feedback;
using Kiosk.Node.Feedback;
using Kiosk.Web.SignIn;

namespace Kiosk.Web.Feedback;

/// <summary>The signed-in session's running step clocks: when each (step, flow) started, and which were recorded already.</summary>
public sealed record StepClocks(ImmutableDictionary<string, DateTimeOffset> Started, ImmutableHashSet<string> Done)
{
    public static StepClocks Empty { get; } = new(ImmutableDictionary<string, DateTimeOffset>.Empty, []);
}

/// <summary>
/// Times the steps of the regulation's table 1 at the kiosk (issue 12 item 6; docs/survey-and-step-times.md), on the
/// server with the node's <see cref="TimeProvider"/>, and hands each duration to <see cref="StepTimes"/>:
/// <list type="bullet">
/// <item>sign-in: the sign-in screen first shown → signed in (kept in the anonymous session, which the sign-in ends);</item>
/// <item>form: a service's form first shown → its review screen first reached;</item>
/// <item>sign and send: the review screen first shown → the request signed, stored and queued.</item>
/// </list>
/// A clock starts only once per request (going back and forth between form and review neither restarts nor records a
/// step twice) and the flow's clocks are cleared once its request is signed. Clocks live in the session, in memory, and
/// die with it; a step abandoned is never recorded. Nothing but the step, the service and the duration leaves here.
/// </summary>
public static class StepClock
{
    private const string SignInKey = "kiosk.step.sign-in";

    /// <summary>The sign-in screen is shown (before sign-in): starts its clock unless it runs already.</summary>
    public static void SignInShown(HttpContext http)
    {
        if (http.Session.GetString(SignInKey) is null)
            http.Session.SetString(SignInKey, Now(http).UtcTicks.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Signed in for <paramref name="service"/>: records the sign-in step (call before the session is cleared).</summary>
    public static void SignedIn(HttpContext http, string service)
    {
        var text = http.Session.GetString(SignInKey);
        http.Session.Remove(SignInKey);
        if (text is null || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)) return;
        Record(http, StepCatalogue.SignIn, service, Now(http) - new DateTimeOffset(ticks, TimeSpan.Zero));
    }

    /// <summary>Starts <paramref name="step"/> of <paramref name="flow"/> unless it started or was recorded for the current request.</summary>
    public static void Start(HttpContext http, string step, string flow)
    {
        var clocks = http.GetCitizenItem<StepClocks>() ?? StepClocks.Empty;
        var key = Key(step, flow);
        if (clocks.Started.ContainsKey(key) || clocks.Done.Contains(key)) return;
        http.SetCitizenItem(clocks with { Started = clocks.Started.SetItem(key, Now(http)) });
    }

    /// <summary>Ends <paramref name="step"/> of <paramref name="flow"/> and records it for <paramref name="service"/>, once; nothing when it never started.</summary>
    public static void Stop(HttpContext http, string step, string flow, string service)
    {
        var clocks = http.GetCitizenItem<StepClocks>();
        var key = Key(step, flow);
        if (clocks is null || clocks.Done.Contains(key) || !clocks.Started.TryGetValue(key, out var started)) return;
        http.SetCitizenItem(clocks with { Started = clocks.Started.Remove(key), Done = clocks.Done.Add(key) });
        Record(http, step, service, Now(http) - started);
    }

    /// <summary>The flow's request is signed: its clocks are forgotten, so the next request of the flow is timed afresh.</summary>
    public static void Reset(HttpContext http, string flow)
    {
        if (http.GetCitizenItem<StepClocks>() is not { } clocks) return;
        var suffix = "|" + flow;
        http.SetCitizenItem(new StepClocks(
            clocks.Started.RemoveRange(clocks.Started.Keys.Where(k => k.EndsWith(suffix, StringComparison.Ordinal))),
            clocks.Done.Except(clocks.Done.Where(k => k.EndsWith(suffix, StringComparison.Ordinal)))));
    }

    private static string Key(string step, string flow) => step + "|" + flow;

    private static DateTimeOffset Now(HttpContext http) => http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    private static void Record(HttpContext http, string step, string service, TimeSpan duration) =>
        http.RequestServices.GetRequiredService<StepTimes>().Record(step, service, duration);
}

/// <summary>Registers the kiosk's feedback: the anonymous outbox, the step-time recorder and the survey's answers (section <c>Feedback</c>).</summary>
public static class FeedbackServices
{
    public static IServiceCollection AddKioskFeedback(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedbackOptions>()
            .Bind(configuration.GetSection(FeedbackOptions.Section))
            .Validate(o => o.SurveySendDelayMax >= TimeSpan.Zero && o.SurveySendDelayMax <= TimeSpan.FromDays(1),
                "Feedback:SurveySendDelayMax must be between 00:00:00 and 1.00:00:00.")
            .ValidateOnStart();
        services.AddSingleton<FeedbackOutbox>();
        services.AddSingleton<StepTimes>();
        services.AddSingleton<SurveyAnswers>();
        services.AddSingleton<Kiosk.Web.Pages.Status.StatusSurvey>();
        return services;
    }
}
