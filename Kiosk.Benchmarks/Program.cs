// "central-load": Central under parallel pushes from many kiosks (issue 5; docs/benchmarks.md). Anything else: BenchmarkDotNet.
if (args is ["central-load", .. var rest]) return await Kiosk.Benchmarks.CentralLoad.CentralLoadRun.RunAsync(rest);
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Kiosk.Benchmarks.CentralLoad.CentralLoadRun).Assembly).Run(args);
return 0;
