using BenchmarkDotNet.Attributes;
using Kiosk.Core.Identity;

namespace Kiosk.Benchmarks;

/// <summary>IIN validation against the cheapest thing a caller could do instead: parse the 12 digits as a number.</summary>
[MemoryDiagnoser]
public class IinBenchmarks
{
    private readonly string[] _numbers = Enumerable.Range(0, 1024)
        .Select(i => Iin.Create(new DateOnly(1950, 1, 1).AddDays(i * 17), i % 2 == 0 ? Sex.Male : Sex.Female, i).Value)
        .ToArray();

    [Benchmark(Baseline = true)]
    public int LongTryParse()
    {
        var n = 0;
        foreach (var s in _numbers) if (long.TryParse(s, out _)) n++;
        return n;
    }

    [Benchmark]
    public int IinTryParse()
    {
        var n = 0;
        foreach (var s in _numbers) if (Iin.TryParse(s, out _)) n++;
        return n;
    }
}
