using System.Text.Json;

namespace Levee.Executions;

/// <summary>Hands a queued, due execution to a worker as a new attempt with a fresh lease (issued by the queue).</summary>
/// <param name="WorkerId">Who claims it.</param>
/// <param name="LeaseId">The new lease (minted by the caller so the decider stays deterministic).</param>
public sealed record ClaimExecution(string WorkerId, string LeaseId);

/// <summary>Extends the lease; tells the worker whether it should stop.</summary>
/// <param name="LeaseId">The worker's lease.</param>
public sealed record Heartbeat(string LeaseId);

/// <summary>The lease holder finished the work.</summary>
/// <param name="LeaseId">The worker's lease.</param>
/// <param name="Output">The result.</param>
public sealed record CompleteExecution(string LeaseId, JsonElement? Output = null);

/// <summary>The lease holder failed; retried with backoff while attempts remain and the error is retryable.</summary>
/// <param name="LeaseId">The worker's lease.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="Retryable">False makes the failure final.</param>
/// <param name="RetryAfterMs">Overrides the backoff delay for this retry.</param>
public sealed record FailExecution(string LeaseId, ExecutionError Error, bool Retryable = true, long? RetryAfterMs = null);

/// <summary>The lease holder asks for approval of a tool call; the execution suspends (<c>waiting</c>) and releases its lease.</summary>
/// <param name="LeaseId">The worker's lease.</param>
/// <param name="ToolCallId">Identifies the call; requesting it again returns the same approval.</param>
/// <param name="Tool">What the call does.</param>
/// <param name="Input">The call's arguments, for the approver.</param>
/// <param name="TimeoutMs">After this the approval expires (counts as denied).</param>
public sealed record RequestApproval(string LeaseId, string ToolCallId, string Tool, JsonElement? Input = null, long? TimeoutMs = null);

/// <summary>An approver's decision. The first decision wins.</summary>
/// <param name="ToolCallId">The approval.</param>
/// <param name="Approved">Approve or deny.</param>
/// <param name="Reason">Why.</param>
public sealed record DecideApproval(string ToolCallId, bool Approved, string? Reason = null);

/// <summary>An execution handed to a worker.</summary>
/// <param name="Execution">The resource, with every approval decision so far.</param>
/// <param name="Attempt">The attempt number.</param>
/// <param name="LeaseId">The lease to present on every write.</param>
/// <param name="LeaseExpiresAt">When the lease lapses without a heartbeat.</param>
public sealed record ClaimView(ExecutionView Execution, int Attempt, string LeaseId, DateTimeOffset LeaseExpiresAt);

/// <summary>Reply to a heartbeat.</summary>
/// <param name="LeaseExpiresAt">The extended expiry.</param>
/// <param name="CancelRequested">True once the execution was cancelled: stop working.</param>
public sealed record HeartbeatView(DateTimeOffset LeaseExpiresAt, bool CancelRequested);

/// <summary>Reply to an approval request.</summary>
/// <param name="Token">The hook token (<c>{executionId}:{toolCallId}</c>).</param>
/// <param name="Approval">The approval.</param>
public sealed record ApprovalRequestView(string Token, ApprovalView Approval);

/// <summary>Reply to a decision.</summary>
/// <param name="Approval">The approval with its recorded decision.</param>
/// <param name="AlreadyDecided">True when this decision had been recorded before.</param>
public sealed record ApprovalDecisionView(ApprovalView Approval, bool AlreadyDecided);

/// <summary>The lease holder suspends until a batch is terminal (trigger-and-wait); the next claim carries the batch's summary.</summary>
/// <param name="LeaseId">The worker's lease.</param>
/// <param name="BatchId">The batch to wait for.</param>
public sealed record WaitForBatch(string LeaseId, string BatchId);
