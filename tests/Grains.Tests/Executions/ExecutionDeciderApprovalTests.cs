using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>Approvals: suspend on a tool call, first decision wins, expiry counts as denied, resume when nothing is pending.</summary>
public sealed class ExecutionDeciderApprovalTests
{
    /// <summary>When <see cref="Suspended"/> requested its approval.</summary>
    private static readonly DateTimeOffset RequestedAt = ClaimedAt.AddSeconds(1);
    private static readonly DateTimeOffset Later = RequestedAt.AddSeconds(10);
    private static readonly ExecutionError Boom = new("boom");

    private static RequestApproval Request(string toolCallId, string lease = FirstLease, long? timeoutMs = null) =>
        new(lease, toolCallId, "refund", Json("""{"amount":10}"""), timeoutMs);

    /// <summary>Suspended on call-1, then the same lease asks for call-2 too.</summary>
    private static ExecutionState TwoPending(long? timeoutMs = null) =>
        Suspended(timeoutMs: timeoutMs).Then(Request("call-2", timeoutMs: timeoutMs), RequestedAt.AddSeconds(1));

    private static StoredApproval Approval(ExecutionState state, string toolCallId) => state.Approvals.Single(a => a.ToolCallId == toolCallId);

    // ---- RequestApproval ----

    [Fact]
    public void Request_MissingState_NotFound()
    {
        AssertRejected(ExecutionDecider.Decide(null, Request("call-1"), Now), ErrorCodes.NotFound, null);
    }

    [Fact]
    public void Request_LiveLease_SuspendsReleasesTheLeaseAndRecordsAPendingApproval()
    {
        var claimed = Claimed();

        var decision = ExecutionDecider.Decide(claimed, Request("call-1", timeoutMs: 60_000), RequestedAt);

        Assert.Null(decision.Rejection);
        var requested = Assert.IsType<ApprovalRequested>(Assert.Single(decision.Events));
        Assert.Equal(ExecutionEventTypes.ApprovalRequested, requested.LogType);
        Assert.Equal(RequestedAt, requested.At);
        Assert.Equal(("call-1", "refund", ApprovalStatus.Pending, RequestedAt, RequestedAt.AddSeconds(60)),
            (requested.Approval.ToolCallId, requested.Approval.Tool, requested.Approval.Status, requested.Approval.RequestedAt, requested.Approval.ExpiresAt));
        Assert.Equal("""{"amount":10}""", requested.Approval.Input?.GetRawText());
        Assert.Null(requested.Approval.DecidedAt);

        var state = ExecutionDecider.Fold(claimed, decision.Events)!;
        Assert.Equal(Waiting, state.Status);
        Assert.Equal(AttemptEnd.Suspended, state.AttemptEnd);
        Assert.Equal(new WaitingFor(WaitKind.Approval, "call-1"), state.WaitingFor);
        Assert.Equal(requested.Approval, Assert.Single(state.Approvals));
        Assert.False(state.HoldsLease(FirstLease, RequestedAt));
        Assert.Equal(1, state.Attempt);
    }

    [Fact]
    public void Request_WithoutTimeout_NeverExpires()
    {
        var state = Suspended();

        Assert.Null(Approval(state, "call-1").ExpiresAt);
        AssertUnchanged(ExecutionDecider.ExpireApproval(state, "call-1", Now.AddYears(1)));
    }

    [Fact]
    public void Request_SameToolCallIdAgain_UnchangedAndTheFirstRequestStays()
    {
        var state = Suspended(timeoutMs: 60_000);

        AssertUnchanged(ExecutionDecider.Decide(state, Request("call-1", timeoutMs: 1), Later));
        AssertUnchanged(ExecutionDecider.Decide(state, Request("call-1") with { Tool = "other" }, Later));
        Assert.Equal(RequestedAt.AddSeconds(60), Approval(state, "call-1").ExpiresAt);
    }

    [Fact]
    public void Request_SameToolCallIdAfterResumeByTheNextLease_UnchangedWithTheRecordedDecision()
    {
        // A resumed worker replays its code and asks again: it gets the decision, not a new approval.
        var resumed = Suspended().Then(new DecideApproval("call-1", Approved: true), Later);
        var reclaimed = resumed.Then(new ClaimExecution("worker-2", "lease-2"), Later);

        AssertUnchanged(ExecutionDecider.Decide(reclaimed, Request("call-1", "lease-2"), Later.AddSeconds(1)));
        Assert.Equal(ApprovalStatus.Approved, Approval(reclaimed, "call-1").Status);
    }

    [Fact]
    public void Request_WhileSuspendedBySameLease_AddsAnotherPendingApproval()
    {
        var state = TwoPending();

        Assert.Equal(Waiting, state.Status);
        Assert.Equal(["call-1", "call-2"], state.Approvals.Select(a => a.ToolCallId));
        Assert.All(state.Approvals, a => Assert.Equal(ApprovalStatus.Pending, a.Status));
        Assert.Equal(new WaitingFor(WaitKind.Approval, "call-2"), state.WaitingFor);
        Assert.Equal(AttemptEnd.Suspended, state.AttemptEnd);
    }

    [Fact]
    public void Request_WhileSuspendedByOtherLease_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Suspended(), Request("call-2", "lease-x"), Later), ErrorCodes.LeaseLost, Waiting);
    }

    [Fact]
    public void Request_UnknownLeaseWhileRunning_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Claimed(), Request("call-1", "lease-x"), RequestedAt), ErrorCodes.LeaseLost, Running);
    }

    [Fact]
    public void Request_ExpiredLease_LeaseLost()
    {
        var expiry = Claimed().LeaseExpiresAt!.Value;

        AssertRejected(ExecutionDecider.Decide(Claimed(), Request("call-1"), expiry), ErrorCodes.LeaseLost, Running);
    }

    [Fact]
    public void Request_NeverClaimed_LeaseLost()
    {
        AssertRejected(ExecutionDecider.Decide(Created(), Request("call-1"), RequestedAt), ErrorCodes.LeaseLost, Queued);
    }

    [Fact]
    public void Request_AfterRetry_LeaseLost()
    {
        var retry = Claimed().Then(new FailExecution(FirstLease, Boom), RequestedAt);

        AssertRejected(ExecutionDecider.Decide(retry, Request("call-1"), RequestedAt), ErrorCodes.LeaseLost, Queued);
    }

    [Fact]
    public void Request_OldLeaseAfterResume_LeaseLost()
    {
        var resumed = Suspended().Then(new DecideApproval("call-1", Approved: true), Later);

        AssertRejected(ExecutionDecider.Decide(resumed, Request("call-2"), Later), ErrorCodes.LeaseLost, Queued);
        var reclaimed = resumed.Then(new ClaimExecution("worker-2", "lease-2"), Later);
        AssertRejected(ExecutionDecider.Decide(reclaimed, Request("call-2"), Later), ErrorCodes.LeaseLost, Running);
        Assert.Equal(Waiting, reclaimed.Then(Request("call-2", "lease-2"), Later).Status);
    }

    [Theory]
    [InlineData(Succeeded)]
    [InlineData(Failed)]
    [InlineData(Cancelled)]
    [InlineData(TimedOut)]
    public void Request_NewToolCallOnTerminal_TerminalState(ExecutionStatus terminal)
    {
        var claimed = Claimed(NewCreate() with { Timeouts = new ExecutionTimeouts(ExecutionMs: 5_000) });
        var state = terminal switch
        {
            Succeeded => claimed.Then(new CompleteExecution(FirstLease), RequestedAt),
            Failed => claimed.Then(new FailExecution(FirstLease, Boom, Retryable: false), RequestedAt),
            Cancelled => claimed.Then(new CancelExecution(), RequestedAt),
            _ => claimed.Then(new ExpireDeadlineTimer(), Now.AddSeconds(5)),
        };

        AssertRejected(ExecutionDecider.Decide(state, Request("call-1"), Later), ErrorCodes.TerminalState, terminal);
    }

    [Fact]
    public void Request_SuspendedLeaseAfterCancel_TerminalState()
    {
        var cancelled = Suspended().Then(new CancelExecution(), Later);

        AssertRejected(ExecutionDecider.Decide(cancelled, Request("call-2"), Later), ErrorCodes.TerminalState, Cancelled);
        // The existing approval is still "the same approval".
        AssertUnchanged(ExecutionDecider.Decide(cancelled, Request("call-1"), Later));
    }

    // ---- DecideApproval ----

    [Fact]
    public void Decide_MissingState_NotFound()
    {
        AssertRejected(ExecutionDecider.Decide(null, new DecideApproval("call-1", true), Now), ErrorCodes.NotFound, null);
    }

    [Fact]
    public void Decide_UnknownToolCallId_NotFound()
    {
        var decision = ExecutionDecider.Decide(Suspended(), new DecideApproval("call-x", true), Later);

        AssertRejected(decision, ErrorCodes.NotFound, null);
        Assert.Contains("call-x", decision.Rejection!.Detail, StringComparison.Ordinal);
        AssertRejected(ExecutionDecider.Decide(Claimed(), new DecideApproval("call-1", false), Later), ErrorCodes.NotFound, null);
    }

    [Theory]
    [InlineData(true, ApprovalStatus.Approved)]
    [InlineData(false, ApprovalStatus.Denied)]
    public void Decide_LastPendingApproval_RecordsItAndResumesQueuedDueNow(bool approved, ApprovalStatus expected)
    {
        var suspended = Suspended();

        var decision = ExecutionDecider.Decide(suspended, new DecideApproval("call-1", approved, "looks fine"), Later);

        Assert.Null(decision.Rejection);
        Assert.Equal([new ApprovalDecided(Later, "call-1", expected, "looks fine"), new ExecutionResumed(Later)], decision.Events);
        Assert.Equal(ExecutionEventTypes.ApprovalDecided, decision.Events[0].LogType);
        Assert.Equal(ExecutionEventTypes.Queued, decision.Events[1].LogType);
        var state = ExecutionDecider.Fold(suspended, decision.Events)!;
        Assert.Equal(Queued, state.Status);
        Assert.Equal(Later, state.AvailableAt);
        Assert.Null(state.WaitingFor);
        var approval = Approval(state, "call-1");
        Assert.Equal((expected, "looks fine", Later), (approval.Status, approval.Reason, approval.DecidedAt));
        Assert.Equal(Running, state.Then(new ClaimExecution("worker-2", "lease-2"), Later).Status);
    }

    [Fact]
    public void Decide_OneOfTwoPending_StaysWaitingOnTheOther()
    {
        var state = TwoPending();

        var decision = ExecutionDecider.Decide(state, new DecideApproval("call-2", true), Later);

        Assert.Equal(new ApprovalDecided(Later, "call-2", ApprovalStatus.Approved, null), Assert.Single(decision.Events));
        var next = ExecutionDecider.Fold(state, decision.Events)!;
        Assert.Equal(Waiting, next.Status);
        Assert.Equal(new WaitingFor(WaitKind.Approval, "call-1"), next.WaitingFor);
        AssertRejected(ExecutionDecider.Decide(next, new ClaimExecution("worker-2", "lease-2"), Later), ErrorCodes.IllegalTransition, Waiting);

        var resumed = next.Then(new DecideApproval("call-1", false), Later.AddSeconds(1));
        Assert.Equal(Queued, resumed.Status);
        Assert.Equal(Later.AddSeconds(1), resumed.AvailableAt);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_SameDecisionAgain_Unchanged(bool approved)
    {
        var decided = Suspended().Then(new DecideApproval("call-1", approved, "first"), Later);

        AssertUnchanged(ExecutionDecider.Decide(decided, new DecideApproval("call-1", approved, "second"), Later.AddSeconds(1)));
        Assert.Equal("first", Approval(decided, "call-1").Reason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_DifferentDecisionAfterTheFirst_ApprovalConflictWithTheRecordedApproval(bool first)
    {
        var decided = Suspended().Then(new DecideApproval("call-1", first, "first"), Later);

        var decision = ExecutionDecider.Decide(decided, new DecideApproval("call-1", !first, "second"), Later.AddSeconds(1));

        AssertRejected(decision, ErrorCodes.ApprovalConflict, Queued);
        Assert.Equal(Approval(decided, "call-1").ToView(), decision.Rejection!.Approval);
        Assert.Equal(first ? ApprovalStatus.Approved : ApprovalStatus.Denied, decision.Rejection.Approval!.Status);
        Assert.Equal("first", decision.Rejection.Approval.Reason);
    }

    [Fact]
    public void Decide_DenyAfterExpiry_UnchangedBecauseExpiredCountsAsDenied()
    {
        var expired = Suspended(timeoutMs: 60_000).Then(new ExpireApprovalTimer("call-1"), RequestedAt.AddSeconds(60));

        AssertUnchanged(ExecutionDecider.Decide(expired, new DecideApproval("call-1", false), RequestedAt.AddSeconds(61)));
        Assert.Equal(ApprovalStatus.Expired, Approval(expired, "call-1").Status);
    }

    [Fact]
    public void Decide_ApproveAfterExpiry_ApprovalConflictWithTheExpiredApproval()
    {
        var expired = Suspended(timeoutMs: 60_000).Then(new ExpireApprovalTimer("call-1"), RequestedAt.AddSeconds(60));

        var decision = ExecutionDecider.Decide(expired, new DecideApproval("call-1", true), RequestedAt.AddSeconds(61));

        AssertRejected(decision, ErrorCodes.ApprovalConflict, Queued);
        Assert.Equal(ApprovalStatus.Expired, decision.Rejection!.Approval!.Status);
    }

    [Fact]
    public void Decide_PendingOnTerminal_TerminalState()
    {
        var cancelled = TwoPending().Then(new CancelExecution(), Later);

        AssertRejected(ExecutionDecider.Decide(cancelled, new DecideApproval("call-1", true), Later), ErrorCodes.TerminalState, Cancelled);
        AssertRejected(ExecutionDecider.Decide(cancelled, new DecideApproval("call-2", false), Later), ErrorCodes.TerminalState, Cancelled);
        Assert.All(cancelled.Approvals, a => Assert.Equal(ApprovalStatus.Pending, a.Status));
    }

    [Fact]
    public void Decide_DecidedOnTerminal_SameUnchangedDifferentConflict()
    {
        var cancelled = TwoPending().Then(new DecideApproval("call-1", true), Later).Then(new CancelExecution(), Later.AddSeconds(1));

        AssertUnchanged(ExecutionDecider.Decide(cancelled, new DecideApproval("call-1", true), Later.AddSeconds(2)));
        AssertRejected(ExecutionDecider.Decide(cancelled, new DecideApproval("call-1", false), Later.AddSeconds(2)), ErrorCodes.ApprovalConflict, Cancelled);
    }

    [Fact]
    public void Decide_AfterResumeAndReclaim_TheNextAttemptSeesTheDecision()
    {
        var reclaimed = Suspended().Then(new DecideApproval("call-1", true), Later).Then(new ClaimExecution("worker-2", "lease-2"), Later);

        AssertUnchanged(ExecutionDecider.Decide(reclaimed, new DecideApproval("call-1", true), Later));
        Assert.Equal(ApprovalStatus.Approved, Approval(reclaimed, "call-1").Status);
    }

    // ---- Resume and attempts ----

    [Fact]
    public void Claim_AfterResume_ContinuesTheSuspendedAttempt()
    {
        var reclaimed = Suspended().Then(new DecideApproval("call-1", true), Later).Then(new ClaimExecution("worker-2", "lease-2"), Later);

        Assert.Equal(Running, reclaimed.Status);
        Assert.Equal(1, reclaimed.Attempt);
        Assert.True(reclaimed.HoldsLease("lease-2", Later));
        Assert.False(reclaimed.HoldsLease(FirstLease, Later));
    }

    [Fact]
    public void Approvals_OnTheOnlyAttempt_NeverPushTheAttemptPastMaxAttempts()
    {
        var state = Claimed(NewCreate() with { Retry = new RetryPolicy(MaxAttempts: 1) });
        var at = RequestedAt;
        for (var i = 1; i <= 3; i++)
        {
            var lease = i == 1 ? FirstLease : $"lease-{i}";
            state = state.Then(Request($"call-{i}", lease), at)
                .Then(new DecideApproval($"call-{i}", true), at.AddSeconds(1))
                .Then(new ClaimExecution("worker-1", $"lease-{i + 1}"), at.AddSeconds(2));
            Assert.Equal(1, state.Attempt);
            at = at.AddSeconds(3);
        }

        // The approvals did not use up the retry budget: the attempt's failure is its first and only one.
        var failed = state.Then(new FailExecution("lease-4", Boom), at);
        Assert.Equal((Failed, 1), (failed.Status, failed.Attempt));
    }

    [Fact]
    public void Approvals_DoNotConsumeRetries()
    {
        var resumed = Suspended().Then(new DecideApproval("call-1", true), Later).Then(new ClaimExecution("worker-2", "lease-2"), Later);

        var retry = resumed.Then(new FailExecution("lease-2", Boom), Later.AddSeconds(1));

        Assert.Equal(Queued, retry.Status);
        Assert.Equal(2, retry.Then(new ClaimExecution("worker-3", "lease-3"), retry.AvailableAt).Attempt);
    }

    // ---- ExpireApproval ----

    [Fact]
    public void ExpireApproval_MissingState_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.ExpireApproval(null, "call-1", Now));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5_000)]
    public void ExpireApproval_LastPendingAtOrPastExpiry_ExpiredAndResumed(int msLate)
    {
        var suspended = Suspended(timeoutMs: 60_000);
        var at = RequestedAt.AddSeconds(60).AddMilliseconds(msLate);

        var decision = ExecutionDecider.ExpireApproval(suspended, "call-1", at);

        Assert.Null(decision.Rejection);
        Assert.Equal(2, decision.Events.Count);
        var decided = Assert.IsType<ApprovalDecided>(decision.Events[0]);
        Assert.Equal(("call-1", ApprovalStatus.Expired, at), (decided.ToolCallId, decided.Status, decided.At));
        Assert.Equal(new ExecutionResumed(at), decision.Events[1]);
        var state = ExecutionDecider.Fold(suspended, decision.Events)!;
        Assert.Equal((Queued, at), (state.Status, state.AvailableAt));
        Assert.Equal((ApprovalStatus.Expired, at), (Approval(state, "call-1").Status, Approval(state, "call-1").DecidedAt));
    }

    [Fact]
    public void ExpireApproval_OneOfTwoPending_ExpiresItAndStaysWaiting()
    {
        var state = TwoPending(timeoutMs: 60_000);

        var decision = ExecutionDecider.ExpireApproval(state, "call-1", RequestedAt.AddSeconds(60));

        var decided = Assert.IsType<ApprovalDecided>(Assert.Single(decision.Events));
        Assert.Equal(ApprovalStatus.Expired, decided.Status);
        var next = ExecutionDecider.Fold(state, decision.Events)!;
        Assert.Equal(Waiting, next.Status);
        Assert.Equal(new WaitingFor(WaitKind.Approval, "call-2"), next.WaitingFor);
    }

    [Fact]
    public void ExpireApproval_BeforeExpiry_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.ExpireApproval(Suspended(timeoutMs: 60_000), "call-1", RequestedAt.AddSeconds(60).AddTicks(-1)));
    }

    [Fact]
    public void ExpireApproval_AlreadyDecided_Unchanged()
    {
        var approved = TwoPending(timeoutMs: 60_000).Then(new DecideApproval("call-1", true), Later);

        AssertUnchanged(ExecutionDecider.ExpireApproval(approved, "call-1", Later.AddHours(1)));
        Assert.Equal(ApprovalStatus.Approved, Approval(approved, "call-1").Status);
    }

    [Fact]
    public void ExpireApproval_UnknownToolCall_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.ExpireApproval(Suspended(timeoutMs: 60_000), "call-x", Later.AddHours(1)));
    }

    [Fact]
    public void ExpireApproval_Terminal_Unchanged()
    {
        var cancelled = Suspended(timeoutMs: 60_000).Then(new CancelExecution(), Later);

        AssertUnchanged(ExecutionDecider.ExpireApproval(cancelled, "call-1", Later.AddHours(1)));
    }

    // ---- Cancel while waiting ----

    [Fact]
    public void Cancel_Waiting_TerminalAndTheSuspendedLeaseIsToldToStop()
    {
        var cancelled = Suspended().Then(new CancelExecution("user"), Later);

        Assert.Equal((Cancelled, true, Later), (cancelled.Status, cancelled.CancelRequested, cancelled.CompletedAt));
        Assert.Null(cancelled.WaitingFor);
        AssertUnchanged(ExecutionDecider.Decide(cancelled, new Heartbeat(FirstLease), Later));
        AssertRejected(ExecutionDecider.Decide(cancelled, new CompleteExecution(FirstLease), Later), ErrorCodes.TerminalState, Cancelled);
    }
}
