using Levee.Executions;
using Levee.Grains.Commits;
using Levee.Grains.Storage;

namespace Levee.Grains.Executions;

/// <summary>
/// The durable timers an execution needs, derived from its state alone: the grain diffs the
/// set before and after each command and commits the difference with the state, so timers can
/// never disagree with the state that set them.
/// </summary>
internal static class ExecutionTimers
{
    public const string DeadlineTimer = "deadline";
    public const string LeaseTimer = "lease";
    public const string AvailableTimer = "available";
    public const string ApprovalPrefix = "approval:";
    public const string RetentionTimer = "retention";

    /// <summary>
    /// Timer name -> due time for <paramref name="state"/>. With a <paramref name="retention"/>, a
    /// terminal execution that is not a batch child (those go with their batch) is deleted that
    /// long after it last changed.
    /// </summary>
    public static Dictionary<string, DateTimeOffset> Desired(ExecutionState? state, TimeSpan? retention = null)
    {
        var timers = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (state is null)
        {
            return timers;
        }
        if (state.Status.IsTerminal())
        {
            if (retention is { } keep && state.BatchId is null)
            {
                timers[RetentionTimer] = state.UpdatedAt + keep;
            }
            return timers;
        }
        if (state.DeadlineAt is { } deadline)
        {
            timers[DeadlineTimer] = deadline;
        }
        if (state is { Status: ExecutionStatus.Running, AttemptEnd: null, LeaseExpiresAt: { } leaseExpires })
        {
            timers[LeaseTimer] = leaseExpires;
        }
        // A delayed or backed-off execution wakes its queue's claimers when it falls due.
        if (state.Status == ExecutionStatus.Queued && state.AvailableAt > state.UpdatedAt)
        {
            timers[AvailableTimer] = state.AvailableAt;
        }
        foreach (var approval in state.Approvals)
        {
            if (approval is { Status: ApprovalStatus.Pending, ExpiresAt: { } expires })
            {
                timers[ApprovalPrefix + approval.ToolCallId] = expires;
            }
        }
        return timers;
    }

    /// <summary>The changes that turn the timers of <paramref name="before"/> into those of <paramref name="after"/>.</summary>
    public static IReadOnlyList<TimerChange> Diff(ExecutionState? before, ExecutionState after, TimeSpan? retention = null) =>
        TimerSets.Diff(Desired(before, retention), Desired(after, retention));
}
