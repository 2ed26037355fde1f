using System.Text.Json;
using System.Text.Json.Serialization;
using Levee.Executions;

namespace Levee.Grains.Executions;

/// <summary>A fact the execution decider produced. <see cref="LogType"/> is the type clients see on the stream.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(ExecutionCreated), "created")]
[JsonDerivedType(typeof(StatusChanged), "status")]
[JsonDerivedType(typeof(OutputAppended), "output")]
[JsonDerivedType(typeof(ReportRecorded), "report")]
[JsonDerivedType(typeof(CostReported), "cost")]
[JsonDerivedType(typeof(ExecutionCancelled), "cancelled")]
[JsonDerivedType(typeof(ExecutionClaimed), "claimed")]
[JsonDerivedType(typeof(LeaseExtended), "lease_extended")]
[JsonDerivedType(typeof(RetryScheduled), "retry_scheduled")]
[JsonDerivedType(typeof(LeaseExpired), "lease_expired")]
[JsonDerivedType(typeof(LeaseReleased), "released")]
[JsonDerivedType(typeof(ApprovalRequested), "approval_requested")]
[JsonDerivedType(typeof(ApprovalDecided), "approval_decided")]
[JsonDerivedType(typeof(ExecutionResumed), "resumed")]
[JsonDerivedType(typeof(BatchWaitRequested), "batch_wait")]
[JsonDerivedType(typeof(BatchResumed), "batch_resumed")]
[JsonDerivedType(typeof(ExecutionDeleted), "deleted")]
internal abstract record ExecutionEvent(DateTimeOffset At)
{
    /// <summary>The event type on the log.</summary>
    [JsonIgnore]
    public abstract string LogType { get; }

    /// <summary>False for bookkeeping that changes state but is not appended to the client-visible log.</summary>
    [JsonIgnore]
    public virtual bool IsVisible => true;
}

/// <summary>The execution came into being, queued.</summary>
internal sealed record ExecutionCreated(DateTimeOffset At, CreateExecution Spec, [property: JsonIgnore] string? Fingerprint, DateTimeOffset AvailableAt) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Created;
}

/// <summary>The log payload of a batch child's <c>created</c>: which batch and item it came from.</summary>
internal sealed record BatchChildCreated(string BatchId, int BatchIndex, DateTimeOffset At);

/// <summary>The status changed; terminal ones carry the outcome.</summary>
internal sealed record StatusChanged(DateTimeOffset At, ExecutionStatus Status, int Attempt, long? Seq = null, JsonElement? Output = null, ExecutionError? Error = null)
    : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => Status.IsTerminal() ? Status.ToWire() : ExecutionEventTypes.Status;
}

/// <summary>A chunk of user output.</summary>
internal sealed record OutputAppended(DateTimeOffset At, JsonElement Chunk) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Output;
}

/// <summary>A custom event from a worker.</summary>
internal sealed record ReportRecorded(DateTimeOffset At, string Type, int Attempt, long? Seq = null, JsonElement? Data = null) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Report;
}

/// <summary>A worker reported what an attempt cost; a report's <see cref="Seq"/> is recorded like any report's.</summary>
internal sealed record CostReported(DateTimeOffset At, int Attempt, decimal Cost, long? Seq = null) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Cost;
}

/// <summary>A client cancelled the execution (terminal).</summary>
internal sealed record ExecutionCancelled(DateTimeOffset At, string? Reason) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionStatus.Cancelled.ToWire();
}

/// <summary>A worker claimed the execution: a new attempt under a new lease.</summary>
// Lease ids are the worker's fencing token: they stay out of the stream that every key of the tenant can read.
internal sealed record ExecutionClaimed(DateTimeOffset At, int Attempt, string WorkerId, [property: JsonIgnore] string LeaseId, DateTimeOffset LeaseExpiresAt) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Claimed;
}

/// <summary>A heartbeat moved the lease's expiry. Kept in state (so expiry survives restarts), not shown on the stream.</summary>
internal sealed record LeaseExtended(DateTimeOffset At, DateTimeOffset LeaseExpiresAt) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => "";

    [JsonIgnore]
    public override bool IsVisible => false;
}

/// <summary>The attempt failed and another will run at <see cref="AvailableAt"/>.</summary>
internal sealed record RetryScheduled(DateTimeOffset At, int Attempt, ExecutionError Error, DateTimeOffset AvailableAt) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.RetryScheduled;
}

/// <summary>The worker stopped heartbeating; a retry or the final failure follows.</summary>
internal sealed record LeaseExpired(DateTimeOffset At, int Attempt, [property: JsonIgnore] string LeaseId) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.LeaseExpired;
}

/// <summary>The lease holder gave the attempt back unfinished: queued, due now, the attempt not used up.</summary>
internal sealed record LeaseReleased(DateTimeOffset At, int Attempt, [property: JsonIgnore] string LeaseId) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Released;
}

/// <summary>The execution suspended on an approval and released its lease.</summary>
internal sealed record ApprovalRequested(DateTimeOffset At, StoredApproval Approval) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.ApprovalRequested;
}

/// <summary>An approval was decided (or expired, which counts as denied).</summary>
internal sealed record ApprovalDecided(DateTimeOffset At, string ToolCallId, ApprovalStatus Status, string? Reason) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.ApprovalDecided;
}

/// <summary>Nothing is pending any more: back in the queue, due now.</summary>
internal sealed record ExecutionResumed(DateTimeOffset At) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Queued;
}

/// <summary>The execution suspended until a batch finishes; its lease is released.</summary>
internal sealed record BatchWaitRequested(DateTimeOffset At, string BatchId) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Status;
}

/// <summary>The awaited batch finished: back in the queue with its summary.</summary>
internal sealed record BatchResumed(DateTimeOffset At, StoredBatchSummary Batch) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Queued;
}

/// <summary>
/// The execution is removed (a delete, or its retention ran out): it folds to no state, and its
/// commit deletes the row, the log, the timers and the index row, so nothing of it is logged.
/// </summary>
internal sealed record ExecutionDeleted(DateTimeOffset At) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => "deleted";

    [JsonIgnore]
    public override bool IsVisible => false;
}
