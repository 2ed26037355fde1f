using Levee.Executions;
using Levee.Grains.Executions;
using Levee.Grains.Storage;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>The durable timers derived from a state, and the changes between two states.</summary>
public sealed class ExecutionTimersTests
{
    private static readonly DateTimeOffset Later = ClaimedAt.AddSeconds(10);
    private static readonly ExecutionError Boom = new("boom");

    private static CreateExecution WithTimeouts(long? executionMs = 600_000, long? heartbeatMs = null, long? delayMs = null) =>
        NewCreate() with { Timeouts = new ExecutionTimeouts(executionMs, heartbeatMs), DelayMs = delayMs };

    private static Dictionary<string, DateTimeOffset> Timers(params (string Name, DateTimeOffset Due)[] timers) =>
        timers.ToDictionary(t => t.Name, t => t.Due, StringComparer.Ordinal);

    private static DateTimeOffset Deadline => Now.AddMinutes(10);

    // ---- Desired ----

    [Fact]
    public void Desired_MissingState_None()
    {
        Assert.Empty(ExecutionTimers.Desired(null));
    }

    [Fact]
    public void Desired_QueuedDueNowWithoutTimeouts_None()
    {
        Assert.Empty(ExecutionTimers.Desired(Created()));
        Assert.Null(Created().DeadlineAt);
    }

    [Fact]
    public void Desired_QueuedWithDelay_AvailableAtTheDelay()
    {
        var state = ((ExecutionState?)null).Then(NewCreate() with { DelayMs = 5_000 });

        Assert.Equal(Timers((ExecutionTimers.AvailableTimer, Now.AddSeconds(5))), ExecutionTimers.Desired(state));
    }

    [Fact]
    public void Desired_ExecutionTimeout_DeadlineFromCreation()
    {
        var state = ((ExecutionState?)null).Then(WithTimeouts(delayMs: 5_000));

        Assert.Equal(Deadline, state.DeadlineAt);
        Assert.Equal(Timers((ExecutionTimers.DeadlineTimer, Deadline), (ExecutionTimers.AvailableTimer, Now.AddSeconds(5))), ExecutionTimers.Desired(state));
    }

    [Fact]
    public void Desired_HeartbeatTimeoutOnly_NoDeadline()
    {
        Assert.Empty(ExecutionTimers.Desired(((ExecutionState?)null).Then(WithTimeouts(executionMs: null, heartbeatMs: 5_000))));
    }

    [Fact]
    public void Desired_Running_LeaseAtItsExpiryAndTheDeadline()
    {
        var state = Claimed(WithTimeouts(heartbeatMs: 5_000));

        Assert.Equal(Timers((ExecutionTimers.DeadlineTimer, Deadline), (ExecutionTimers.LeaseTimer, ClaimedAt.AddSeconds(5))), ExecutionTimers.Desired(state));
    }

    [Fact]
    public void Desired_AfterHeartbeat_LeaseMoves()
    {
        var state = Claimed().Then(new Heartbeat(FirstLease), Later);

        Assert.Equal(Timers((ExecutionTimers.LeaseTimer, Later.AddSeconds(30))), ExecutionTimers.Desired(state));
    }

    [Fact]
    public void Desired_RetryScheduled_AvailableAtTheBackoffAndNoLease()
    {
        var state = Claimed(WithTimeouts()).Then(new FailExecution(FirstLease, Boom), Later);

        Assert.Equal(Timers((ExecutionTimers.DeadlineTimer, Deadline), (ExecutionTimers.AvailableTimer, Later.AddMilliseconds(750))),
            ExecutionTimers.Desired(state));
    }

    [Fact]
    public void Desired_RetryDueAtOnce_NoAvailableTimer()
    {
        var state = Claimed().Then(new FailExecution(FirstLease, Boom, RetryAfterMs: 0), Later);

        Assert.Equal(Queued, state.Status);
        Assert.Empty(ExecutionTimers.Desired(state));
    }

    [Fact]
    public void Desired_LeaseExpiredAndRetried_AvailableOnly()
    {
        var state = Claimed().Then(new ExpireLeaseTimer(FirstLease, 0), ClaimedAt.AddSeconds(30));

        Assert.Equal(Timers((ExecutionTimers.AvailableTimer, ClaimedAt.AddSeconds(30.5))), ExecutionTimers.Desired(state));
    }

    [Fact]
    public void Desired_Waiting_OneTimerPerPendingApprovalWithExpiry()
    {
        var state = Suspended("call-1", 60_000, WithTimeouts())
            .Then(new RequestApproval(FirstLease, "call-2", "refund", TimeoutMs: 120_000), Later)
            .Then(new RequestApproval(FirstLease, "call-3", "refund"), Later);
        var requestedAt = ClaimedAt.AddSeconds(1);

        Assert.Equal(
            Timers(
                (ExecutionTimers.DeadlineTimer, Deadline),
                (ExecutionTimers.ApprovalPrefix + "call-1", requestedAt.AddSeconds(60)),
                (ExecutionTimers.ApprovalPrefix + "call-2", Later.AddSeconds(120))),
            ExecutionTimers.Desired(state));

        var oneDecided = state.Then(new DecideApproval("call-1", true), Later);
        Assert.Equal(
            Timers((ExecutionTimers.DeadlineTimer, Deadline), (ExecutionTimers.ApprovalPrefix + "call-2", Later.AddSeconds(120))),
            ExecutionTimers.Desired(oneDecided));
    }

    [Fact]
    public void Desired_ResumedAfterApproval_NoAvailableTimerBecauseItIsDueNow()
    {
        var state = Suspended("call-1", 60_000).Then(new DecideApproval("call-1", true), Later);

        Assert.Equal(Queued, state.Status);
        Assert.Empty(ExecutionTimers.Desired(state));
    }

    [Theory]
    [InlineData(Succeeded)]
    [InlineData(Failed)]
    [InlineData(Cancelled)]
    [InlineData(TimedOut)]
    public void Desired_Terminal_None(ExecutionStatus terminal)
    {
        // Suspended with a pending, expiring approval and a deadline: every timer would apply if not terminal.
        var suspended = Suspended("call-1", 60_000, WithTimeouts());
        var state = terminal switch
        {
            Succeeded => suspended.Then(new WriteStatus(Succeeded), Later),
            Failed => suspended.Then(new WriteStatus(Failed, Error: Boom), Later),
            Cancelled => suspended.Then(new CancelExecution(), Later),
            _ => suspended.Then(new ExpireDeadlineTimer(), Deadline),
        };

        Assert.Equal(terminal, state.Status);
        Assert.Contains(state.Approvals, a => a.Status == ApprovalStatus.Pending);
        Assert.Empty(ExecutionTimers.Desired(state));
    }

    [Fact]
    public void Desired_TerminalFromRunning_None()
    {
        Assert.Empty(ExecutionTimers.Desired(Claimed(WithTimeouts()).Then(new CompleteExecution(FirstLease), Later)));
    }

    // ---- Diff ----

    [Fact]
    public void Diff_Create_SetsEveryTimer()
    {
        var state = ((ExecutionState?)null).Then(WithTimeouts(delayMs: 5_000));

        var changes = ExecutionTimers.Diff(null, state);

        Assert.Equal(
            new[] { new TimerChange(ExecutionTimers.DeadlineTimer, Deadline), new TimerChange(ExecutionTimers.AvailableTimer, Now.AddSeconds(5)) }.ToHashSet(),
            changes.ToHashSet());
        Assert.Equal(changes.Count, changes.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void Diff_SameState_Nothing()
    {
        var state = Suspended("call-1", 60_000, WithTimeouts());

        Assert.Empty(ExecutionTimers.Diff(state, state));
    }

    [Fact]
    public void Diff_Claim_SetsTheLeaseClearsAvailableKeepsTheDeadline()
    {
        var queued = ((ExecutionState?)null).Then(WithTimeouts(delayMs: 500));
        var running = queued.Then(new ClaimExecution("worker-1", FirstLease), ClaimedAt);

        var changes = ExecutionTimers.Diff(queued, running);

        Assert.Equal(
            new[] { new TimerChange(ExecutionTimers.LeaseTimer, ClaimedAt.AddSeconds(30)), new TimerChange(ExecutionTimers.AvailableTimer, null) }.ToHashSet(),
            changes.ToHashSet());
    }

    [Fact]
    public void Diff_Heartbeat_ChangesTheLeaseOnly()
    {
        var before = Claimed(WithTimeouts());
        var after = before.Then(new Heartbeat(FirstLease), Later);

        Assert.Equal([new TimerChange(ExecutionTimers.LeaseTimer, Later.AddSeconds(30))], ExecutionTimers.Diff(before, after));
    }

    [Fact]
    public void Diff_Retry_ClearsTheLeaseSetsAvailable()
    {
        var before = Claimed(WithTimeouts());
        var after = before.Then(new FailExecution(FirstLease, Boom), Later);

        Assert.Equal(
            new[] { new TimerChange(ExecutionTimers.AvailableTimer, Later.AddMilliseconds(750)), new TimerChange(ExecutionTimers.LeaseTimer, null) }.ToHashSet(),
            ExecutionTimers.Diff(before, after).ToHashSet());
    }

    [Fact]
    public void Diff_RequestApproval_ClearsTheLeaseSetsTheApprovalTimer()
    {
        var before = Claimed(WithTimeouts());
        var after = before.Then(new RequestApproval(FirstLease, "call-1", "refund", TimeoutMs: 60_000), Later);

        Assert.Equal(
            new[] { new TimerChange(ExecutionTimers.ApprovalPrefix + "call-1", Later.AddSeconds(60)), new TimerChange(ExecutionTimers.LeaseTimer, null) }.ToHashSet(),
            ExecutionTimers.Diff(before, after).ToHashSet());
    }

    [Fact]
    public void Diff_DecideApproval_ClearsItsTimer()
    {
        var before = Suspended("call-1", 60_000);
        var after = before.Then(new DecideApproval("call-1", false), Later);

        Assert.Equal([new TimerChange(ExecutionTimers.ApprovalPrefix + "call-1", null)], ExecutionTimers.Diff(before, after));
    }

    [Fact]
    public void Diff_Terminal_ClearsEverything()
    {
        var before = Claimed(WithTimeouts());
        var after = before.Then(new CompleteExecution(FirstLease), Later);

        Assert.Equal(
            new[] { new TimerChange(ExecutionTimers.DeadlineTimer, null), new TimerChange(ExecutionTimers.LeaseTimer, null) }.ToHashSet(),
            ExecutionTimers.Diff(before, after).ToHashSet());
    }

    [Fact]
    public void Diff_AppliedToTheTimersBefore_GivesTheTimersAfter()
    {
        ExecutionState?[] states =
        [
            null,
            ((ExecutionState?)null).Then(WithTimeouts(delayMs: 500)),
            Claimed(WithTimeouts()),
            Claimed(WithTimeouts()).Then(new Heartbeat(FirstLease), Later),
            Suspended("call-1", 60_000, WithTimeouts()),
            Suspended("call-1", 60_000, WithTimeouts()).Then(new DecideApproval("call-1", true), Later),
            Claimed(WithTimeouts()).Then(new FailExecution(FirstLease, Boom), Later),
            Claimed(WithTimeouts()).Then(new CancelExecution(), Later),
        ];

        foreach (var before in states)
        {
            foreach (var after in states.OfType<ExecutionState>())
            {
                Assert.Equal(ExecutionTimers.Desired(after), ApplyTimerChanges(ExecutionTimers.Desired(before), ExecutionTimers.Diff(before, after)));
            }
        }
    }
}
