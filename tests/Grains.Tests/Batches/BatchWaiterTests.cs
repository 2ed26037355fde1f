using FsCheck;
using FsCheck.Fluent;
using Levee.Batches;
using Levee.Executions;
using Levee.Grains.Batches;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

/// <summary>Trigger-and-wait on the batch side: waiters attached through the outbox, each resumed once the batch is terminal.</summary>
public sealed class BatchWaiterTests
{
    private static BatchState Sealed(int runCount = 2) => Created(runCount).Accept([.. Enumerable.Range(0, runCount)]);

    private static BatchState Finish(BatchState state, params int[] indexes) =>
        state.Then(BatchDecider.ChildrenFinished(state, indexes.Select(i => new ChildReport(i, ExecutionStatus.Succeeded, false)).ToArray(), Now));

    [Fact]
    public void AttachWaiter_RunningBatch_RecordsTheWaiterAndResumesNobodyYet()
    {
        var before = Sealed();
        var decision = BatchDecider.AttachWaiter(before, "parent-1", Now);
        var after = before.Then(decision);

        Assert.Equal(["parent-1"], after.Waiters);
        Assert.Empty(BatchCommits.Resumes(before, after, decision.Events));
    }

    [Fact]
    public void AttachWaiter_SameWaiterAgainWhileRunning_IsUnchanged()
    {
        var state = Sealed().Then(BatchDecider.AttachWaiter(Sealed(), "parent-1", Now));

        Assert.Empty(BatchDecider.AttachWaiter(state, "parent-1", Now).Events);
    }

    [Fact]
    public void AttachWaiter_TheParentAskedAtCreate_IsUnchangedWhileRunning()
    {
        var state = Created(1, NewCreate(1) with { ParentId = "parent-1", ResumeParent = true }).Accept(0);

        Assert.Empty(BatchDecider.AttachWaiter(state, "parent-1", Now).Events);
    }

    [Fact]
    public void Finish_WithSeveralWaiters_ResumesEachOnceWithTheParent()
    {
        var state = Created(1, NewCreate(1) with { ParentId = "parent", ResumeParent = true }).Accept(0);
        state = state.Then(BatchDecider.AttachWaiter(state, "w1", Now));
        state = state.Then(BatchDecider.AttachWaiter(state, "w2", Now));
        Assert.Empty(BatchDecider.AttachWaiter(state, "parent", Now).Events);
        state = state.Then(BatchDecider.AttachWaiter(state, "w3", Now));

        var finishing = BatchDecider.ChildrenFinished(state, [new ChildReport(0, ExecutionStatus.Succeeded, false)], Now);
        var finished = BatchDecider.Fold(state, finishing.Events)!;

        Assert.Equal(["parent", "w1", "w2", "w3"], BatchCommits.Resumes(state, finished, finishing.Events));
    }

    [Fact]
    public void AttachWaiter_OnAFinishedBatch_ResumesThatWaiterOnEveryDelivery()
    {
        var done = Finish(Sealed(1), 0);
        Assert.True(done.IsTerminal);

        for (var delivery = 0; delivery < 2; delivery++)
        {
            var decision = BatchDecider.AttachWaiter(done, "late", Now);
            Assert.Equal(["late"], BatchCommits.Resumes(done, BatchDecider.Fold(done, decision.Events)!, decision.Events));
        }
    }

    [Fact]
    public void AttachWaiter_UnknownBatch_IsUnchanged() => Assert.Empty(BatchDecider.AttachWaiter(null, "x", Now).Events);

    [Fact]
    public void Resumes_ACommitThatDoesNotEndTheBatch_ResumesNobody()
    {
        var state = Sealed(2);
        var decision = BatchDecider.ChildrenFinished(state, [new ChildReport(0, ExecutionStatus.Succeeded, false)], Now);

        Assert.Empty(BatchCommits.Resumes(state, BatchDecider.Fold(state, decision.Events)!, decision.Events));
    }

    /// <summary>
    /// Waiters attached (each message delivered one to three times) and child outcomes (each
    /// delivered one to three times), all in any order, folded as the grain does (a child counts
    /// once): the batch ends, every waiter is resumed, and a waiter whose every delivery came
    /// before the end is resumed exactly once.
    /// </summary>
    [Fact]
    public void AnyOrderOfAttachesAndOutcomes_EveryWaiterIsResumed_EarlyOnesExactlyOnce()
    {
        var runs =
            from waiters in Gen.Choose(1, 4)
            from children in Gen.Choose(1, 4)
            from copies in Gen.Choose(1, 3).ArrayOf(waiters + children)
            let all = Enumerable.Range(0, waiters).Select(w => (Waiter: $"w{w}", Child: -1))
                .Concat(Enumerable.Range(0, children).Select(c => (Waiter: "", Child: c)))
                .SelectMany((m, i) => Enumerable.Repeat(m, copies[i]))
                .ToArray()
            from order in Gen.Shuffle(all)
            select (Waiters: waiters, Children: children, Messages: order);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(runs.ToArbitrary(), run =>
        {
            var state = Sealed(run.Children);
            var counted = new HashSet<int>();
            var resumed = new Dictionary<string, int>();
            var lateDelivery = new HashSet<string>();
            foreach (var (waiter, child) in run.Messages)
            {
                var decision = child >= 0
                    ? BatchDecider.ChildrenFinished(state, [new ChildReport(child, ExecutionStatus.Succeeded, counted.Contains(child))], Now)
                    : BatchDecider.AttachWaiter(state, waiter, Now);
                if (child >= 0 && decision.Events.OfType<BatchChildFinished>().Any())
                {
                    counted.Add(child);
                }
                if (child < 0 && state.IsTerminal)
                {
                    lateDelivery.Add(waiter);
                }
                var after = BatchDecider.Fold(state, decision.Events) ?? state;
                foreach (var id in BatchCommits.Resumes(state, after, decision.Events))
                {
                    resumed[id] = resumed.GetValueOrDefault(id) + 1;
                }
                state = after;
            }
            Assert.Equal(BatchStatus.Completed, state.Status);
            for (var w = 0; w < run.Waiters; w++)
            {
                var id = $"w{w}";
                Assert.True(resumed.GetValueOrDefault(id) >= 1, $"{id} was never resumed");
                if (!lateDelivery.Contains(id))
                {
                    Assert.Equal(1, resumed[id]);
                }
            }
        }));
    }
}
