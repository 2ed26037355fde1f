using System.Diagnostics;
using System.Diagnostics.Metrics;
using Levee.Client;
using Levee.Client.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Levee.Load.Scenarios;

/// <summary>
/// The <c>worker</c> scenario with Levee.Client's worker host (<c>AddLeveeWorker</c>) in place
/// of the generator's raw claim/complete loops: the same producers feed a queue, and one host
/// with concurrency <c>--workers</c> claims, heartbeats and completes through its own typed
/// client and retry pipeline, with a handler that completes at once. Run after <c>worker</c>
/// with the same options, executions/s of the two is what the host's convenience costs.
/// </summary>
/// <remarks>
/// An execution counts as finished when the host reports its end (its
/// <c>levee.worker.jobs.ended</c> counter, read with a <see cref="MeterListener"/>), which is
/// after its complete's 200; queue→claim stops when the handler starts.
/// </remarks>
internal sealed class WorkerHostScenario(HttpClient client, LoadOptions options) : QueueScenario<QueuePhase>(client, options)
{
    public override string Name => "worker-host";
    protected override IReadOnlyList<string> Operations { get; } = ["create", "claim", "claim-empty"];
    protected override IReadOnlyList<string> Flows { get; } = ["queue→claim"];

    protected override string Setup =>
        $"{Options.Producers} producers, one worker host with concurrency {Options.Workers}"
        + (Options.Rate is { } rate ? $", offered {rate} creates/s" : ", unpaced");

    /// <summary>One loop: it runs the host for the phase.</summary>
    protected override int WorkerLoops => 1;

    protected override QueuePhase NewPhase(string queue, int count, CancellationToken cancel) => new(queue, count, cancel);

    protected override Task HandleAsync(LoadWorker worker, QueuePhase phase, ClaimedExecution claim, long claimedAt) =>
        throw new UnreachableException("The worker host claims for itself; no raw claim loop runs in this scenario — a bug.");

    protected override async Task WorkerLoopAsync(LoadWorker worker, int index, QueuePhase phase, Uri claimUri)
    {
        using var ended = new MeterListener();
        ended.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Name: "levee.worker.jobs.ended", Meter.Name: "Levee.Client" })
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        ended.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? queue = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "queue")
                {
                    queue = tag.Value as string;
                }
                else if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string;
                }
            }
            if (queue == phase.Queue)
            {
                phase.Finish(worker, outcome == "completed");
            }
        });
        ended.Start();

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddLeveeClient(o => (o.BaseAddress, o.ApiKey) = (Options.Url, Options.Key!));
        builder.Services.AddLeveeWorker(o =>
        {
            o.WorkerId = "load-host";
            o.Queue(phase.Queue).Concurrency(Options.Workers).Poll(TimeSpan.FromSeconds(1)).Handle<object>((_, job, _) =>
            {
                phase.QueueToClaim.Stop(job.Execution.Id, Stopwatch.GetTimestamp(), worker.Flow(QueueToClaim));
                return Task.FromResult(JobResult.Complete());
            });
        });
        using var host = builder.Build();
        await host.StartAsync(CancellationToken.None);
        await Task.Delay(Timeout.Infinite, phase.Stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await host.StopAsync(CancellationToken.None);
    }
}
