using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>Claims, heartbeats, completes, fails, the lease and deadline timers, and cancellation of a claimed execution.</summary>
public sealed class ExecutionDeciderWorkerTests
{
    private static readonly TimeSpan DefaultLease = TimeSpan.FromMilliseconds(ExecutionDefaults.HeartbeatMs);
    private static readonly DateTimeOffset LeaseExpiry = ClaimedAt + DefaultLease;
    /// <summary>A moment while <see cref="FirstLease"/> is live.</summary>
    private static readonly DateTimeOffset During = ClaimedAt.AddSeconds(10);
    private static readonly ExecutionError Boom = new("boom", "IOException");

    private static CreateExecution WithRetry(int maxAttempts, long initialDelayMs = 1_000, double factor = 2, long maxDelayMs = 300_000) =>
        NewCreate() with { Retry = new RetryPolicy(maxAttempts, initialDelayMs, factor, maxDelayMs) };

    /// <summary>Claimed, failed retryably at <see cref="During"/>: queued for attempt 2, due 750 ms later (1 s backoff, jitter 0.5).</summary>
    private static ExecutionState RetryScheduled() => Claimed().Then(new FailExecution(FirstLease, Boom), During);

    /// <summary><see cref="RetryScheduled"/>, then claimed again under lease-2 when due.</summary>
    private static ExecutionState Reclaimed() => RetryScheduled().Then(new ClaimExecution("worker-2", "lease-2"), During.AddSeconds(1));

    // ---- Claim ----

    [Fact]
    public void Claim_MissingState_NotFound()
    {
        AssertRejected(ExecutionDecider.Decide(null, new ClaimExecution("worker-1", FirstLease), Now), ErrorCodes.NotFound, null);
    }

    [Fact]
    public void Claim_QueuedAndDue_StartsAttemptOneUnderTheLeaseForThirtySeconds()
    {
        var decision = ExecutionDecider.Decide(Created(), new ClaimExecution("worker-1", FirstLease), ClaimedAt);

        Assert.Null(decision.Rejection);
        var claimed = Assert.IsType<ExecutionClaimed>(Assert.Single(decision.Events));
        Assert.Equal(new ExecutionClaimed(ClaimedAt, 1, "worker-1", FirstLease, ClaimedAt.AddSeconds(30)), claimed);
        Assert.Equal(ExecutionEventTypes.Claimed, claimed.LogType);
        Assert.True(claimed.IsVisible);

        var state = ExecutionDecider.Fold(Created(), decision.Events)!;
        Assert.Equal(Running, state.Status);
        Assert.Equal(1, state.Attempt);
        Assert.Equal(("worker-1", FirstLease, ClaimedAt.AddSeconds(30)), (state.WorkerId, state.LeaseId, state.LeaseExpiresAt));
        Assert.Null(state.AttemptEnd);
        Assert.Equal(ClaimedAt, state.StartedAt);
        Assert.Equal(ClaimedAt, state.UpdatedAt);
        Assert.True(state.HoldsLease(FirstLease, ClaimedAt));
    }

    [Fact]
    public void Claim_WithHeartbeatTimeout_LeaseLastsHeartbeatMs()
    {
        var state = Claimed(NewCreate() with { Timeouts = new ExecutionTimeouts(HeartbeatMs: 5_000) });

        Assert.Equal(ClaimedAt.AddSeconds(5), state.LeaseExpiresAt);
        Assert.Equal(TimeSpan.FromSeconds(5), state.LeaseDuration);
    }

    [Fact]
    public void Claim_DelayedExactlyAtAvailableAt_Claims()
    {
        var delayed = ((ExecutionState?)null).Then(NewCreate() with { DelayMs = 2_000 });

        var state = delayed.Then(new ClaimExecution("worker-1", FirstLease), Now.AddSeconds(2));

        Assert.Equal(Running, state.Status);
    }

    [Fact]
    public void Claim_BeforeAvailableAt_IllegalTransition()
    {
        var delayed = ((ExecutionState?)null).Then(NewCreate() with { DelayMs = 2_000 });

        var decision = ExecutionDecider.Decide(delayed, new ClaimExecution("worker-1", FirstLease), Now.AddMilliseconds(1_999));

        AssertRejected(decision, ErrorCodes.IllegalTransition, Queued);
    }

    [Theory]
    [InlineData(Running)]
    [InlineData(Waiting)]
    [InlineData(Succeeded)]
    [InlineData(Failed)]
    [InlineData(Cancelled)]
    [InlineData(TimedOut)]
    public void Claim_NotQueued_IllegalTransition(ExecutionStatus status)
    {
        AssertRejected(ExecutionDecider.Decide(InStatus(status), new ClaimExecution("worker-2", "lease-2"), Now.AddHours(1)),
            ErrorCodes.IllegalTransition, status);
    }

    [Fact]
    public void Claim_AlreadyClaimed_IllegalTransitionAndTheFirstLeaseStaysLive()
    {
        var state = Claimed();

        var decision = ExecutionDecider.Decide(state, new ClaimExecution("worker-2", "lease-2"), During);

        AssertRejected(decision, ErrorCodes.IllegalTransition, Running);
        Assert.True(state.HoldsLease(FirstLease, During));
    }

    [Fact]
    public void Claim_WaitingOnApproval_IllegalTransition()
    {
        AssertRejected(ExecutionDecider.Decide(Suspended(), new ClaimExecution("worker-2", "lease-2"), During), ErrorCodes.IllegalTransition, Waiting);
    }

    [Fact]
    public void Claim_RetryBeforeBackoffElapsed_IllegalTransition()
    {
        var retry = RetryScheduled();

        AssertRejected(ExecutionDecider.Decide(retry, new ClaimExecution("worker-2", "lease-2"), retry.AvailableAt.AddTicks(-1)),
            ErrorCodes.IllegalTransition, Queued);
    }

    [Fact]
    public void Claim_RetryWhenDue_NextAttemptUnderTheNewLeaseOnly()
    {
        var state = Reclaimed();

        Assert.Equal(Running, state.Status);
        Assert.Equal(2, state.Attempt);
        Assert.Equal(("worker-2", "lease-2"), (state.WorkerId, state.LeaseId));
        Assert.Null(state.AttemptEnd);
        Assert.Equal(ClaimedAt, state.StartedAt);
        Assert.True(state.HoldsLease("lease-2", During.AddSeconds(1)));
        Assert.False(state.HoldsLease(FirstLease, During.AddSeconds(1)));
    }

    // ---- Heartbeat ----

    [Fact]
    public void Heartbeat_MissingState_NotFound()
    {
        AssertRejected(ExecutionDecider.Decide(null, new Heartbeat(FirstLease), Now), ErrorCodes.NotFound, null);
    }

    [Fact]
    public void Heartbeat_LiveLease_ExtendsTheExpiryWithAnInvisibleEvent()
    {
        var claimed = Claimed();

        var decision = ExecutionDecider.Decide(claimed, new Heartbeat(FirstLease), During);

        Assert.Null(decision.Rejection);
        var extended = Assert.IsType<LeaseExtended>(Assert.Single(decision.Events));
        Assert.Equal(new LeaseExtended(During, During + DefaultLease), extended);
        Assert.False(extended.IsVisible);
        var state = ExecutionDecider.Fold(claimed, decision.Events)!;
        Assert.Equal(During + DefaultLease, state.LeaseExpiresAt);
        Assert.Equal((Running, 1, FirstLease), (state.Status, state.Attempt, state.LeaseId));
        Assert.True(state.HoldsLease(FirstLease, LeaseExpiry.AddSeconds(1)));
    }

    [Fact]
    public void Heartbeat_WithHeartbeatTimeout_ExtendsByHeartbeatMs()
    {
        var claimed = Claimed(NewCreate() with { Timeouts = new ExecutionTimeouts(HeartbeatMs: 5_000) });

        var state = claimed.Then(new Heartbeat(FirstLease), ClaimedAt.AddSeconds(4));

        Assert.Equal(ClaimedAt.AddSeconds(9), state.LeaseExpiresAt);
    }

    [Fact]
    public void Heartbeat_LiveLeaseRepeatedly_KeepsItAlivePastTheFirstExpiry()
    {
        var state = Claimed();
        for (var i = 1; i <= 5; i++)
        {
            state = state.Then(new Heartbeat(FirstLease), ClaimedAt.AddSeconds(25 * i));
        }

        Assert.True(state.HoldsLease(FirstLease, ClaimedAt.AddSeconds(150)));
        Assert.Equal(ClaimedAt.AddSeconds(155), state.LeaseExpiresAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(60_000)]
    public void Heartbeat_AtOrAfterExpiry_LeaseLost(int msAfterExpiry)
    {
        var decision = ExecutionDecider.Decide(Claimed(), new Heartbeat(FirstLease), LeaseExpiry.AddMilliseconds(msAfterExpiry));

        AssertRejected(decision, ErrorCodes.LeaseLost, Running);
        Assert.Contains(FirstLease, decision.Rejection!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Heartbeat_UnknownLease_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Claimed(), new Heartbeat("lease-x"), During), ErrorCodes.LeaseLost, Running);
    }

    [Fact]
    public void Heartbeat_NeverClaimed_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Created(), new Heartbeat(FirstLease), During), ErrorCodes.LeaseLost, Queued);
    }

    [Fact]
    public void Heartbeat_LeaseOfARetriedAttempt_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(RetryScheduled(), new Heartbeat(FirstLease), During.AddMilliseconds(1)), ErrorCodes.LeaseLost, Queued);
        AssertRejected(ExecutionDecider.Decide(Reclaimed(), new Heartbeat(FirstLease), During.AddSeconds(2)), ErrorCodes.LeaseLost, Running);
    }

    [Fact]
    public void Heartbeat_SuspendedLease_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Suspended(), new Heartbeat(FirstLease), During), ErrorCodes.LeaseLost, Waiting);
    }

    [Fact]
    public void Heartbeat_AfterSuccess_LeaseLost()
    {
        var done = Claimed().Then(new CompleteExecution(FirstLease), During);

        AssertRejected(ExecutionDecider.Decide(done, new Heartbeat(FirstLease), During.AddSeconds(1)), ErrorCodes.LeaseLost, Succeeded);
    }

    [Fact]
    public void Heartbeat_LastLeaseOfCancelledExecution_UnchangedWithCancelRequested()
    {
        var cancelled = Claimed().Then(new CancelExecution("user"), During);

        AssertUnchanged(ExecutionDecider.Decide(cancelled, new Heartbeat(FirstLease), During.AddSeconds(1)));
        // Still told to stop long after the lease would have expired.
        AssertUnchanged(ExecutionDecider.Decide(cancelled, new Heartbeat(FirstLease), LeaseExpiry.AddHours(1)));
        Assert.True(cancelled.CancelRequested);
    }

    [Fact]
    public void Heartbeat_OtherLeaseOfCancelledExecution_LeaseLost()
    {
        var cancelled = Reclaimed().Then(new CancelExecution(), During.AddSeconds(2));

        AssertRejected(ExecutionDecider.Decide(cancelled, new Heartbeat(FirstLease), During.AddSeconds(3)), ErrorCodes.LeaseLost, Cancelled);
        AssertRejected(ExecutionDecider.Decide(cancelled, new Heartbeat("lease-x"), During.AddSeconds(3)), ErrorCodes.LeaseLost, Cancelled);
        AssertUnchanged(ExecutionDecider.Decide(cancelled, new Heartbeat("lease-2"), During.AddSeconds(3)));
    }

    // ---- Complete ----

    [Fact]
    public void Complete_MissingState_NotFound()
    {
        AssertRejected(ExecutionDecider.Decide(null, new CompleteExecution(FirstLease), Now), ErrorCodes.NotFound, null);
    }

    [Fact]
    public void Complete_LiveLease_SucceedsWithOutput()
    {
        var claimed = Claimed();
        var output = Json("""{"sent":1}""");

        var decision = ExecutionDecider.Decide(claimed, new CompleteExecution(FirstLease, output), During);

        Assert.Null(decision.Rejection);
        var changed = Assert.IsType<StatusChanged>(Assert.Single(decision.Events));
        Assert.Equal((During, Succeeded, 1), (changed.At, changed.Status, changed.Attempt));
        Assert.Equal(ExecutionStatus.Succeeded.ToWire(), changed.LogType);
        var state = ExecutionDecider.Fold(claimed, decision.Events)!;
        Assert.Equal(Succeeded, state.Status);
        Assert.Equal(output.GetRawText(), state.Output?.GetRawText());
        Assert.Equal(During, state.CompletedAt);
        Assert.Equal(ClaimedAt, state.StartedAt);
        Assert.False(state.HoldsLease(FirstLease, During));
    }

    [Fact]
    public void Complete_SameLeaseAgain_UnchangedAndTheFirstOutputStays()
    {
        var done = Claimed().Then(new CompleteExecution(FirstLease, Json("1")), During);

        AssertUnchanged(ExecutionDecider.Decide(done, new CompleteExecution(FirstLease, Json("1")), During.AddSeconds(1)));
        AssertUnchanged(ExecutionDecider.Decide(done, new CompleteExecution(FirstLease, Json("2")), LeaseExpiry.AddHours(1)));
        Assert.Equal("1", done.Output?.GetRawText());
    }

    [Fact]
    public void Complete_OtherLeaseAfterSuccess_TerminalState()
    {
        var done = Claimed().Then(new CompleteExecution(FirstLease), During);

        AssertRejected(ExecutionDecider.Decide(done, new CompleteExecution("lease-x"), During), ErrorCodes.TerminalState, Succeeded);
    }

    [Fact]
    public void Complete_AfterFinalFailure_TerminalState()
    {
        var failed = Claimed().Then(new FailExecution(FirstLease, Boom, Retryable: false), During);

        AssertRejected(ExecutionDecider.Decide(failed, new CompleteExecution(FirstLease), During), ErrorCodes.TerminalState, Failed);
    }

    [Fact]
    public void Complete_AfterCancel_TerminalState()
    {
        var cancelled = Claimed().Then(new CancelExecution(), During);

        AssertRejected(ExecutionDecider.Decide(cancelled, new CompleteExecution(FirstLease), During), ErrorCodes.TerminalState, Cancelled);
    }

    [Fact]
    public void Complete_AfterDeadline_TerminalState()
    {
        var timedOut = Claimed(NewCreate() with { Timeouts = new ExecutionTimeouts(ExecutionMs: 5_000) })
            .Then(new ExpireDeadlineTimer(), Now.AddSeconds(5));

        AssertRejected(ExecutionDecider.Decide(timedOut, new CompleteExecution(FirstLease), Now.AddSeconds(6)), ErrorCodes.TerminalState, TimedOut);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Complete_ExpiredLeaseBeforeTheTimerFired_LeaseLost(int msAfterExpiry)
    {
        AssertRejected(ExecutionDecider.Decide(Claimed(), new CompleteExecution(FirstLease), LeaseExpiry.AddMilliseconds(msAfterExpiry)),
            ErrorCodes.LeaseLost, Running);
    }

    [Fact]
    public void Complete_ExpiredLeaseAfterTheTimerFired_LeaseLost()
    {
        var expired = Claimed().Then(new ExpireLeaseTimer(FirstLease), LeaseExpiry);

        AssertRejected(ExecutionDecider.Decide(expired, new CompleteExecution(FirstLease), LeaseExpiry.AddSeconds(1)), ErrorCodes.LeaseLost, Queued);
    }

    [Fact]
    public void Complete_UnknownLease_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Claimed(), new CompleteExecution("lease-x"), During), ErrorCodes.LeaseLost, Running);
        AssertRejected(ExecutionDecider.Decide(Created(), new CompleteExecution(FirstLease), During), ErrorCodes.LeaseLost, Queued);
    }

    [Fact]
    public void Complete_StaleLeaseOfARetriedAttempt_LeaseLostAndTheNewLeaseStaysLive()
    {
        var state = Reclaimed();
        var at = During.AddSeconds(2);

        AssertRejected(ExecutionDecider.Decide(state, new CompleteExecution(FirstLease), at), ErrorCodes.LeaseLost, Running);
        Assert.True(state.HoldsLease("lease-2", at));
        Assert.Equal(Succeeded, state.Then(new CompleteExecution("lease-2"), at).Status);
    }

    [Fact]
    public void Complete_SuspendedLease_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Suspended(), new CompleteExecution(FirstLease), During), ErrorCodes.LeaseLost, Waiting);
    }

    // ---- Fail ----

    [Fact]
    public void Fail_MissingState_NotFound()
    {
        AssertRejected(ExecutionDecider.Decide(null, new FailExecution(FirstLease, Boom), Now, Jitter), ErrorCodes.NotFound, null);
    }

    [Fact]
    public void Fail_RetryableWithAttemptsLeft_SchedulesTheRetryAfterTheBackoff()
    {
        var claimed = Claimed();

        var decision = ExecutionDecider.Decide(claimed, new FailExecution(FirstLease, Boom), During, 0.5);

        Assert.Null(decision.Rejection);
        var retry = Assert.IsType<RetryScheduled>(Assert.Single(decision.Events));
        // Default policy: 1 s before the first retry, equal jitter 0.5: 500 + 250 ms.
        Assert.Equal(new RetryScheduled(During, 1, Boom, During.AddMilliseconds(750)), retry);
        Assert.Equal(ExecutionEventTypes.RetryScheduled, retry.LogType);
        var state = ExecutionDecider.Fold(claimed, decision.Events)!;
        Assert.Equal(Queued, state.Status);
        Assert.Equal(During.AddMilliseconds(750), state.AvailableAt);
        Assert.Equal(Boom, state.Error);
        Assert.Equal(1, state.Attempt);
        Assert.Equal(AttemptEnd.Retry, state.AttemptEnd);
        Assert.Null(state.CompletedAt);
        Assert.False(state.HoldsLease(FirstLease, During));
    }

    [Fact]
    public void Fail_RetryAfterMs_OverridesTheBackoff()
    {
        var decision = ExecutionDecider.Decide(Claimed(), new FailExecution(FirstLease, Boom, RetryAfterMs: 42_000), During, 0.9);

        Assert.Equal(During.AddSeconds(42), Assert.IsType<RetryScheduled>(Assert.Single(decision.Events)).AvailableAt);
    }

    [Fact]
    public void Fail_RetryAfterZero_DueAtOnce()
    {
        var state = Claimed().Then(new FailExecution(FirstLease, Boom, RetryAfterMs: 0), During);

        Assert.Equal(During, state.AvailableAt);
        Assert.Equal(Running, state.Then(new ClaimExecution("worker-2", "lease-2"), During).Status);
    }

    [Fact]
    public void Fail_NotRetryable_FailsWithTheError()
    {
        var claimed = Claimed();

        var decision = ExecutionDecider.Decide(claimed, new FailExecution(FirstLease, Boom, Retryable: false), During, Jitter);

        Assert.Null(decision.Rejection);
        var changed = Assert.IsType<StatusChanged>(Assert.Single(decision.Events));
        Assert.Equal(new StatusChanged(During, Failed, 1, null, null, Boom with { Retryable = false }), changed);
        Assert.Equal(ExecutionStatus.Failed.ToWire(), changed.LogType);
        var state = ExecutionDecider.Fold(claimed, decision.Events)!;
        Assert.Equal((Failed, During), (state.Status, state.CompletedAt));
        Assert.False(state.Error!.Retryable);
    }

    [Fact]
    public void Fail_CommandRetryableFlagWinsOverTheError()
    {
        var retry = ExecutionDecider.Decide(Claimed(), new FailExecution(FirstLease, Boom with { Retryable = false }, Retryable: true), During, Jitter);
        var final = ExecutionDecider.Decide(Claimed(), new FailExecution(FirstLease, Boom with { Retryable = true }, Retryable: false), During, Jitter);

        Assert.True(Assert.IsType<RetryScheduled>(Assert.Single(retry.Events)).Error.Retryable);
        Assert.False(Assert.IsType<StatusChanged>(Assert.Single(final.Events)).Error!.Retryable);
    }

    [Fact]
    public void Fail_SingleAttemptPolicy_FailsAtOnce()
    {
        var state = Claimed(WithRetry(1)).Then(new FailExecution(FirstLease, Boom), During);

        Assert.Equal((Failed, 1), (state.Status, state.Attempt));
    }

    [Fact]
    public void Fail_EveryAttemptRetryable_RetriesWithGrowingBackoffThenFailsOnTheLastAttempt()
    {
        // 3 attempts, 1 s ×3, jitter 0 (half the delay): retry 1 after 500 ms, retry 2 after 1.5 s.
        var state = Claimed(WithRetry(3, 1_000, 3));
        var at = During;
        long[] expectedDelays = [500, 1_500];
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var lease = $"lease-{attempt}";
            Assert.Equal((Running, attempt), (state.Status, state.Attempt));
            var decision = ExecutionDecider.Decide(state, new FailExecution(lease, Boom), at, 0);
            Assert.Null(decision.Rejection);
            state = ExecutionDecider.Fold(state, decision.Events)!;
            if (attempt < 3)
            {
                Assert.Equal(Queued, state.Status);
                Assert.Equal(at.AddMilliseconds(expectedDelays[attempt - 1]), state.AvailableAt);
                at = state.AvailableAt;
                state = state.Then(new ClaimExecution("worker-1", $"lease-{attempt + 1}"), at);
                at = at.AddSeconds(1);
            }
        }

        Assert.Equal((Failed, 3), (state.Status, state.Attempt));
        Assert.Equal(Boom, state.Error);
    }

    [Fact]
    public void Fail_SameLeaseAgainAfterRetry_Unchanged()
    {
        var retry = RetryScheduled();

        AssertUnchanged(ExecutionDecider.Decide(retry, new FailExecution(FirstLease, Boom), During.AddMilliseconds(1), 0.1));
        AssertUnchanged(ExecutionDecider.Decide(retry, new FailExecution(FirstLease, Boom, Retryable: false), LeaseExpiry.AddHours(1), 0.1));
    }

    [Fact]
    public void Fail_SameLeaseAgainAfterFinalFailure_Unchanged()
    {
        var failed = Claimed().Then(new FailExecution(FirstLease, Boom, Retryable: false), During);

        AssertUnchanged(ExecutionDecider.Decide(failed, new FailExecution(FirstLease, Boom, Retryable: false), During.AddSeconds(1), Jitter));
        AssertUnchanged(ExecutionDecider.Decide(failed, new FailExecution(FirstLease, Boom), During.AddSeconds(1), Jitter));
    }

    [Fact]
    public void Fail_AfterSuccess_TerminalState()
    {
        var done = Claimed().Then(new CompleteExecution(FirstLease), During);

        AssertRejected(ExecutionDecider.Decide(done, new FailExecution(FirstLease, Boom), During, Jitter), ErrorCodes.TerminalState, Succeeded);
    }

    [Fact]
    public void Fail_AfterCancel_TerminalState()
    {
        var cancelled = Claimed().Then(new CancelExecution(), During);

        AssertRejected(ExecutionDecider.Decide(cancelled, new FailExecution(FirstLease, Boom), During, Jitter), ErrorCodes.TerminalState, Cancelled);
    }

    [Fact]
    public void Fail_ExpiredLease_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Claimed(), new FailExecution(FirstLease, Boom), LeaseExpiry, Jitter), ErrorCodes.LeaseLost, Running);
    }

    [Fact]
    public void Fail_UnknownOrStaleLease_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Claimed(), new FailExecution("lease-x", Boom), During, Jitter), ErrorCodes.LeaseLost, Running);
        AssertRejected(ExecutionDecider.Decide(Reclaimed(), new FailExecution(FirstLease, Boom), During.AddSeconds(2), Jitter), ErrorCodes.LeaseLost, Running);
        AssertRejected(ExecutionDecider.Decide(Suspended(), new FailExecution(FirstLease, Boom), During, Jitter), ErrorCodes.LeaseLost, Waiting);
    }

    [Fact]
    public void Fail_ExpiredLeaseAfterTheExpiryScheduledARetry_LeaseLost()
    {
        var expired = Claimed().Then(new ExpireLeaseTimer(FirstLease), LeaseExpiry);

        AssertRejected(ExecutionDecider.Decide(expired, new FailExecution(FirstLease, Boom), LeaseExpiry.AddSeconds(1), Jitter), ErrorCodes.LeaseLost, Queued);
    }

    [Fact]
    public void Fail_ExpiredLeaseAfterTheExpiryFailedTheExecution_TerminalState()
    {
        // The lease's own failure was never recorded: the execution failed because the lease expired.
        var failed = Claimed(WithRetry(1)).Then(new ExpireLeaseTimer(FirstLease), LeaseExpiry);
        Assert.Equal(Failed, failed.Status);

        var decision = ExecutionDecider.Decide(failed, new FailExecution(FirstLease, Boom), LeaseExpiry.AddSeconds(1), Jitter);

        AssertRejected(decision, ErrorCodes.TerminalState, Failed);
        AssertRejected(ExecutionDecider.Decide(failed, new CompleteExecution(FirstLease), LeaseExpiry.AddSeconds(1)), ErrorCodes.TerminalState, Failed);
        AssertRejected(ExecutionDecider.Decide(failed, new Heartbeat(FirstLease), LeaseExpiry.AddSeconds(1)), ErrorCodes.LeaseLost, Failed);
    }

    // ---- Backoff ----

    /// <summary>initialMs, factor, maxMs, failed attempt, jitter, expected delay in ms.</summary>
    public static TheoryData<long, double, long, int, double, double> BackoffTable => new()
    {
        // Default policy, first retry: half fixed (500) + half × jitter.
        { 1_000, 2, 300_000, 1, 0, 500 },
        { 1_000, 2, 300_000, 1, 0.5, 750 },
        { 1_000, 2, 300_000, 1, 1, 1_000 },
        // Grows by the factor per failed attempt.
        { 1_000, 2, 300_000, 2, 0, 1_000 },
        { 1_000, 2, 300_000, 3, 0.5, 3_000 },
        { 1_000, 2, 300_000, 4, 1, 8_000 },
        { 500, 3, 300_000, 3, 0.2, 2_700 },
        { 100, 10, 300_000, 4, 0, 50_000 },
        // Factor 1: constant.
        { 1_000, 1, 300_000, 1, 0.5, 750 },
        { 1_000, 1, 300_000, 50, 0.5, 750 },
        // Capped at the maximum before the jitter is applied.
        { 1_000, 2, 300_000, 10, 0, 150_000 },
        { 1_000, 2, 300_000, 10, 1, 300_000 },
        { 1_000, 2, 5_000, 4, 0.5, 3_750 },
        { 1_000, 10, 2_592_000_000, 100, 1, 2_592_000_000 },
        // Zero delays stay zero.
        { 0, 2, 0, 3, 0.7, 0 },
        { 0, 2, 300_000, 9, 1, 0 },
        // Jitter outside [0, 1] is clamped; attempt 0 or less counts as the first.
        { 1_000, 2, 300_000, 1, -1, 500 },
        { 1_000, 2, 300_000, 1, 7, 1_000 },
        { 1_000, 2, 300_000, 0, 0, 500 },
        { 1_000, 2, 300_000, -3, 1, 1_000 },
    };

    [Theory]
    [MemberData(nameof(BackoffTable))]
    public void Backoff_Table_EqualJitterOfTheCappedExponentialDelay(long initialMs, double factor, long maxMs, int failedAttempt, double jitter, double expectedMs)
    {
        var delay = ExecutionDecider.Backoff(new RetryPolicy(3, initialMs, factor, maxMs), failedAttempt, jitter);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }

    [Theory]
    [InlineData(1, 0.0, 500)]
    [InlineData(1, 1.0, 1_000)]
    [InlineData(2, 0.5, 1_500)]
    public void Fail_Retry_AvailableAtIsNowPlusTheBackoffOfTheFailedAttempt(int failingAttempt, double jitter, int expectedMs)
    {
        var state = Claimed();
        var at = During;
        if (failingAttempt == 2)
        {
            state = RetryScheduled();
            at = state.AvailableAt;
            state = state.Then(new ClaimExecution("worker-2", "lease-2"), at);
        }

        var decision = ExecutionDecider.Decide(state, new FailExecution(state.LeaseId!, Boom), at, jitter);

        var retry = Assert.IsType<RetryScheduled>(Assert.Single(decision.Events));
        Assert.Equal(failingAttempt, retry.Attempt);
        Assert.Equal(at.AddMilliseconds(expectedMs), retry.AvailableAt);
    }

    // ---- Lease timer ----

    [Fact]
    public void ExpireLease_MissingState_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.ExpireLease(null, FirstLease, LeaseExpiry, Jitter));
    }

    [Fact]
    public void ExpireLease_LiveLeaseLapsed_LeaseExpiredThenRetry()
    {
        var claimed = Claimed();
        var at = LeaseExpiry.AddMilliseconds(3);

        var decision = ExecutionDecider.ExpireLease(claimed, FirstLease, at, 1);

        Assert.Null(decision.Rejection);
        Assert.Equal(2, decision.Events.Count);
        var expired = Assert.IsType<LeaseExpired>(decision.Events[0]);
        Assert.Equal(new LeaseExpired(at, 1, FirstLease), expired);
        Assert.Equal(ExecutionEventTypes.LeaseExpired, expired.LogType);
        var retry = Assert.IsType<RetryScheduled>(decision.Events[1]);
        Assert.Equal((at, 1, at.AddSeconds(1)), (retry.At, retry.Attempt, retry.AvailableAt));
        Assert.Equal("lease_expired", retry.Error.Type);
        Assert.True(retry.Error.Retryable);

        var state = ExecutionDecider.Fold(claimed, decision.Events)!;
        Assert.Equal((Queued, 1, AttemptEnd.Expired), (state.Status, state.Attempt, state.AttemptEnd));
        Assert.Equal(at.AddSeconds(1), state.AvailableAt);
        Assert.False(state.HoldsLease(FirstLease, at));
    }

    [Fact]
    public void ExpireLease_OnTheLastAttempt_LeaseExpiredThenFailed()
    {
        var claimed = Claimed(WithRetry(1));

        var decision = ExecutionDecider.ExpireLease(claimed, FirstLease, LeaseExpiry, Jitter);

        Assert.Equal(2, decision.Events.Count);
        Assert.IsType<LeaseExpired>(decision.Events[0]);
        var failed = Assert.IsType<StatusChanged>(decision.Events[1]);
        Assert.Equal((Failed, 1), (failed.Status, failed.Attempt));
        Assert.Equal("lease_expired", failed.Error!.Type);
        var state = ExecutionDecider.Fold(claimed, decision.Events)!;
        Assert.Equal((Failed, LeaseExpiry), (state.Status, state.CompletedAt));
    }

    [Fact]
    public void ExpireLease_BeforeExpiry_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.ExpireLease(Claimed(), FirstLease, LeaseExpiry.AddTicks(-1), Jitter));
    }

    [Fact]
    public void ExpireLease_StaleTimerAfterAHeartbeat_Unchanged()
    {
        var extended = Claimed().Then(new Heartbeat(FirstLease), During);

        AssertUnchanged(ExecutionDecider.ExpireLease(extended, FirstLease, LeaseExpiry, Jitter));
    }

    [Fact]
    public void ExpireLease_OtherLease_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.ExpireLease(Claimed(), "lease-x", LeaseExpiry.AddHours(1), Jitter));
        AssertUnchanged(ExecutionDecider.ExpireLease(Reclaimed(), FirstLease, LeaseExpiry.AddHours(1), Jitter));
    }

    [Fact]
    public void ExpireLease_TwiceForTheSameLease_SecondUnchanged()
    {
        var expired = Claimed().Then(new ExpireLeaseTimer(FirstLease), LeaseExpiry);

        AssertUnchanged(ExecutionDecider.ExpireLease(expired, FirstLease, LeaseExpiry.AddSeconds(1), Jitter));
    }

    [Fact]
    public void ExpireLease_AfterTheAttemptEnded_Unchanged()
    {
        var later = LeaseExpiry.AddHours(1);

        AssertUnchanged(ExecutionDecider.ExpireLease(Created(), FirstLease, later, Jitter));
        AssertUnchanged(ExecutionDecider.ExpireLease(RetryScheduled(), FirstLease, later, Jitter));
        AssertUnchanged(ExecutionDecider.ExpireLease(Suspended(), FirstLease, later, Jitter));
        AssertUnchanged(ExecutionDecider.ExpireLease(Claimed().Then(new CompleteExecution(FirstLease), During), FirstLease, later, Jitter));
        AssertUnchanged(ExecutionDecider.ExpireLease(Claimed().Then(new CancelExecution(), During), FirstLease, later, Jitter));
    }

    // ---- Deadline timer ----

    private static CreateExecution WithDeadline(long executionMs = 60_000) =>
        NewCreate() with { Timeouts = new ExecutionTimeouts(ExecutionMs: executionMs) };

    [Fact]
    public void ExpireDeadline_MissingState_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.ExpireDeadline(null, Now));
    }

    [Fact]
    public void ExpireDeadline_WithoutExecutionTimeout_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.ExpireDeadline(Claimed(), Now.AddDays(365)));
    }

    [Fact]
    public void ExpireDeadline_BeforeTheDeadline_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.ExpireDeadline(Claimed(WithDeadline()), Now.AddSeconds(60).AddTicks(-1)));
    }

    public static TheoryData<string> NonTerminalWorkerStates => new() { "queued", "running", "waiting", "retry" };

    private static ExecutionState WorkerState(string name, CreateExecution create) => name switch
    {
        "queued" => ((ExecutionState?)null).Then(create),
        "running" => Claimed(create),
        "waiting" => Suspended(create: create),
        "retry" => Claimed(create).Then(new FailExecution(FirstLease, Boom), During),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(NonTerminalWorkerStates))]
    public void ExpireDeadline_NonTerminalAtOrPastTheDeadline_TimedOut(string name)
    {
        var state = WorkerState(name, WithDeadline());
        var deadline = Now.AddSeconds(60);

        foreach (var at in new[] { deadline, deadline.AddHours(1) })
        {
            var decision = ExecutionDecider.ExpireDeadline(state, at);

            Assert.Null(decision.Rejection);
            var changed = Assert.IsType<StatusChanged>(Assert.Single(decision.Events));
            Assert.Equal((TimedOut, state.Attempt), (changed.Status, changed.Attempt));
            Assert.Equal(ExecutionStatus.TimedOut.ToWire(), changed.LogType);
            Assert.Equal("timed_out", changed.Error!.Type);
            Assert.False(changed.Error.Retryable);
            var next = ExecutionDecider.Fold(state, decision.Events)!;
            Assert.Equal((TimedOut, at), (next.Status, next.CompletedAt));
            Assert.Null(next.WaitingFor);
            Assert.False(next.HoldsLease(FirstLease, at));
        }
    }

    [Theory]
    [InlineData(Succeeded)]
    [InlineData(Failed)]
    [InlineData(Cancelled)]
    [InlineData(TimedOut)]
    public void ExpireDeadline_Terminal_Unchanged(ExecutionStatus terminal)
    {
        var claimed = Claimed(WithDeadline());
        var state = terminal switch
        {
            Succeeded => claimed.Then(new CompleteExecution(FirstLease), During),
            Failed => claimed.Then(new FailExecution(FirstLease, Boom, Retryable: false), During),
            Cancelled => claimed.Then(new CancelExecution(), During),
            _ => claimed.Then(new ExpireDeadlineTimer(), Now.AddSeconds(60)),
        };

        AssertUnchanged(ExecutionDecider.ExpireDeadline(state, Now.AddHours(1)));
    }

    // ---- Cancel of a claimed execution ----

    [Fact]
    public void Cancel_Running_TerminalAndTheLeaseHolderIsToldToStop()
    {
        var claimed = Claimed();

        var cancelled = claimed.Then(new CancelExecution("user"), During);
        var at = During.AddSeconds(1);

        Assert.Equal((Cancelled, true, During), (cancelled.Status, cancelled.CancelRequested, cancelled.CompletedAt));
        Assert.False(cancelled.HoldsLease(FirstLease, at));
        AssertUnchanged(ExecutionDecider.Decide(cancelled, new Heartbeat(FirstLease), at));
        AssertRejected(ExecutionDecider.Decide(cancelled, new CompleteExecution(FirstLease, Json("1")), at), ErrorCodes.TerminalState, Cancelled);
        AssertRejected(ExecutionDecider.Decide(cancelled, new FailExecution(FirstLease, Boom), at, Jitter), ErrorCodes.TerminalState, Cancelled);
        AssertRejected(ExecutionDecider.Decide(cancelled, new FailExecution(FirstLease, Boom, Retryable: false), at, Jitter), ErrorCodes.TerminalState, Cancelled);
        AssertRejected(ExecutionDecider.Decide(cancelled, new ClaimExecution("worker-2", "lease-2"), at), ErrorCodes.IllegalTransition, Cancelled);
        AssertUnchanged(ExecutionDecider.ExpireLease(cancelled, FirstLease, LeaseExpiry, Jitter));
    }

    [Fact]
    public void Cancel_QueuedForRetry_OldLeaseHeartbeatIsToldToStop()
    {
        var cancelled = RetryScheduled().Then(new CancelExecution(), During.AddMilliseconds(1));

        AssertUnchanged(ExecutionDecider.Decide(cancelled, new Heartbeat(FirstLease), During.AddSeconds(1)));
        AssertRejected(ExecutionDecider.Decide(cancelled, new ClaimExecution("worker-2", "lease-2"), cancelled.AvailableAt), ErrorCodes.IllegalTransition, Cancelled);
    }

    // ---- Fields of lease-fenced writes ----

    /// <summary>Each lease-fenced write with the given lease, batch and error message.</summary>
    private static Decision Write(string command, ExecutionState? state, string lease, string batchId = "bat_1", string message = "boom") => command switch
    {
        "heartbeat" => ExecutionDecider.Decide(state, new Heartbeat(lease), During),
        "complete" => ExecutionDecider.Decide(state, new CompleteExecution(lease), During),
        "fail" => ExecutionDecider.Decide(state, new FailExecution(lease, Boom with { Message = message }), During, Jitter),
        "wait" => ExecutionDecider.Decide(state, new WaitForBatch(lease, batchId), During),
        "approval" => ExecutionDecider.Decide(state, new RequestApproval(lease, "call-1", "refund"), During),
        "release" => ExecutionDecider.Decide(state, new ReleaseExecution(lease), During),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unexpected command — a bug in the test."),
    };

    private static void AssertInvalid(Decision decision, string field)
    {
        AssertRejected(decision, ErrorCodes.ValidationFailed, null);
        Assert.Equal(field, decision.Rejection!.Field);
    }

    [Theory]
    [InlineData("heartbeat")]
    [InlineData("complete")]
    [InlineData("fail")]
    [InlineData("wait")]
    [InlineData("approval")]
    [InlineData("release")]
    public void Decide_EmptyLease_ValidationFailedNamingLeaseIdBeforeAnyStateCheck(string command)
    {
        AssertInvalid(Write(command, Claimed(), lease: ""), "leaseId");
        AssertInvalid(Write(command, null, lease: ""), "leaseId");
        // The lease is named before the other fields.
        AssertInvalid(Write(command, Claimed(), lease: "", batchId: "", message: ""), "leaseId");
    }

    [Fact]
    public void Decide_LeaseGivenOtherFieldMissing_ValidationFailedNamingIt()
    {
        AssertInvalid(Write("fail", Claimed(), FirstLease, message: ""), "error.message");
        AssertInvalid(ExecutionDecider.Decide(Claimed(), new FailExecution(FirstLease, Boom, RetryAfterMs: -1), During, Jitter), "retryAfterMs");
        AssertInvalid(Write("wait", Claimed(), FirstLease, batchId: ""), "batchId");
        AssertInvalid(ExecutionDecider.Decide(Claimed(), new RequestApproval(FirstLease, "call:1", "refund"), During), "toolCallId");
        AssertInvalid(ExecutionDecider.Decide(Claimed(), new RequestApproval(FirstLease, "call-1", " "), During), "tool");
        AssertInvalid(ExecutionDecider.Decide(Claimed(), new RequestApproval(FirstLease, "call-1", "refund", TimeoutMs: 0), During), "timeoutMs");
    }
}
