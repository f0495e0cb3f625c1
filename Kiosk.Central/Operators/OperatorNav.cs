namespace Kiosk.Central.Operators;

/// <summary>One entry of the operator pages' navigation bar.</summary>
public sealed record OperatorNavItem(string Path, string Label, string Id);

/// <summary>The operator pages' navigation, in the order the bar shows it. A new operator page adds its entry here.</summary>
public static class OperatorNav
{
    public static IReadOnlyList<OperatorNavItem> Items { get; } =
    [
        new(OperatorPages.FleetPath, "Fleet", "nav-fleet"),
        new("/notices", "Notices", "nav-notices"),
        new("/survey", "Survey", "nav-survey"),
        new("/step-times", "Step times", "nav-step-times"),
    ];
}
