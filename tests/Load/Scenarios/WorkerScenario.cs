namespace Levee.Load.Scenarios;

/// <summary>
/// The worker protocol at full speed: producers create executions in the run's queue, workers
/// claim them in batches and complete each one. Measures end-to-end executions/s and how long an
/// execution waits between its create's 201 and the claim that hands it out (queue→claim).
/// </summary>
internal sealed class WorkerScenario(HttpClient client, LoadOptions options) : QueueScenario<QueuePhase>(client, options)
{
    private const int Complete = 3;

    public override string Name => "worker";
    protected override IReadOnlyList<string> Operations { get; } = ["create", "claim", "claim-empty", "complete"];
    protected override IReadOnlyList<string> Flows { get; } = ["queue→claim"];

    protected override QueuePhase NewPhase(string queue, int count, CancellationToken cancel) => new(queue, count, cancel);

    protected override Task HandleAsync(LoadWorker worker, QueuePhase phase, ClaimedExecution claim, long claimedAt)
    {
        phase.QueueToClaim.Stop(claim.Id, claimedAt, worker.Flow(QueueToClaim));
        return CompleteAsync(worker, phase, Complete, claim);
    }
}
