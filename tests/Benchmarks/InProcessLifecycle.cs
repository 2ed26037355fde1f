using System.Diagnostics;
using System.Globalization;
using Levee.Executions;
using Levee.Silo.Hosting;
using Levee.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Levee.Benchmarks;

/// <summary>
/// The lifecycle scenario (create → running → succeeded) through Orleans' <see cref="IGrainFactory"/>
/// inside a silo: grains + decider + SQLite group commit with HTTP taken away. Compare with the
/// load generator's lifecycle scenario to see what the gateway costs.
/// </summary>
internal static class InProcessLifecycle
{
    public static async Task RunAsync(int count, int concurrency)
    {
        var directory = Path.Combine(Path.GetTempPath(), "levee-bench-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Levee:Storage:ConnectionString"] = $"Data Source={directory}/levee.db",
            ["Levee:Cluster:SiloPort"] = "11191",
            ["Levee:Cluster:GatewayPort"] = "30191",
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.UseLeveeCluster(builder.Configuration).AddLevee(builder.Configuration));
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var writer = host.Services.GetRequiredService<GroupCommitStats>();

        // Warm up (JIT, tiering) with a tenth of the count, then measure.
        await DriveAsync(grains, "warm", Math.Max(1000, count / 10), concurrency);
        var transactionsBefore = writer.TransactionsCommitted;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await DriveAsync(grains, "bench", count, concurrency);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var transactions = writer.TransactionsCommitted - transactionsBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"in-process lifecycle: {count} executions in {seconds:F2} s = {count / seconds:F0} executions/s, {3 * count / seconds:F0} commands/s, " +
            $"{transactions} transactions ({3.0 * count / transactions:F1} commands each), {cpu.TotalMicroseconds / count:F0} us of CPU per execution"));
        await host.StopAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static async Task DriveAsync(IGrainFactory grains, string prefix, int count, int concurrency)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var grain = grains.Grain<IExecutionGrain>($"bench/p/{prefix}{i}");
                await grain.CreateAsync(new CreateExecution { Id = $"{prefix}{i}", Task = "bench" });
                await grain.WriteStatusAsync(new WriteStatus(ExecutionStatus.Running));
                await grain.WriteStatusAsync(new WriteStatus(ExecutionStatus.Succeeded));
            }
        })));
    }
}
