using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Runtime;

/// <summary>Periodically collects idle activations so memory stays flat however many grains were touched.</summary>
internal sealed partial class ActivationCollector(GrainRuntime runtime, ILogger<ActivationCollector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(runtime.Options.CollectionInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var collected = runtime.Collect();
            if (collected > 0)
            {
                LogCollected(collected, runtime.ActivationCount);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Collected {Collected} idle activations; {Live} live")]
    private partial void LogCollected(int collected, int live);
}
