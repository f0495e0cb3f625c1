namespace Kiosk.Core.Feedback;

/// <summary>
/// The figures of one step for one scope (a kiosk, or the fleet) over a period: how many times it was measured, the
/// median and the 90th percentile (both by the nearest-rank method, so each is a duration that was really measured),
/// and how many took longer than the norm. Empty (no measurement): count 0 and the rest null.
/// </summary>
/// <param name="Count">Measurements.</param>
/// <param name="MedianMs">The 50th percentile by nearest rank (the lower of the two middle values when the count is even).</param>
/// <param name="P90Ms">The 90th percentile by nearest rank.</param>
/// <param name="OverNorm">Measurements strictly longer than the norm's upper end (<see cref="StepNorm.Max"/>); one equal to it is within.</param>
public sealed record StepSummary(long Count, long? MedianMs, long? P90Ms, long OverNorm)
{
    public static StepSummary Empty { get; } = new(0, null, null, 0);

    /// <summary><see cref="OverNorm"/> ÷ <see cref="Count"/> (0 … 1), null when nothing was measured.</summary>
    public double? ShareOverNorm => Count == 0 ? null : (double)OverNorm / Count;
}

/// <summary>Percentiles and the share over the norm (docs/survey-and-step-times.md, "Aggregation").</summary>
public static class StepStatistics
{
    /// <summary>
    /// The <paramref name="percent"/>-th percentile of values sorted ascending, by the nearest-rank method: the value at
    /// rank ⌈percent/100 · n⌉ (1-based). Always one of the values; null for none.
    /// </summary>
    public static long? NearestRank(IReadOnlyList<long> sortedAscending, int percent)
    {
        ArgumentNullException.ThrowIfNull(sortedAscending);
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var n = sortedAscending.Count;
        if (n == 0) return null;
        var rank = (int)(((long)percent * n + 99) / 100); // ⌈percent · n / 100⌉ in integers
        return sortedAscending[Math.Clamp(rank, 1, n) - 1];
    }

    /// <summary>The summary of <paramref name="durationsMs"/> (any order) against <paramref name="norm"/>.</summary>
    public static StepSummary Summarise(IEnumerable<long> durationsMs, StepNorm norm)
    {
        ArgumentNullException.ThrowIfNull(durationsMs);
        ArgumentNullException.ThrowIfNull(norm);
        var sorted = durationsMs.ToArray();
        Array.Sort(sorted);
        if (sorted.Length == 0) return StepSummary.Empty;
        var maxMs = (long)norm.Max.TotalMilliseconds;
        // Sorted: everything after the last value ≤ the norm is over it.
        var within = UpperBound(sorted, maxMs);
        return new StepSummary(sorted.Length, NearestRank(sorted, 50), NearestRank(sorted, 90), sorted.Length - within);
    }

    /// <summary>How many values are ≤ <paramref name="limit"/> in a sorted array.</summary>
    private static int UpperBound(long[] sorted, long limit)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= limit) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
