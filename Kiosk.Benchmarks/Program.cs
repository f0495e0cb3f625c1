// "central-load": Central under parallel pushes from many kiosks (issue 5); "drain": the sync drain benchmark (real
// worker and Central processes; issue 4). Anything else: BenchmarkDotNet (docs/benchmarks.md).
if (args is ["central-load", .. var load]) return await Kiosk.Benchmarks.CentralLoad.CentralLoadRun.RunAsync(load);
if (args is ["drain", .. var drain]) return Kiosk.Benchmarks.DrainBenchmark.Run(drain);
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Kiosk.Benchmarks.DrainBenchmark).Assembly).Run(args);
return 0;
