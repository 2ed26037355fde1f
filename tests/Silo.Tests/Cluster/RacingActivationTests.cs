using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Cluster;

/// <summary>
/// Orleans may briefly run two activations of one grain; Levee's correctness must not depend on
/// it not doing so. Orleans will not produce the race on demand, so two independent clusters on
/// one store stage it: each has its own activation of the same execution.
/// </summary>
public sealed class RacingActivationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private LeveeTestCluster _a = null!;
    private LeveeTestCluster _b = null!;

    public async Task InitializeAsync()
    {
        _a = await LeveeTestCluster.StartAsync(_dir.File("levee.db"), silos: 1);
        _b = await LeveeTestCluster.StartAsync(_dir.File("levee.db"), silos: 1, storageOf: _a);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task StaleActivation_LosesTheCompareAndSet_ReloadsAndDecidesAgain()
    {
        const string key = "t/p/stale";
        Assert.Equal(OutcomeKind.Applied, (await _a.Client.GetGrain<IExecutionGrain>(key).CreateAsync(new CreateExecution { Id = "stale", Task = "x" })).Kind);
        // Cluster B activates the grain and caches 'queued'.
        Assert.Equal(ExecutionStatus.Queued, (await _b.Client.GetGrain<IExecutionGrain>(key).GetAsync())!.Status);

        await _a.Client.GetGrain<IExecutionGrain>(key).WriteStatusAsync(new WriteStatus(ExecutionStatus.Succeeded));
        // B still believes 'queued': its cancel loses the compare-and-set, reloads, and is decided again against 'succeeded'.
        var cancel = await _b.Client.GetGrain<IExecutionGrain>(key).CancelAsync(new CancelExecution("late"));

        Assert.Equal(ErrorCodes.TerminalState, cancel.Rejection?.Code);
        Assert.Equal("succeeded", cancel.Rejection?.CurrentStatus);
        var view = await _b.Client.GetGrain<IExecutionGrain>(key).GetAsync();
        Assert.Equal((ExecutionStatus.Succeeded, 2L), (view!.Status, view.Version));
    }

    [Fact]
    public async Task RacingTerminalWrites_ThroughBothActivations_LeaveExactlyOneTerminalOutcome()
    {
        for (var round = 0; round < 20; round++)
        {
            var key = $"t/p/race{round}";
            await _a.Client.GetGrain<IExecutionGrain>(key).CreateAsync(new CreateExecution { Id = $"race{round}", Task = "x" });
            await _b.Client.GetGrain<IExecutionGrain>(key).GetAsync();

            var outcomes = await Task.WhenAll(
                _a.Client.GetGrain<IExecutionGrain>(key).WriteStatusAsync(new WriteStatus(ExecutionStatus.Succeeded)),
                _b.Client.GetGrain<IExecutionGrain>(key).WriteStatusAsync(new WriteStatus(ExecutionStatus.Failed)),
                _b.Client.GetGrain<IExecutionGrain>(key).CancelAsync(new CancelExecution()));

            var applied = outcomes.Where(o => o.Kind == OutcomeKind.Applied).ToArray();
            Assert.Single(applied);
            Assert.All(outcomes.Where(o => o.Kind == OutcomeKind.Rejected), o => Assert.Equal(ErrorCodes.TerminalState, o.Rejection!.Code));
            var a = await _a.Client.GetGrain<IExecutionGrain>(key).GetAsync();
            var b = await _b.Client.GetGrain<IExecutionGrain>(key).GetAsync();
            Assert.Equal(applied[0].Value!.Status, a!.Status);
            Assert.Equal((a.Status, a.Version, a.LastEventSeq), (b!.Status, b.Version, b.LastEventSeq));
        }
    }

    [Fact]
    public async Task ConcurrentReports_DeliveredThroughBothActivations_EachSeqAppliedOnceWithoutGaps()
    {
        const string key = "t/p/storm";
        await _a.Client.GetGrain<IExecutionGrain>(key).CreateAsync(new CreateExecution { Id = "storm", Task = "x" });

        // 100 progress reports, each delivered twice (once per cluster), all at once.
        var sends = Enumerable.Range(1, 100).SelectMany(seq => new[] { _a, _b }.Select(cluster =>
            cluster.Client.GetGrain<IExecutionGrain>(key).ReportAsync(new ReportEvent { Type = "progress", Seq = seq, Attempt = 1 })));
        var results = await Task.WhenAll(sends);

        Assert.Equal(100, results.Count(r => r == ReportResult.Applied));
        Assert.Equal(100, results.Count(r => r == ReportResult.Ignored));
        var page = await _a.Client.GetGrain<Levee.Streams.IEventLogGrain>(Levee.Streams.IEventLogGrain.Key)
            .ReadAsync(ExecutionGrain.IdOf(new ResourceKey("t", "p", "storm")), 1, 1000, Levee.Streams.EventPage.MaxBytes);
        Assert.Equal(Enumerable.Range(1, 101).Select(i => (long)i), page.Events.Select(e => e.Seq));
    }
}
