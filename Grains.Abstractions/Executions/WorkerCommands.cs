using System.Text.Json;
using Levee.Errors;

namespace Levee.Executions;

/// <summary>Hands a queued, due execution to a worker as a new attempt with a fresh lease (issued by the queue).</summary>
/// <param name="WorkerId">Who claims it.</param>
/// <param name="LeaseId">The new lease (minted by the caller so the decider stays deterministic).</param>
[GenerateSerializer, Immutable, Alias("Levee.ClaimExecution")]
public sealed record ClaimExecution([property: Id(0)] string WorkerId, [property: Id(1)] string LeaseId);

/// <summary>Extends the lease; tells the worker whether it should stop.</summary>
/// <param name="LeaseId">The worker's lease.</param>
[GenerateSerializer, Immutable, Alias("Levee.Heartbeat")]
public sealed record Heartbeat([property: Id(0)] string LeaseId)
{
    /// <summary>Checks the fields; returns the first problem, or null.</summary>
    public Rejection? Validate() => LeaseIds.Require(LeaseId);
}

/// <summary>
/// The lease holder gives the execution back unfinished (a worker shutting down): queued again,
/// due now, and the next claim continues the same attempt, so a release never uses one up.
/// </summary>
/// <param name="LeaseId">The worker's lease.</param>
[GenerateSerializer, Immutable, Alias("Levee.ReleaseExecution")]
public sealed record ReleaseExecution([property: Id(0)] string LeaseId)
{
    /// <summary>Checks the fields; returns the first problem, or null.</summary>
    public Rejection? Validate() => LeaseIds.Require(LeaseId);
}

/// <summary>The lease holder finished the work.</summary>
/// <param name="LeaseId">The worker's lease.</param>
/// <param name="Output">The result.</param>
/// <param name="Cost">What the attempt cost, in the batch budget's unit (summed over attempts).</param>
[GenerateSerializer, Immutable, Alias("Levee.CompleteExecution")]
public sealed record CompleteExecution([property: Id(0)] string LeaseId, [property: Id(1)] JsonElement? Output = null, [property: Id(2)] decimal? Cost = null)
{
    /// <summary>Checks the fields; returns the first problem, or null.</summary>
    public Rejection? Validate() => LeaseIds.Require(LeaseId) ?? Costs.Validate(Cost);
}

/// <summary>The lease holder failed; retried with backoff while attempts remain and the error is retryable.</summary>
/// <param name="LeaseId">The worker's lease.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="Retryable">False makes the failure final.</param>
/// <param name="RetryAfterMs">Overrides the backoff delay for this retry.</param>
/// <param name="Cost">What the attempt cost, in the batch budget's unit (summed over attempts).</param>
[GenerateSerializer, Immutable, Alias("Levee.FailExecution")]
public sealed record FailExecution(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] ExecutionError Error,
    [property: Id(2)] bool Retryable = true,
    [property: Id(3)] long? RetryAfterMs = null,
    [property: Id(4)] decimal? Cost = null)
{
    /// <summary>Checks the fields; returns the first problem, or null.</summary>
    public Rejection? Validate() =>
        LeaseIds.Require(LeaseId)
        ?? (Error is not { Message.Length: > 0 } ? Rejection.Invalid("error.message", "error.message is required.")
            : RetryAfterMs is < 0 or > CreateExecution.MaxDurationMs ? Rejection.Invalid("retryAfterMs", "retryAfterMs must be between 0 and 30 days.")
            : Costs.Validate(Cost));
}

/// <summary>The rule for a reported <c>cost</c>.</summary>
public static class Costs
{
    /// <summary>Null, or the problem with a cost: it is a number of at least 0.</summary>
    public static Rejection? Validate(decimal? cost) =>
        cost is < 0 ? Rejection.Invalid("cost", "cost must be a number of at least 0.") : null;
}

/// <summary>The lease holder asks for approval of a tool call; the execution suspends (<c>waiting</c>) and releases its lease.</summary>
/// <param name="LeaseId">The worker's lease.</param>
/// <param name="ToolCallId">Identifies the call; requesting it again returns the same approval.</param>
/// <param name="Tool">What the call does.</param>
/// <param name="Input">The call's arguments, for the approver.</param>
/// <param name="TimeoutMs">After this the approval expires (counts as denied).</param>
[GenerateSerializer, Immutable, Alias("Levee.RequestApproval")]
public sealed record RequestApproval(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] string ToolCallId,
    [property: Id(2)] string Tool,
    [property: Id(3)] JsonElement? Input = null,
    [property: Id(4)] long? TimeoutMs = null)
{
    /// <summary>Longest tool name.</summary>
    public const int MaxToolLength = 200;

    /// <summary>True for 1–128 characters of <c>A-Za-z0-9_-.</c> (no colon: the hook token is <c>{executionId}:{toolCallId}</c>).</summary>
    public static bool IsValidToolCallId(string? id) =>
        id is { Length: > 0 and <= 128 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>Checks the fields; returns the first problem, or null.</summary>
    public Rejection? Validate() =>
        LeaseIds.Require(LeaseId)
        ?? (!IsValidToolCallId(ToolCallId) ? Rejection.Invalid("toolCallId", "toolCallId must be 1-128 characters of A-Za-z0-9_-.")
            : string.IsNullOrWhiteSpace(Tool) || Tool.Length > MaxToolLength
                ? Rejection.Invalid("tool", $"tool is required (at most {MaxToolLength} characters).")
            : TimeoutMs is <= 0 or > CreateExecution.MaxDurationMs ? Rejection.Invalid("timeoutMs", "timeoutMs must be positive and at most 30 days.")
            : null);
}

/// <summary>An approver's decision. The first decision wins.</summary>
/// <param name="ToolCallId">The approval.</param>
/// <param name="Approved">Approve or deny.</param>
/// <param name="Reason">Why.</param>
[GenerateSerializer, Immutable, Alias("Levee.DecideApproval")]
public sealed record DecideApproval([property: Id(0)] string ToolCallId, [property: Id(1)] bool Approved, [property: Id(2)] string? Reason = null);

/// <summary>An execution handed to a worker.</summary>
/// <param name="Execution">The resource, with every approval decision so far.</param>
/// <param name="Attempt">The attempt number.</param>
/// <param name="LeaseId">The lease to present on every write.</param>
/// <param name="LeaseExpiresAt">When the lease lapses without a heartbeat.</param>
[GenerateSerializer, Immutable, Alias("Levee.ClaimView")]
public sealed record ClaimView(
    [property: Id(0)] ExecutionView Execution,
    [property: Id(1)] int Attempt,
    [property: Id(2)] string LeaseId,
    [property: Id(3)] DateTimeOffset LeaseExpiresAt);

/// <summary>Reply to a heartbeat.</summary>
/// <param name="LeaseExpiresAt">The extended expiry.</param>
/// <param name="CancelRequested">True once the execution was cancelled: stop working.</param>
[GenerateSerializer, Immutable, Alias("Levee.HeartbeatView")]
public sealed record HeartbeatView([property: Id(0)] DateTimeOffset LeaseExpiresAt, [property: Id(1)] bool CancelRequested);

/// <summary>Reply to an approval request.</summary>
/// <param name="Token">The hook token (<c>{executionId}:{toolCallId}</c>).</param>
/// <param name="Approval">The approval.</param>
[GenerateSerializer, Immutable, Alias("Levee.ApprovalRequestView")]
public sealed record ApprovalRequestView([property: Id(0)] string Token, [property: Id(1)] ApprovalView Approval);

/// <summary>Reply to a decision.</summary>
/// <param name="Approval">The approval with its recorded decision.</param>
/// <param name="AlreadyDecided">True when this decision had been recorded before.</param>
[GenerateSerializer, Immutable, Alias("Levee.ApprovalDecisionView")]
public sealed record ApprovalDecisionView([property: Id(0)] ApprovalView Approval, [property: Id(1)] bool AlreadyDecided);

/// <summary>The lease holder suspends until a batch is terminal (trigger-and-wait); the next claim carries the batch's summary.</summary>
/// <param name="LeaseId">The worker's lease.</param>
/// <param name="BatchId">The batch to wait for (of the execution's own tenant and project).</param>
[GenerateSerializer, Immutable, Alias("Levee.WaitForBatch")]
public sealed record WaitForBatch([property: Id(0)] string LeaseId, [property: Id(1)] string BatchId)
{
    /// <summary>Checks the fields; returns the first problem, or null.</summary>
    public Rejection? Validate() =>
        LeaseIds.Require(LeaseId) ?? (string.IsNullOrEmpty(BatchId) ? Rejection.Invalid("batchId", "batchId is required.") : null);
}
