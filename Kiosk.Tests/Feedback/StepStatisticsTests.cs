using CsCheck;
using Kiosk.Core.Feedback;

namespace Kiosk.Tests.Feedback;

/// <summary>Median, 90th percentile (nearest rank) and the share over the norm (docs/survey-and-step-times.md, "Aggregation").</summary>
public class StepStatisticsTests
{
    private static readonly StepNorm SignIn = StepCatalogue.Get(StepCatalogue.SignIn); // 30 s – 1 min

    [Fact]
    public void Nothing_measured_gives_no_median_no_percentile_and_no_share()
    {
        var s = StepStatistics.Summarise([], SignIn);
        Assert.Equal(StepSummary.Empty, s);
        Assert.Null(s.MedianMs);
        Assert.Null(s.P90Ms);
        Assert.Null(s.ShareOverNorm);
        Assert.Null(StepStatistics.NearestRank([], 50));
    }

    [Fact]
    public void One_value_is_its_own_median_and_percentile()
    {
        var s = StepStatistics.Summarise([42_000], SignIn);
        Assert.Equal(new StepSummary(1, 42_000, 42_000, 0), s);
        Assert.Equal(0.0, s.ShareOverNorm);
        Assert.Equal(1.0, StepStatistics.Summarise([61_000], SignIn).ShareOverNorm);
    }

    [Fact]
    public void Nearest_rank_takes_the_value_at_rank_ceil_p_n_whatever_the_order()
    {
        // 10 values 1..10 s, shuffled: median rank ⌈5⌉ = 5 → 5 s; p90 rank ⌈9⌉ = 9 → 9 s.
        long[] values = [7000, 2000, 10_000, 1000, 5000, 9000, 3000, 8000, 4000, 6000];
        var s = StepStatistics.Summarise(values, SignIn);
        Assert.Equal((10L, 5000L, 9000L), (s.Count, s.MedianMs!.Value, s.P90Ms!.Value));

        // An even count: the lower of the two middle values (nearest rank), never an average that nobody measured.
        Assert.Equal(2000, StepStatistics.NearestRank([1000, 2000, 3000, 4000], 50));
        // Eleven values: p90 rank ⌈9.9⌉ = 10.
        Assert.Equal(10, StepStatistics.NearestRank([.. Enumerable.Range(1, 11).Select(i => (long)i)], 90));
        // Few values: p90 of two is the larger.
        Assert.Equal(20, StepStatistics.NearestRank([10, 20], 90));
        Assert.Equal(30, StepStatistics.NearestRank([10, 20, 30], 100));
    }

    [Fact]
    public void Ties_count_once_each_and_a_value_equal_to_the_norm_is_within_it()
    {
        // Norm 1 min: 60 000 ms is within, 60 001 is over.
        long[] values = [60_000, 60_000, 60_000, 60_001, 30_000];
        var s = StepStatistics.Summarise(values, SignIn);
        Assert.Equal(5, s.Count);
        Assert.Equal(60_000, s.MedianMs);
        Assert.Equal(60_001, s.P90Ms);
        Assert.Equal(1, s.OverNorm);
        Assert.Equal(0.2, s.ShareOverNorm!.Value, 10);

        var same = StepStatistics.Summarise(Enumerable.Repeat(90_000L, 7), StepCatalogue.Get(StepCatalogue.Form)); // norm 1.5 min
        Assert.Equal(new StepSummary(7, 90_000, 90_000, 0), same);
    }

    [Fact]
    public void The_summary_agrees_with_a_plain_reading_of_the_definitions_for_any_values()
    {
        Gen.Long[1, 200_000].Array[1, 60].Sample(values =>
        {
            var s = StepStatistics.Summarise(values, SignIn);
            var sorted = values.Order().ToArray();
            long Rank(double p) => sorted[(int)Math.Ceiling(p * sorted.Length) - 1];
            Assert.Equal(values.Length, s.Count);
            Assert.Equal(Rank(0.5), s.MedianMs);
            Assert.Equal(Rank(0.9), s.P90Ms);
            Assert.Equal(values.Count(v => v > 60_000), s.OverNorm);
            Assert.True(s.MedianMs <= s.P90Ms);
            Assert.Contains(s.MedianMs!.Value, values);
        });
    }
}
