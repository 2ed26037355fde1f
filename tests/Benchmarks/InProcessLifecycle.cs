using System.Diagnostics;
using Levee.Executions;
using Levee.Runtime;
using Levee.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Levee.Benchmarks;

/// <summary>
/// The lifecycle scenario (create → running → succeeded) through <see cref="IGrainFactory"/> in
/// process: the ceiling of runtime + decider + SQLite group commit, with HTTP taken away. Compare
/// with the HTTP load generator's lifecycle scenario to see what the gateway costs.
/// </summary>
internal static class InProcessLifecycle
{
    public static async Task RunAsync(int count, int concurrency)
    {
        var directory = Path.Combine(Path.GetTempPath(), "levee-bench-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Levee:Storage:ConnectionString"] = $"Data Source={directory}/levee.db" })
            .Build();
        await using var services = new ServiceCollection().AddLogging().AddLeveeSilo(configuration).BuildServiceProvider();
        var grains = services.GetRequiredService<IGrainFactory>();
        var writer = services.GetRequiredService<Silo.Storage.Sqlite.SqliteCommitWriter>();

        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var grain = grains.GetGrain<IExecutionGrain>($"bench/p/e{i}");
                await grain.CreateAsync(new CreateExecution { Id = $"e{i}", Task = "bench" });
                await grain.WriteStatusAsync(new WriteStatus(ExecutionStatus.Running));
                await grain.WriteStatusAsync(new WriteStatus(ExecutionStatus.Succeeded));
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"in-process lifecycle: {count} executions in {seconds:F2} s = {count / seconds:F0} executions/s, " +
            $"{3 * count / seconds:F0} commands/s, {writer.TransactionsCommitted} transactions ({3.0 * count / writer.TransactionsCommitted:F1} commands each)");
        Directory.Delete(directory, recursive: true);
    }
}
