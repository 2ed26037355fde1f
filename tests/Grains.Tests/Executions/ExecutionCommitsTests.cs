using Levee.Executions;
using Levee.Grains.Batches;
using Levee.Grains.Durable;
using Levee.Grains.Executions;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>The product rules a commit carries: a finished batch child tells its batch once; a wait registers with the batch.</summary>
public sealed class ExecutionCommitsTests
{
    private static readonly GrainId Id = ExecutionGrain.IdOf(new ResourceKey("t", "p", "b.3"));

    private static ExecutionState Child() =>
        ExecutionDecider.Fold(null, ExecutionDecider.Decide(null, new CreateExecution { Id = "b.3", Task = "t", BatchId = "b", BatchIndex = 3 }, Now).Events)!;

    [Theory]
    [InlineData(ExecutionStatus.Succeeded)]
    [InlineData(ExecutionStatus.Failed)]
    [InlineData(ExecutionStatus.Cancelled)]
    [InlineData(ExecutionStatus.TimedOut)]
    public void Build_BatchChildBecomesTerminal_SendsOneChildFinishedToItsBatch(ExecutionStatus status)
    {
        var before = Child();
        var decision = ExecutionDecider.Decide(before, new WriteStatus(status), Now);
        var after = ExecutionDecider.Fold(before, decision.Events)!;

        var commit = ExecutionCommits.Build(Id, new ResourceKey("t", "p", "b.3"), before, after, decision.Events, 1, 1);

        var message = Assert.Single(commit.Outbox);
        Assert.Equal((BatchGrain.IdOf(new ResourceKey("t", "p", "b")), OutboxKinds.ChildFinished), (message.Target, message.Kind));
        Assert.Equal((3, status, (decimal?)null), ChildFinishedPayload.Parse(message.Payload));
    }

    [Fact]
    public void Build_NonTerminalOrNotABatchChild_SendsNothing()
    {
        var child = Child();
        var running = ExecutionDecider.Decide(child, new WriteStatus(ExecutionStatus.Running), Now);
        Assert.Empty(ExecutionCommits.Build(Id, new ResourceKey("t", "p", "b.3"), child, ExecutionDecider.Fold(child, running.Events)!, running.Events, 1, 1).Outbox);

        var loner = ExecutionDecider.Fold(null, ExecutionDecider.Decide(null, new CreateExecution { Id = "x", Task = "t" }, Now).Events)!;
        var done = ExecutionDecider.Decide(loner, new WriteStatus(ExecutionStatus.Succeeded), Now);
        Assert.Empty(ExecutionCommits.Build(Id, new ResourceKey("t", "p", "x"), loner, ExecutionDecider.Fold(loner, done.Events)!, done.Events, 1, 1).Outbox);
    }

    [Fact]
    public void Build_WaitForBatch_RegistersTheExecutionWithTheBatch()
    {
        var running = Claimed();
        var decision = ExecutionDecider.Decide(running, new WaitForBatch(FirstLease, "bat_9"), ClaimedAt);

        var commit = ExecutionCommits.Build(Id, new ResourceKey("t", "p", running.Id), running, ExecutionDecider.Fold(running, decision.Events)!, decision.Events, 2, 2);

        var message = Assert.Single(commit.Outbox);
        Assert.Equal((BatchGrain.IdOf(new ResourceKey("t", "p", "bat_9")), OutboxKinds.AttachWaiter, running.Id), (message.Target, message.Kind, message.Payload));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("x:succeeded")]
    [InlineData("3:running")]
    [InlineData("3:unknown")]
    public void ChildFinishedPayload_Malformed_IsABug(string payload) => Assert.Throws<FormatException>(() => ChildFinishedPayload.Parse(payload));
}
