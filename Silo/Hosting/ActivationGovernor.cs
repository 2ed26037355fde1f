using System.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Levee.Silo.Hosting;

/// <summary>
/// Levee's policy on top of Orleans' grain collection: above <see cref="RuntimeOptions.MaxActivations"/>
/// it asks Orleans to collect activations idle for one collection interval; and once the silo has
/// been quiet for two intervals after any activity (commits, activations coming or going), it
/// returns the freed memory to the operating system with one compacting GC (an idle process
/// allocates nothing, so no GC would run on its own).
/// </summary>
internal sealed partial class ActivationGovernor(IGrainFactory grains, ILocalSiloDetails silo, ActivityMeter activity, IOptions<RuntimeOptions> options,
    ILogger<ActivationGovernor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.CollectionInterval;
        using var timer = new PeriodicTimer(interval);
        var management = grains.GetGrain<IManagementGrain>(0);
        var lastCount = 0;
        var lastCommits = activity.Commits;
        var trimPending = false;
        var quietTicks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var count = (await management.GetRuntimeStatistics([silo.SiloAddress], stoppingToken))[0].ActivationCount;
                    if (count > options.Value.MaxActivations)
                    {
                        LogOverCap(count, options.Value.MaxActivations);
                        await management.ForceActivationCollection([silo.SiloAddress], interval, stoppingToken);
                    }
                    var commits = activity.Commits;
                    var active = count != lastCount || commits != lastCommits;
                    quietTicks = active ? 0 : quietTicks + 1;
                    trimPending |= active;
                    if (trimPending && quietTicks >= 2)
                    {
                        Trim();
                        trimPending = false;
                    }
                    (lastCount, lastCommits) = (count, commits);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRoundFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Trim()
    {
        var before = Environment.WorkingSet;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogTrimmed(before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} activations are over Levee:Runtime:MaxActivations ({Max}); collecting idle ones early")]
    private partial void LogOverCap(int count, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo quiet: memory trimmed from {BeforeMb} MB to {AfterMb} MB")]
    private partial void LogTrimmed(long beforeMb, long afterMb);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activation governor round failed")]
    private partial void LogRoundFailed(Exception exception);
}
