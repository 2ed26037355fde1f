using Levee.Errors;
using Levee.Streams;

namespace Levee.Executions;

/// <summary>
/// One execution: owns its state machine and serializes every write to it. Key:
/// <see cref="ResourceKey"/> (<c>tenant/project/id</c>). The gateway calls exactly these
/// methods; in-cluster services call them through Orleans' <c>IGrainFactory</c>. Its event log
/// is followed with <see cref="EventFollower"/> (the stream id is the grain's id).
/// </summary>
/// <remarks>
/// Methods take no cancellation token on purpose: once a command reaches the grain it runs to
/// its commit, so that a caller that gives up never leaves a half-decided command. Retrying is
/// always safe.
/// </remarks>
[Alias("Levee.IExecutionGrain")]
public interface IExecutionGrain : IWatchable
{
    /// <summary>Creates the execution; same definition again = <see cref="OutcomeKind.Unchanged"/>, else <c>already_exists</c>.</summary>
    [Alias("Create")]
    Task<Outcome<ExecutionView>> CreateAsync(CreateExecution command);

    /// <summary>The current resource, or null when it does not exist.</summary>
    [Alias("Get")]
    Task<ExecutionView?> GetAsync();

    /// <summary>
    /// Removes a terminal execution with its log, timers and index row (null: removed; it is 404
    /// from then on). Not found, not terminal (409 <c>not_terminal</c>) and a batch child (deleted
    /// with its batch) are rejections.
    /// </summary>
    Task<Rejection?> DeleteAsync();

    /// <summary>Strict status write.</summary>
    [Alias("WriteStatus")]
    Task<Outcome<ExecutionView>> WriteStatusAsync(WriteStatus command);

    /// <summary>Fire-and-forget report; never rejected.</summary>
    [Alias("Report")]
    Task<ReportResult> ReportAsync(ReportEvent report);

    /// <summary>Appends output chunks to the log.</summary>
    [Alias("AppendOutput")]
    Task<Outcome<OutputRange>> AppendOutputAsync(AppendOutput command);

    /// <summary>Cancels the execution.</summary>
    [Alias("Cancel")]
    Task<Outcome<ExecutionView>> CancelAsync(CancelExecution command);

    /// <summary>Claims the execution for a worker if it is queued and due (used by its queue grain).</summary>
    [Alias("Claim")]
    Task<Outcome<ClaimView>> ClaimAsync(ClaimExecution command);

    /// <summary>Extends the worker's lease.</summary>
    [Alias("Heartbeat")]
    Task<Outcome<HeartbeatView>> HeartbeatAsync(Heartbeat command);

    /// <summary>Completes the attempt (succeeded); repeating it with the same lease returns the same result.</summary>
    [Alias("Complete")]
    Task<Outcome<ExecutionView>> CompleteAsync(CompleteExecution command);

    /// <summary>Fails the attempt: a retry with backoff, or failed.</summary>
    [Alias("Fail")]
    Task<Outcome<ExecutionView>> FailAsync(FailExecution command);

    /// <summary>Gives the attempt back unfinished: queued at once, without using up an attempt; repeating it with the same lease is unchanged.</summary>
    [Alias("Release")]
    Task<Outcome<ExecutionView>> ReleaseAsync(ReleaseExecution command);

    /// <summary>Suspends the execution on an approval.</summary>
    [Alias("RequestApproval")]
    Task<Outcome<ApprovalRequestView>> RequestApprovalAsync(RequestApproval command);

    /// <summary>
    /// Suspends the execution until the batch is terminal. The suspension and the batch's record
    /// of the waiter commit through the outbox, so the execution is resumed exactly once, also
    /// when the batch is already finished.
    /// </summary>
    [Alias("WaitForBatch")]
    Task<Outcome<ExecutionView>> WaitForBatchAsync(WaitForBatch command);

    /// <summary>Records an approval decision; the first one wins.</summary>
    [Alias("DecideApproval")]
    Task<Outcome<ApprovalDecisionView>> DecideApprovalAsync(DecideApproval command);
}
