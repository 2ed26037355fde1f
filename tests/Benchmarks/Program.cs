using System.Globalization;
using BenchmarkDotNet.Running;
using Levee.Benchmarks;

// `lifecycle [count] [concurrency]`: in-process throughput; anything else goes to BenchmarkDotNet.
if (args is ["lifecycle", ..])
{
    var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
    var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
    await InProcessLifecycle.RunAsync(count, concurrency);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(InProcessLifecycle).Assembly).Run(args);
