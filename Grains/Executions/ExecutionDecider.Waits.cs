using Levee.Batches;
using Levee.Errors;
using Levee.Executions;

namespace Levee.Grains.Executions;

/// <summary>Trigger-and-wait: suspend on a batch, resume once when it is terminal.</summary>
internal static partial class ExecutionDecider
{
    /// <summary>Wait: by the live lease holder; waiting for the same batch again is unchanged.</summary>
    public static Decision Decide(ExecutionState? state, WaitForBatch command, DateTimeOffset now)
    {
        if (command.Validate() is { } invalid)
        {
            return Decision.Reject(invalid);
        }
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (state is { Status: ExecutionStatus.Waiting, WaitingFor: { Kind: WaitKind.Batch } waiting } && waiting.Id == command.BatchId)
        {
            return Decision.Unchanged;
        }
        if (state.Status.IsTerminal())
        {
            return TerminalState(state, "waiting");
        }
        return state.HoldsLease(command.LeaseId, now)
            ? Decision.Accept(new BatchWaitRequested(now, command.BatchId))
            : Decision.Reject(LeaseLost(state, command.LeaseId));
    }

    /// <summary>The awaited batch is terminal (outbox, at least once): resume once; anything else is a no-op.</summary>
    public static Decision BatchFinished(ExecutionState? state, BatchView batch, DateTimeOffset now) =>
        state is { Status: ExecutionStatus.Waiting, WaitingFor: { Kind: WaitKind.Batch } waiting } && waiting.Id == batch.Id && batch.Status >= BatchStatus.Completed
            ? Decision.Accept(new BatchResumed(now, StoredBatchSummary.From(batch)))
            : Decision.Unchanged;
}
