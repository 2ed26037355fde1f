using Levee.Wire;
using Levee.Errors;
using Levee.Executions;

namespace Levee.Grains.Executions;

/// <summary>Approvals (hooks): suspend on a tool call, first decision wins, resume when nothing is pending.</summary>
internal static partial class ExecutionDecider
{
    /// <summary>
    /// Request: by the live lease holder (or, while suspended, the holder of the attempt that
    /// suspended, to ask for several approvals). The same toolCallId again = the same approval.
    /// </summary>
    public static Decision Decide(ExecutionState? state, RequestApproval command, DateTimeOffset now)
    {
        if (command.Validate() is { } invalid)
        {
            return Decision.Reject(invalid);
        }
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (state.Approvals.Any(a => a.ToolCallId == command.ToolCallId))
        {
            return Decision.Unchanged;
        }
        if (state.Status.IsTerminal())
        {
            return TerminalState(state, "waiting");
        }
        var suspendedByThisLease = state.Status == ExecutionStatus.Waiting && state.AttemptEnd == AttemptEnd.Suspended && state.LeaseId == command.LeaseId;
        if (!state.HoldsLease(command.LeaseId, now) && !suspendedByThisLease)
        {
            return Decision.Reject(LeaseLost(state, command.LeaseId));
        }
        var approval = new StoredApproval
        {
            ToolCallId = command.ToolCallId, Tool = command.Tool, Input = command.Input, Status = ApprovalStatus.Pending, RequestedAt = now,
            ExpiresAt = command.TimeoutMs is { } ms ? now.AddMilliseconds(ms) : null,
        };
        return Decision.Accept(new ApprovalRequested(now, approval));
    }

    /// <summary>
    /// Decide: the first decision wins. The same decision again is unchanged (reported as already
    /// decided); a different one is <c>approval_conflict</c> carrying the recorded decision. A
    /// pending approval of a terminal execution cannot be decided.
    /// </summary>
    public static Decision Decide(ExecutionState? state, DecideApproval command, DateTimeOffset now)
    {
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (state.Approvals.FirstOrDefault(a => a.ToolCallId == command.ToolCallId) is not { } approval)
        {
            return Decision.Reject(new Rejection(ErrorCodes.NotFound, $"Execution '{state.Id}' has no approval '{command.ToolCallId}'."));
        }
        if (approval.Status != ApprovalStatus.Pending)
        {
            var sameDecision = command.Approved ? approval.Status == ApprovalStatus.Approved : approval.Status != ApprovalStatus.Approved;
            return sameDecision
                ? Decision.Unchanged
                : Decision.Reject(new Rejection(ErrorCodes.ApprovalConflict,
                    $"Approval '{approval.ToolCallId}' was already decided: {WireNames<ApprovalStatus>.Of(approval.Status)}.", state.Status.ToWire())
                { Approval = approval.ToView() });
        }
        if (state.Status.IsTerminal())
        {
            return TerminalState(state, "resumed");
        }
        return Decision.Accept(Settle(state, command.ToolCallId, command.Approved ? ApprovalStatus.Approved : ApprovalStatus.Denied, command.Reason, now));
    }

    /// <summary>Approval timer: an approval still pending at its expiry counts as denied.</summary>
    public static Decision ExpireApproval(ExecutionState? state, string toolCallId, DateTimeOffset now) =>
        state is null || state.Status.IsTerminal()
            || state.Approvals.FirstOrDefault(a => a.ToolCallId == toolCallId) is not { Status: ApprovalStatus.Pending, ExpiresAt: { } expires }
            || expires > now
            ? Decision.Unchanged
            : Decision.Accept(Settle(state, toolCallId, ApprovalStatus.Expired, "The approval timed out.", now));

    private static ExecutionEvent[] Settle(ExecutionState state, string toolCallId, ApprovalStatus status, string? reason, DateTimeOffset now)
    {
        var othersPending = state.Approvals.Any(a => a.Status == ApprovalStatus.Pending && a.ToolCallId != toolCallId);
        var decided = new ApprovalDecided(now, toolCallId, status, reason);
        return othersPending || state.Status != ExecutionStatus.Waiting ? [decided] : [decided, new ExecutionResumed(now)];
    }
}
