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
/// load generator's lifecycle scenario to see what the gateway costs. With a PostgreSQL connection
/// string (<c>LEVEE_BENCH_POSTGRES</c>) the silo runs on PostgreSQL instead, and the run also reports
/// the database's committed transactions (<c>pg_stat_database.xact_commit</c>, reads included) per
/// execution, over the whole run (warm-up included): the silo is stopped before the figure is read,
/// so every connection has flushed its statistics.
/// </summary>
internal static class InProcessLifecycle
{
    public static async Task RunAsync(int count, int concurrency, string? postgres)
    {
        var directory = Path.Combine(Path.GetTempPath(), "levee-bench-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Levee:Storage:Provider"] = postgres is null ? "sqlite" : "postgres",
            ["Levee:Storage:ConnectionString"] = postgres ?? $"Data Source={directory}/levee.db",
            ["Levee:Storage:Postgres:DataFolder"] = directory,
            ["Levee:Cluster:SiloPort"] = "11191",
            ["Levee:Cluster:GatewayPort"] = "30191",
        };
        var xactBefore = postgres is null ? 0 : await CommittedTransactionsAsync(postgres);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.UseLeveeCluster(builder.Configuration).AddLevee(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var warm = Math.Max(1000, count / 10);
        var writer = host.Services.GetRequiredService<GroupCommitStats>();

        // Warm up (JIT, tiering) with a tenth of the count, then measure.
        await DriveAsync(grains, "warm", warm, concurrency);
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
        host.Dispose();
        if (postgres is not null)
        {
            var xact = await CommittedTransactionsAsync(postgres) - xactBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"postgres: {xact} committed transactions for {warm + count} executions = {(double)xact / (warm + count):F2} per execution (reads included)"));
        }
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<long> CommittedTransactionsAsync(string connectionString)
    {
        // Counted by backends that have ended or flushed; give the ones just closed a moment.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(Levee.Silo.Storage.Postgres.PostgresSql.CommittedTransactions, connection);
        return (long)(await command.ExecuteScalarAsync())!;
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
