// "drain": the sync drain benchmark (real worker and Central processes; DrainBenchmark). Anything else: BenchmarkDotNet.
if (args is ["drain", .. var rest])
    return Kiosk.Benchmarks.DrainBenchmark.Run(rest);
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Kiosk.Benchmarks.DrainBenchmark).Assembly).Run(args);
return 0;
