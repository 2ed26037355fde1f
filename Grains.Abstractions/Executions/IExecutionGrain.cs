using Levee.Errors;
using Levee.Runtime;

namespace Levee.Executions;

/// <summary>
/// One execution: owns its state machine and serializes every write to it. Key:
/// <see cref="ExecutionKey.For"/>. The gateway calls exactly these methods; in-cluster services
/// may call them directly through <see cref="IGrainFactory"/>.
/// </summary>
/// <remarks>
/// Methods take no cancellation token on purpose: once a command reaches the grain it runs to
/// its commit, so that a caller that gives up never leaves a half-decided command. Retrying is
/// always safe.
/// </remarks>
[GrainType("exe")]
public interface IExecutionGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>Creates the execution; same definition again = <see cref="OutcomeKind.Unchanged"/>, else <c>already_exists</c>.</summary>
    Task<Outcome<ExecutionView>> CreateAsync(CreateExecution command);

    /// <summary>The current resource, or null when it does not exist.</summary>
    Task<ExecutionView?> GetAsync();

    /// <summary>Strict status write.</summary>
    Task<Outcome<ExecutionView>> WriteStatusAsync(WriteStatus command);

    /// <summary>Fire-and-forget report; never rejected.</summary>
    Task<ReportResult> ReportAsync(ReportEvent report);

    /// <summary>Appends output chunks to the log.</summary>
    Task<Outcome<OutputRange>> AppendOutputAsync(AppendOutput command);

    /// <summary>Cancels the execution.</summary>
    Task<Outcome<ExecutionView>> CancelAsync(CancelExecution command);

    /// <summary>Claims the execution for a worker if it is queued and due (used by the queue).</summary>
    Task<Outcome<ClaimView>> ClaimAsync(ClaimExecution command);

    /// <summary>Extends the worker's lease.</summary>
    Task<Outcome<HeartbeatView>> HeartbeatAsync(Heartbeat command);

    /// <summary>Completes the attempt (succeeded); repeating it with the same lease returns the same result.</summary>
    Task<Outcome<ExecutionView>> CompleteAsync(CompleteExecution command);

    /// <summary>Fails the attempt: a retry with backoff, or failed.</summary>
    Task<Outcome<ExecutionView>> FailAsync(FailExecution command);

    /// <summary>Suspends the execution on an approval.</summary>
    Task<Outcome<ApprovalRequestView>> RequestApprovalAsync(RequestApproval command);

    /// <summary>Suspends the execution until the batch is terminal.</summary>
    Task<Outcome<ExecutionView>> WaitForBatchAsync(WaitForBatch command);

    /// <summary>Records an approval decision; the first one wins.</summary>
    Task<Outcome<ApprovalDecisionView>> DecideApprovalAsync(DecideApproval command);
}
