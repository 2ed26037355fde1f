using Levee.Batches;
using Levee.Executions;
using Levee.Grains.Batches;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

/// <summary>One outbox round delivers many finished children to the batch at once.</summary>
public sealed class BatchDeciderRoundTests
{
    private static readonly DateTimeOffset Later = Now.AddMinutes(1);

    [Fact]
    public void ChildrenFinished_RoundWithRepeatsAndCountedChildren_CountsEachOnceAndFinishesOnce()
    {
        var state = Created(3).Accept(0, 1, 2).Finish(0, Succeeded);

        var decision = BatchDecider.ChildrenFinished(state, [new ChildReport(1, Failed, false), new ChildReport(0, Succeeded, true), new ChildReport(1, Failed, false), new ChildReport(2, Succeeded, false), new ChildReport(2, Succeeded, false)], Later);

        Assert.Equal(["child_finished", "child_finished", "partial_failed"], decision.Events.Select(e => e.LogType));
        var after = BatchDecider.Fold(state, decision.Events)!;
        Assert.Equal((BatchStatus.PartialFailed, 2L, 1L), (after.Status, after.Succeeded, after.Failed));
    }

    [Fact]
    public void ChildrenFinished_AllAlreadyCountedOrNotFinished_Unchanged()
    {
        var state = Created(3).Accept(0, 1, 2).Finish(0, Succeeded);
        AssertUnchanged(BatchDecider.ChildrenFinished(state, [new ChildReport(0, Succeeded, true), new ChildReport(1, Queued, false)], Later));
    }

    [Fact]
    public void ChildrenFinished_SameRoundOneByOne_GivesTheSameState()
    {
        var state = Created(3).Accept(0, 1, 2);
        var round = new ChildReport[] { new ChildReport(2, Cancelled, false), new ChildReport(0, Succeeded, false), new ChildReport(1, TimedOut, false) };

        var together = BatchDecider.Fold(state, BatchDecider.ChildrenFinished(state, round, Later).Events)!;
        var oneByOne = round.Aggregate(state, (s, c) => s.Then(BatchDecider.ChildFinished(s, c.Index, c.Outcome, c.AlreadyCounted, Later)));

        Assert.Equal(oneByOne, together);
    }
}
