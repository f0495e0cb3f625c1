using Kiosk.Core.Time;

namespace Kiosk.Core.Services.HomeCall;

/// <summary>A clinic's opening hours on one weekday, local Astana time.</summary>
public sealed record WorkingHours(TimeOnly Opens, TimeOnly Closes)
{
    public TimeOnly CutOff => Closes.Add(-HomeCallRule.CutOffBeforeClosing);
}

/// <summary>What the population registry says about the applicant, as far as a home call cares.</summary>
/// <param name="AttachedClinicWeek">The opening hours of the clinic the person is attached to, by weekday (a missing
/// day is a closed day); null when the person is attached to no clinic.</param>
public sealed record HomeCallApplicant(bool InRegistry, bool Deceased, IReadOnlyDictionary<DayOfWeek, WorkingHours>? AttachedClinicWeek)
{
    public static HomeCallApplicant NotInRegistry { get; } = new(false, false, null);
}

public abstract record HomeCallDecision
{
    /// <summary>The doctor comes today (<paramref name="VisitDate"/>, Astana) between the two clock times.</summary>
    public sealed record Accepted(DateOnly VisitDate, TimeOnly From, TimeOnly To) : HomeCallDecision;

    /// <summary>Refused, for the reason named by one of <see cref="RefusalReasons"/>' codes.</summary>
    public sealed record Refused(string Reason) : HomeCallDecision;
}

/// <summary>
/// The provider's automatic decision on a home call (regulation, "Вызов врача на дом", items 8–9; DESIGN §7): the
/// service is given on the day of the request, and a request is accepted until 2 hours before the attached clinic
/// closes. The cut-off is judged at <c>signedAt</c>, the moment the citizen signed (the caller decides how far a
/// kiosk's signing time is trusted), so a call signed in time at a kiosk that was offline is not punished for the
/// network; but a doctor cannot be sent on a day that is over, so a call that reaches the provider after its clinic's
/// working day has ended is refused with advice to phone.
/// </summary>
public static class HomeCallRule
{
    public static readonly TimeSpan CutOffBeforeClosing = TimeSpan.FromHours(2);

    /// <summary>Visit windows start on a quarter hour.</summary>
    private const int WindowStepMinutes = 15;

    public static HomeCallDecision Decide(HomeCallApplicant applicant, DateTimeOffset signedAt, DateTimeOffset decidedAt)
    {
        if (!applicant.InRegistry) return new HomeCallDecision.Refused(RefusalReasons.NotInRegistry);
        if (applicant.Deceased) return new HomeCallDecision.Refused(RefusalReasons.Deceased);
        if (applicant.AttachedClinicWeek is not { } week) return new HomeCallDecision.Refused(RefusalReasons.NotAttached);

        var signed = AstanaTime.ToLocal(signedAt);
        var day = DateOnly.FromDateTime(signed);
        if (!week.TryGetValue(day.DayOfWeek, out var hours)) return new HomeCallDecision.Refused(RefusalReasons.ClinicClosedToday);
        // "Until 2 hours before closing": at the cut-off minute itself the request is late.
        if (TimeOnly.FromDateTime(signed) >= hours.CutOff) return new HomeCallDecision.Refused(RefusalReasons.AfterCutOff);

        var decided = AstanaTime.ToLocal(decidedAt);
        if (DateOnly.FromDateTime(decided) != day) return new HomeCallDecision.Refused(RefusalReasons.DayOver);
        var from = Max(hours.Opens, RoundUp(TimeOnly.FromDateTime(decided)));
        if (from >= hours.Closes) return new HomeCallDecision.Refused(RefusalReasons.DayOver);
        return new HomeCallDecision.Accepted(day, from, hours.Closes);
    }

    private static TimeOnly RoundUp(TimeOnly t)
    {
        var minutes = (int)Math.Ceiling(t.ToTimeSpan().TotalMinutes / WindowStepMinutes) * WindowStepMinutes;
        return minutes >= 24 * 60 ? TimeOnly.MaxValue : TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(minutes));
    }

    private static TimeOnly Max(TimeOnly a, TimeOnly b) => a > b ? a : b;
}
