using Levee.Batches;
using Levee.Errors;
using Levee.Grains.Batches;
using Levee.Grains.Queues;
using Levee.Grains.Storage;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

/// <summary>Pause and resume: the operator's kill switch, for a batch and for a queue.</summary>
public sealed class BatchPauseTests
{
    private static readonly DateTimeOffset Later = Now.AddMinutes(1);

    [Fact]
    public void Pause_ARunningBatch_IsAuditedAndHeldInTheSameCommit()
    {
        var state = Created().Accept(0, 1, 2);

        var decision = BatchDecider.Decide(state, new PauseBatch("bad data"), Later);

        var paused = Assert.IsType<BatchPauseSet>(Assert.Single(decision.Events));
        Assert.Equal(("paused", true, "bad data"), (paused.LogType, paused.Paused, paused.Reason));
        var after = state.Then(decision);
        Assert.True(after.Paused);
        Assert.True(after.ToView(1, 1).Paused);
        Assert.Equal(BatchStatus.Processing, after.Status);
    }

    [Fact]
    public void PauseTwice_ResumeTwice_EachSecondOneIsUnchanged()
    {
        var paused = Created().Accept(0).Then(BatchDecider.Decide(Created().Accept(0), new PauseBatch(), Later));

        AssertUnchanged(BatchDecider.Decide(paused, new PauseBatch("again"), Later));
        var resumed = paused.Then(BatchDecider.Decide(paused, new ResumeBatch("fixed"), Later));
        Assert.Equal("resumed", Assert.Single(BatchDecider.Decide(paused, new ResumeBatch(), Later).Events).LogType);
        Assert.False(resumed.Paused);
        AssertUnchanged(BatchDecider.Decide(resumed, new ResumeBatch(), Later));
    }

    [Fact]
    public void Pause_FinishedBatch_TerminalState_MissingBatch_NotFound()
    {
        AssertRejected(BatchDecider.Decide(InStatus(BatchStatus.Completed), new PauseBatch(), Later), ErrorCodes.TerminalState, BatchStatus.Completed);
        AssertRejected(BatchDecider.Decide(null, new PauseBatch(), Later), ErrorCodes.NotFound, null);
        AssertRejected(BatchDecider.Decide(null, new ResumeBatch(), Later), ErrorCodes.NotFound, null);
    }

    [Fact]
    public void PausedBatch_StillCountsItsChildren_FinishesAndCanBeResumedAfterwards()
    {
        var state = Created(1).Accept(0);
        state = state.Then(BatchDecider.Decide(state, new PauseBatch(), Later));

        var done = state.Finish(0, Succeeded);

        Assert.Equal((BatchStatus.Completed, true), (done.Status, done.Paused));
        Assert.False(done.Then(BatchDecider.Decide(done, new ResumeBatch(), Later)).Paused);
    }

    [Fact]
    public void Commit_SetsTheHoldOnPause_LiftsItOnResume_LeavesItAloneOtherwise()
    {
        var key = new ResourceKey("t", "p", "batch-1");
        var running = Created().Accept(0, 1, 2);
        var paused = running.Then(BatchDecider.Decide(running, new PauseBatch(), Later));
        var resumed = paused.Then(BatchDecider.Decide(paused, new ResumeBatch(), Later));

        ClaimHold? HoldOf(BatchState before, BatchState after) =>
            BatchCommits.BuildAsync(BatchGrain.IdOf(key), key, before, after, [], 1, 1, Later, new NoChildren()).AsTask().Result.Hold;

        Assert.Equal(new ClaimHold("t", "p", ClaimHoldKind.Batch, "batch-1", true), HoldOf(running, paused));
        Assert.Equal(new ClaimHold("t", "p", ClaimHoldKind.Batch, "batch-1", false), HoldOf(paused, resumed));
        Assert.Null(HoldOf(running, running.Finish(0, Succeeded)));
        // An abort holds the children its outbox is about to cancel; resuming an aborted batch keeps the hold.
        var aborted = running.Cancelled();
        Assert.Equal(new ClaimHold("t", "p", ClaimHoldKind.Batch, "batch-1", true), HoldOf(running, aborted));
        var pausedThenAborted = paused.Cancelled();
        Assert.Null(HoldOf(paused, pausedThenAborted));
        Assert.Null(HoldOf(pausedThenAborted, pausedThenAborted.Then(BatchDecider.Decide(pausedThenAborted, new ResumeBatch(), Later))));
    }

    [Fact]
    public void QueueSwitch_PauseAnUnusedQueue_ThenSettingWhatIsSetChangesNothing()
    {
        var pause = QueueControlDecider.Set(null, paused: true, "maintenance", Now);
        var paused = QueueControlDecider.Fold(null, "q", pause.Events)!;

        Assert.Equal(("paused", "maintenance"), (Assert.Single(pause.Events).LogType, pause.Events[0].Reason));
        Assert.Equal(("q", true), (paused.Queue, paused.Paused));
        Assert.Empty(QueueControlDecider.Set(paused, paused: true, null, Later).Events);
        Assert.Empty(QueueControlDecider.Set(null, paused: false, null, Later).Events);
        var resume = QueueControlDecider.Set(paused, paused: false, null, Later);
        Assert.Equal("resumed", Assert.Single(resume.Events).LogType);
        Assert.False(QueueControlDecider.Fold(paused, "q", resume.Events)!.Paused);
    }

    private sealed class NoChildren : IBatchChildren
    {
        public Task<IReadOnlySet<int>> AcceptedAmongAsync(GrainId batch, IReadOnlyList<int> indexes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlySet<int>>(new HashSet<int>());

        public Task<IReadOnlyDictionary<int, bool>> CountedAsync(GrainId batch, IReadOnlyList<int> indexes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<int, bool>>(new Dictionary<int, bool>());

        public Task<IReadOnlyList<int>> ChildrenAsync(GrainId batch, int fromIndex, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<int>>([]);

        public Task<IReadOnlyList<int>> MissingAsync(GrainId batch, int runCount, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<int>>([]);
    }
}
