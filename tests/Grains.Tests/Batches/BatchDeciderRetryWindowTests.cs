using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Batches;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

/// <summary>
/// A Phase-2 request retried in every window of the batch's life, and the one function that
/// answers it: <see cref="BatchDecider.IsIdempotentRetry"/>.
/// </summary>
public sealed class BatchDeciderRetryWindowTests
{
    private static readonly DateTimeOffset Retry = Now.AddMinutes(10);

    /// <summary>The last chunk that <see cref="Sealed"/> sends (the one a client would retry).</summary>
    private static readonly int[] LastChunk = [1, 2];

    /// <summary>A 3-item batch whose second chunk (<see cref="LastChunk"/>) sealed it.</summary>
    private static BatchState Sealed() => Created().Accept(0).Accept(LastChunk);

    /// <summary>
    /// Asserts the idempotent answer for a batch that no longer accepts items: the retried chunk,
    /// the gateway's empty probe, any other chunk, and even an invalid one are unchanged successes.
    /// </summary>
    private static void AssertRetryUnchanged(BatchState state)
    {
        Assert.True(BatchDecider.IsIdempotentRetry(state));
        // Every index is taken, as the shell would read it.
        var all = Set([.. Enumerable.Range(0, state.RunCount)]);
        AssertUnchanged(BatchDecider.Decide(state, Chunk(LastChunk), all, Retry));
        AssertUnchanged(BatchDecider.Decide(state, new AcceptItems([]), None, Retry));
        // The shell does not read the taken indexes of a batch that is not pending.
        AssertUnchanged(BatchDecider.Decide(state, Chunk(0, 1, 2), None, Retry));
        AssertUnchanged(BatchDecider.Decide(state, Chunk(0, state.RunCount + 5, -1), None, Retry));
    }

    private static void AssertRetryAborted(BatchState state)
    {
        Assert.False(BatchDecider.IsIdempotentRetry(state));
        foreach (var chunk in new[] { Chunk(LastChunk), new AcceptItems([]), Chunk(0, 1, 2), Chunk(99) })
        {
            var decision = BatchDecider.Decide(state, chunk, None, Retry);
            AssertRejected(decision, ErrorCodes.BatchAborted, BatchStatus.Aborted);
            Assert.Contains(state.AbortDetail!, decision.Rejection!.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Retry_BeforeSeal_AcceptsOnlyTheNewIndexes()
    {
        var state = Created().Accept(0, 1);
        Assert.False(BatchDecider.IsIdempotentRetry(state));

        // The client retries its first chunk with one more index: 0 and 1 are deduplicated.
        var decision = BatchDecider.Decide(state, Chunk(0, 1, 2), Set(0, 1), Retry);

        var accepted = Assert.IsType<BatchItemsAccepted>(decision.Events[0]);
        Assert.Equal((1, 2, 3L), (accepted.Accepted, accepted.Deduplicated, accepted.EnqueuedCount));
        Assert.Equal(["items_accepted", "sealed"], Types(decision));
    }

    [Fact]
    public void Retry_BeforeSealSameChunk_Unchanged()
    {
        var state = Created().Accept(0, 1);

        AssertUnchanged(BatchDecider.Decide(state, Chunk(0, 1), Set(0, 1), Retry));
        Assert.False(BatchDecider.IsIdempotentRetry(state));
    }

    [Fact]
    public void Retry_FreshBatch_NotAnIdempotentRetry()
    {
        Assert.False(BatchDecider.IsIdempotentRetry(Created()));
    }

    [Fact]
    public void Retry_AfterSeal_Unchanged()
    {
        var state = Sealed();
        Assert.Equal((BatchStatus.Processing, 0L), (state.Status, state.Finished));

        AssertRetryUnchanged(state);
    }

    [Fact]
    public void Retry_WhileProcessing_Unchanged()
    {
        var state = Sealed().Finish(0, Succeeded).Finish(2, Failed);
        Assert.Equal(BatchStatus.Processing, state.Status);

        AssertRetryUnchanged(state);
    }

    [Fact]
    public void Retry_AfterCompletion_Unchanged()
    {
        var state = Sealed().FinishAll(Succeeded, Succeeded, Succeeded);
        Assert.Equal(BatchStatus.Completed, state.Status);

        AssertRetryUnchanged(state);
    }

    [Fact]
    public void Retry_AfterPartialFailure_Unchanged()
    {
        var state = Sealed().FinishAll(Succeeded, Cancelled, Succeeded);
        Assert.Equal(BatchStatus.PartialFailed, state.Status);

        AssertRetryUnchanged(state);
    }

    [Fact]
    public void Retry_AfterFailure_Unchanged()
    {
        var state = Sealed().FinishAll(TimedOut, Failed, Failed);
        Assert.Equal(BatchStatus.Failed, state.Status);

        AssertRetryUnchanged(state);
    }

    public static TheoryData<ExecutionStatus[], BatchStatus> EarlyEndings => new()
    {
        { [Succeeded, Succeeded, Succeeded], BatchStatus.Completed },
        { [Succeeded, Failed, TimedOut], BatchStatus.PartialFailed },
        { [Failed, Cancelled, TimedOut], BatchStatus.Failed },
    };

    /// <summary>
    /// The window where every child finished before the seal was recorded: the children are counted
    /// while the batch is pending, then the sealing chunk commits seal and terminal event together,
    /// and a retry of that chunk is an unchanged success. The order is forced: children 1 and 2 are
    /// counted before the chunk that creates them (the decider does not tie a count to an accepted
    /// index; the shell only reports children that exist).
    /// </summary>
    [Theory]
    [MemberData(nameof(EarlyEndings))]
    public void Retry_ChildrenFinishedBeforeSeal_SealAndFinishTogetherThenUnchanged(ExecutionStatus[] outcomes, BatchStatus expected)
    {
        var pending = Created().Accept(0).FinishAll(outcomes);
        Assert.Equal((BatchStatus.Pending, (long)RunCount), (pending.Status, pending.Finished));
        Assert.False(BatchDecider.IsIdempotentRetry(pending));

        var sealing = BatchDecider.Decide(pending, Chunk(LastChunk), Set(), Now.AddMinutes(1));

        Assert.Equal(["items_accepted", "sealed", expected.ToWire()], Types(sealing));
        var finished = Assert.IsType<BatchFinished>(sealing.Events[2]);
        Assert.Equal(expected, finished.Status);
        Assert.Equal(outcomes.Count(o => o == Succeeded), finished.Succeeded);
        var state = BatchDecider.Fold(pending, sealing.Events)!;
        Assert.Equal(expected, state.Status);
        Assert.True(state.Sealed);
        Assert.Equal((Now.AddMinutes(1), Now.AddMinutes(1)), (state.SealedAt, state.CompletedAt));

        AssertRetryUnchanged(state);
        AssertUnchanged(BatchDecider.ChildFinished(state, 2, outcomes[2], alreadyCounted: true, Retry));
        AssertRejected(BatchDecider.Decide(state, new CancelBatch(), Retry), ErrorCodes.TerminalState, expected);
    }

    [Fact]
    public void Retry_SomeChildrenFinishedBeforeSeal_SealsWithoutFinishing()
    {
        var pending = Created().Accept(0).Finish(0, Succeeded).Finish(1, Succeeded);

        var state = pending.Then(BatchDecider.Decide(pending, Chunk(LastChunk), None, Now.AddMinutes(1)));

        Assert.Equal(BatchStatus.Processing, state.Status);
        AssertRetryUnchanged(state);
        var last = BatchDecider.ChildFinished(state, 2, Succeeded, alreadyCounted: false, Retry);
        Assert.Equal(["child_finished", "completed"], Types(last));
    }

    [Fact]
    public void Retry_AfterCancelWhilePending_BatchAborted()
    {
        AssertRetryAborted(Created().Accept(0).Cancelled("stop"));
    }

    [Fact]
    public void Retry_AfterCancelWhileProcessing_BatchAborted()
    {
        AssertRetryAborted(Sealed().Finish(0, Succeeded).Cancelled("stop"));
    }

    [Fact]
    public void Retry_AfterSealTimeout_BatchAborted()
    {
        var pending = Created().Accept(0);
        var state = pending.Then(BatchDecider.SealTimeout(pending, pending.SealDeadline));

        AssertRetryAborted(state);
    }

    [Fact]
    public void Retry_AbortedThenEveryChildFinished_StillBatchAborted()
    {
        var state = Sealed().Cancelled().FinishAll(Succeeded, Succeeded, Succeeded);
        Assert.Equal((BatchStatus.Aborted, (long)RunCount), (state.Status, state.Succeeded));

        AssertRetryAborted(state);
    }

    public static TheoryData<BatchStatus, bool> RetryTable => new()
    {
        { BatchStatus.Pending, false },
        { BatchStatus.Processing, true },
        { BatchStatus.Completed, true },
        { BatchStatus.PartialFailed, true },
        { BatchStatus.Failed, true },
        { BatchStatus.Aborted, false },
    };

    [Theory]
    [MemberData(nameof(RetryTable))]
    public void IsIdempotentRetry_ByStatus(BatchStatus status, bool expected)
    {
        var state = InStatus(status);

        Assert.Equal(expected, BatchDecider.IsIdempotentRetry(state));
    }

    [Theory]
    [MemberData(nameof(RetryTable))]
    public void Retry_TheGatewaysEmptyProbe_AnswersPerIsIdempotentRetry(BatchStatus status, bool idempotent)
    {
        var state = InStatus(status);

        var probe = BatchDecider.Decide(state, new AcceptItems([]), None, Retry);

        if (idempotent || status == BatchStatus.Pending)
        {
            AssertUnchanged(probe);
        }
        else
        {
            AssertRejected(probe, ErrorCodes.BatchAborted, BatchStatus.Aborted);
        }
    }
}
