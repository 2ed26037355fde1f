using System.Globalization;
using BenchmarkDotNet.Running;
using Levee.Benchmarks;

// `lifecycle [count] [concurrency]`: in-process throughput (on PostgreSQL when LEVEE_BENCH_POSTGRES
// holds a connection string); anything else goes to BenchmarkDotNet.
if (args is ["lifecycle", ..])
{
    var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
    var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
    await InProcessLifecycle.RunAsync(count, concurrency, Environment.GetEnvironmentVariable("LEVEE_BENCH_POSTGRES") is { Length: > 0 } postgres ? postgres : null);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(InProcessLifecycle).Assembly).Run(args);
