using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>Release: a worker shutting down gives its claim back unfinished, without using up an attempt.</summary>
public sealed class ExecutionDeciderReleaseTests
{
    private static readonly DateTimeOffset During = ClaimedAt.AddSeconds(10);
    private static readonly DateTimeOffset LeaseExpiry = ClaimedAt.AddMilliseconds(ExecutionDefaults.HeartbeatMs);

    private static ExecutionState Released() => Claimed().Then(new ReleaseExecution(FirstLease), During);

    [Fact]
    public void Release_MissingState_NotFound()
    {
        AssertRejected(ExecutionDecider.Decide(null, new ReleaseExecution(FirstLease), Now), ErrorCodes.NotFound, null);
    }

    [Fact]
    public void Release_NoLease_ValidationFailedNamingLeaseId()
    {
        var decision = ExecutionDecider.Decide(Claimed(), new ReleaseExecution(""), During);

        AssertRejected(decision, ErrorCodes.ValidationFailed, null);
        Assert.Equal("leaseId", decision.Rejection!.Field);
    }

    [Fact]
    public void Release_LiveLease_QueuedDueNowWithAVisibleReleasedEvent()
    {
        var decision = ExecutionDecider.Decide(Claimed(), new ReleaseExecution(FirstLease), During);

        Assert.Null(decision.Rejection);
        var released = Assert.IsType<LeaseReleased>(Assert.Single(decision.Events));
        Assert.Equal(new LeaseReleased(During, 1, FirstLease), released);
        Assert.Equal(ExecutionEventTypes.Released, released.LogType);
        Assert.True(released.IsVisible);

        var state = ExecutionDecider.Fold(Claimed(), decision.Events)!;
        Assert.Equal(Queued, state.Status);
        Assert.Equal(During, state.AvailableAt);
        Assert.Equal(During, state.UpdatedAt);
        Assert.Equal(1, state.Attempt);
        Assert.Equal(AttemptEnd.Released, state.AttemptEnd);
        Assert.False(state.HoldsLease(FirstLease, During));
    }

    [Fact]
    public void Release_ThenClaim_ContinuesTheSameAttemptUnderTheNewLease()
    {
        var reclaimed = Released().Then(new ClaimExecution("worker-2", "lease-2"), During);

        Assert.Equal(Running, reclaimed.Status);
        Assert.Equal(1, reclaimed.Attempt);
        Assert.Equal(("worker-2", "lease-2"), (reclaimed.WorkerId, reclaimed.LeaseId));
        Assert.True(reclaimed.HoldsLease("lease-2", During));
    }

    [Fact]
    public void Release_AtTheLastAttempt_NeverUsesItUp()
    {
        var state = Claimed(NewCreate() with { Retry = new RetryPolicy(1, 1_000, 2, 300_000) });
        for (var i = 2; i <= 5; i++)
        {
            state = state.Then(new ReleaseExecution($"lease-{i - 1}"), During)
                .Then(new ClaimExecution("worker-1", $"lease-{i}"), During);
        }

        Assert.Equal((Running, 1, 1), (state.Status, state.Attempt, state.Retry.MaxAttempts));
        // The attempt is still the only one: a retryable failure ends it for good.
        Assert.Equal(Failed, state.Then(new FailExecution("lease-5", new ExecutionError("boom")), During).Status);
    }

    [Fact]
    public void Release_SameLeaseAgainBeforeAClaim_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.Decide(Released(), new ReleaseExecution(FirstLease), During.AddSeconds(1)));
        // Also after the lease would have expired: the repeat is answered from the recorded end.
        AssertUnchanged(ExecutionDecider.Decide(Released(), new ReleaseExecution(FirstLease), LeaseExpiry.AddHours(1)));
    }

    [Fact]
    public void Release_SameLeaseAfterSomeoneElseClaimed_LeaseLost()
    {
        var reclaimed = Released().Then(new ClaimExecution("worker-2", "lease-2"), During);

        AssertRejected(ExecutionDecider.Decide(reclaimed, new ReleaseExecution(FirstLease), During), ErrorCodes.LeaseLost, Running);
        Assert.True(reclaimed.HoldsLease("lease-2", During));
    }

    [Fact]
    public void Release_ReleasedLeaseWritesNothingElse_LeaseLost()
    {
        var released = Released();

        AssertRejected(ExecutionDecider.Decide(released, new Heartbeat(FirstLease), During), ErrorCodes.LeaseLost, Queued);
        AssertRejected(ExecutionDecider.Decide(released, new CompleteExecution(FirstLease), During), ErrorCodes.LeaseLost, Queued);
        AssertRejected(ExecutionDecider.Decide(released, new FailExecution(FirstLease, new ExecutionError("boom")), During, Jitter),
            ErrorCodes.LeaseLost, Queued);
        AssertRejected(ExecutionDecider.Decide(released, new RequestApproval(FirstLease, "call-1", "refund"), During), ErrorCodes.LeaseLost, Queued);
    }

    [Fact]
    public void Release_UnknownLease_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Claimed(), new ReleaseExecution("lease-x"), During), ErrorCodes.LeaseLost, Running);
    }

    [Fact]
    public void Release_NeverClaimed_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Created(), new ReleaseExecution(FirstLease), During), ErrorCodes.LeaseLost, Queued);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Release_AtOrAfterExpiry_LeaseLost(int msAfterExpiry)
    {
        AssertRejected(ExecutionDecider.Decide(Claimed(), new ReleaseExecution(FirstLease), LeaseExpiry.AddMilliseconds(msAfterExpiry)),
            ErrorCodes.LeaseLost, Running);
    }

    [Fact]
    public void Release_LeaseOfARetriedAttempt_LeaseLost()
    {
        var retry = Claimed().Then(new FailExecution(FirstLease, new ExecutionError("boom")), During);

        AssertRejected(ExecutionDecider.Decide(retry, new ReleaseExecution(FirstLease), During), ErrorCodes.LeaseLost, Queued);
    }

    [Fact]
    public void Release_SuspendedOnAnApproval_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Suspended(), new ReleaseExecution(FirstLease), During), ErrorCodes.LeaseLost, Waiting);
    }

    [Theory]
    [MemberData(nameof(Terminals))]
    public void Release_TerminalExecution_TerminalState(ExecutionStatus status)
    {
        AssertRejected(ExecutionDecider.Decide(InStatus(status), new ReleaseExecution(FirstLease), During), ErrorCodes.TerminalState, status);
    }

    [Fact]
    public void Release_AfterTheLeaseCompleted_TerminalState()
    {
        var done = Claimed().Then(new CompleteExecution(FirstLease), During);

        AssertRejected(ExecutionDecider.Decide(done, new ReleaseExecution(FirstLease), During), ErrorCodes.TerminalState, Succeeded);
    }

    [Fact]
    public void Release_ReleasedThenCancelled_TerminalState()
    {
        var cancelled = Released().Then(new CancelExecution("stop"), During);

        AssertRejected(ExecutionDecider.Decide(cancelled, new ReleaseExecution(FirstLease), During), ErrorCodes.TerminalState, Cancelled);
    }

    [Fact]
    public void Release_LiveLease_ClearsTheLeaseTimerAndKeepsTheDeadline()
    {
        var claimed = Claimed(NewCreate() with { Timeouts = new ExecutionTimeouts(ExecutionMs: 60_000) });
        var released = claimed.Then(new ReleaseExecution(FirstLease), During);

        var timers = ApplyTimerChanges(ExecutionTimers.Desired(claimed), ExecutionTimers.Diff(claimed, released));

        Assert.Equal(ExecutionTimers.Desired(released), timers);
        Assert.Equal([ExecutionTimers.DeadlineTimer], timers.Keys);
    }

    [Fact]
    public void Release_ThenTheOldLeaseTimer_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.ExpireLease(Released(), FirstLease, LeaseExpiry, Jitter));
    }

    public static TheoryData<ExecutionStatus> Terminals() => [.. TerminalStatuses];
}
