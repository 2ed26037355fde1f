using Levee.Errors;
using Levee.Executions;

namespace Levee.Grains.Executions;

/// <summary>Claims, leases, retries and the timers that drive them.</summary>
internal static partial class ExecutionDecider
{
    /// <summary>
    /// Claim: only a queued execution that is due; a new attempt under a new lease. An execution
    /// resumed after its approvals, or released by its worker, continues the attempt that stopped
    /// (neither is a failure, so neither may use up <c>retry.maxAttempts</c>).
    /// </summary>
    public static Decision Decide(ExecutionState? state, ClaimExecution command, DateTimeOffset now)
    {
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (state.Status != ExecutionStatus.Queued || state.AvailableAt > now)
        {
            return Decision.Reject(new Rejection(ErrorCodes.IllegalTransition,
                $"Execution '{state.Id}' is not claimable ('{state.Status.ToWire()}', available at {state.AvailableAt:O}).", state.Status.ToWire()));
        }
        var attempt = state.AttemptEnd is AttemptEnd.Suspended or AttemptEnd.Released ? state.Attempt : state.Attempt + 1;
        return Decision.Accept(new ExecutionClaimed(now, attempt, command.WorkerId, command.LeaseId, now + state.LeaseDuration));
    }

    /// <summary>
    /// Heartbeat: extends the live lease. The holder of a cancelled execution's last lease is told
    /// to stop (<c>cancelRequested</c>) instead of being refused; any other lease is lost.
    /// </summary>
    public static Decision Decide(ExecutionState? state, Heartbeat command, DateTimeOffset now)
    {
        if (command.Validate() is { } invalid)
        {
            return Decision.Reject(invalid);
        }
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (state.Status == ExecutionStatus.Cancelled && state.LeaseId == command.LeaseId && state.AttemptEnd == AttemptEnd.Cancelled)
        {
            return Decision.Unchanged;
        }
        return state.HoldsLease(command.LeaseId, now)
            ? Decision.Accept(new LeaseExtended(now, now + state.LeaseDuration))
            : Decision.Reject(LeaseLost(state, command.LeaseId));
    }

    /// <summary>Complete: the live lease succeeds the execution; the same lease again returns the same result.</summary>
    public static Decision Decide(ExecutionState? state, CompleteExecution command, DateTimeOffset now)
    {
        if (command.Validate() is { } invalid)
        {
            return Decision.Reject(invalid);
        }
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (EndedBy(state, command.LeaseId, AttemptEnd.Succeeded))
        {
            return Decision.Unchanged;
        }
        if (state.Status.IsTerminal())
        {
            return TerminalState(state, "succeeded");
        }
        return state.HoldsLease(command.LeaseId, now)
            ? Decision.Accept([.. Cost(state, command.Cost, now), new StatusChanged(now, ExecutionStatus.Succeeded, state.Attempt, null, command.Output)])
            : Decision.Reject(LeaseLost(state, command.LeaseId));
    }

    /// <summary>
    /// Fail: with a retryable error and attempts left, a retry after backoff (<paramref name="jitter"/>
    /// in [0, 1) spreads retries; the shell supplies it so this stays pure); otherwise failed.
    /// The same lease again returns the same result.
    /// </summary>
    public static Decision Decide(ExecutionState? state, FailExecution command, DateTimeOffset now, double jitter)
    {
        if (command.Validate() is { } invalid)
        {
            return Decision.Reject(invalid);
        }
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (EndedBy(state, command.LeaseId, AttemptEnd.Retry) || EndedBy(state, command.LeaseId, AttemptEnd.Failed))
        {
            return Decision.Unchanged;
        }
        if (state.Status.IsTerminal())
        {
            return TerminalState(state, "failed");
        }
        if (!state.HoldsLease(command.LeaseId, now))
        {
            return Decision.Reject(LeaseLost(state, command.LeaseId));
        }
        return Decision.Accept([.. Cost(state, command.Cost, now), RetryOrFail(state, command.Error with { Retryable = command.Retryable }, command.RetryAfterMs, now, jitter)]);
    }

    /// <summary>
    /// Release: the live lease gives the attempt back unfinished — queued, due now, and the next
    /// claim continues the same attempt. The same lease again, before anyone claimed it, returns
    /// the same result; any other lease is lost, and a terminal execution refuses it.
    /// </summary>
    public static Decision Decide(ExecutionState? state, ReleaseExecution command, DateTimeOffset now)
    {
        if (command.Validate() is { } invalid)
        {
            return Decision.Reject(invalid);
        }
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (state.Status == ExecutionStatus.Queued && EndedBy(state, command.LeaseId, AttemptEnd.Released))
        {
            return Decision.Unchanged;
        }
        if (state.Status.IsTerminal())
        {
            return TerminalState(state, "queued");
        }
        return state.HoldsLease(command.LeaseId, now)
            ? Decision.Accept(new LeaseReleased(now, state.Attempt, command.LeaseId))
            : Decision.Reject(LeaseLost(state, command.LeaseId));
    }

    /// <summary>The attempt's reported cost, as its own event before the attempt ends (none for zero or nothing).</summary>
    private static ExecutionEvent[] Cost(ExecutionState state, decimal? cost, DateTimeOffset now) =>
        cost is > 0 ? [new CostReported(now, state.Attempt, cost.Value)] : [];

    /// <summary>Lease timer: a lease that lapsed without a heartbeat is a retryable failure. Stale timers do nothing.</summary>
    public static Decision ExpireLease(ExecutionState? state, string leaseId, DateTimeOffset now, double jitter)
    {
        if (state is null || state.Status != ExecutionStatus.Running || state.AttemptEnd is not null || state.LeaseId != leaseId
            || state.LeaseExpiresAt > now)
        {
            return Decision.Unchanged;
        }
        var error = new ExecutionError($"The worker's lease expired at {state.LeaseExpiresAt:O} without a heartbeat.", "lease_expired");
        return Decision.Accept([new LeaseExpired(now, state.Attempt, leaseId), RetryOrFail(state, error, null, now, jitter)]);
    }

    /// <summary>Deadline timer: a non-terminal execution past <c>timeouts.executionMs</c> times out.</summary>
    public static Decision ExpireDeadline(ExecutionState? state, DateTimeOffset now) =>
        state is null || state.Status.IsTerminal() || state.DeadlineAt is not { } deadline || deadline > now
            ? Decision.Unchanged
            : Decision.Accept(new StatusChanged(now, ExecutionStatus.TimedOut, state.Attempt, null, null,
                new ExecutionError($"The execution deadline ({deadline:O}) passed.", "timed_out", Retryable: false)));

    /// <summary>
    /// Backoff before retry n (n = the attempt that just failed): initial × factor^(n-1), at most
    /// the maximum, then "equal jitter": half fixed, half random, so retries never bunch up at 0.
    /// </summary>
    public static TimeSpan Backoff(RetryPolicy retry, int failedAttempt, double jitter)
    {
        var raw = retry.InitialDelayMs * Math.Pow(retry.BackoffFactor, Math.Max(0, failedAttempt - 1));
        var capped = Math.Min(raw, retry.MaxDelayMs);
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * Math.Clamp(jitter, 0, 1)));
    }

    private static ExecutionEvent RetryOrFail(ExecutionState state, ExecutionError error, long? retryAfterMs, DateTimeOffset now, double jitter)
    {
        if (error.Retryable && state.Attempt < state.Retry.MaxAttempts)
        {
            var delay = retryAfterMs is { } after ? TimeSpan.FromMilliseconds(after) : Backoff(state.Retry, state.Attempt, jitter);
            return new RetryScheduled(now, state.Attempt, error, now + delay);
        }
        return new StatusChanged(now, ExecutionStatus.Failed, state.Attempt, null, null, error);
    }

    /// <summary>True when the attempt of <paramref name="leaseId"/> already ended the way a repeat of the same request would end it.</summary>
    private static bool EndedBy(ExecutionState state, string leaseId, AttemptEnd end) =>
        state.LeaseId == leaseId && state.AttemptEnd == end;
}
