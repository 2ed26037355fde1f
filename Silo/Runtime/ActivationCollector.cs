using System.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Runtime;

/// <summary>
/// Periodically collects idle activations so memory stays flat however many grains were
/// touched. When the silo has gone quiet after a collection, it also returns the freed memory to
/// the operating system: an idle process allocates nothing, so no GC would ever run on its own.
/// </summary>
internal sealed partial class ActivationCollector(GrainRuntime runtime, ILogger<ActivationCollector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(runtime.Options.CollectionInterval);
        var trimPending = false;
        var callsAtLastTick = runtime.CallCount;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var collected = runtime.Collect();
            var calls = runtime.CallCount;
            if (collected > 0)
            {
                LogCollected(collected, runtime.ActivationCount);
                trimPending = true;
            }
            if (trimPending && calls == callsAtLastTick)
            {
                Trim();
                trimPending = false;
            }
            callsAtLastTick = calls;
        }
    }

    private void Trim()
    {
        var before = Environment.WorkingSet;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogTrimmed(before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Collected {Collected} idle activations; {Live} live")]
    private partial void LogCollected(int collected, int live);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo idle: memory trimmed from {BeforeMb} MB to {AfterMb} MB")]
    private partial void LogTrimmed(long beforeMb, long afterMb);
}
