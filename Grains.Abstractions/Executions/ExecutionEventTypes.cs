namespace Levee.Executions;

/// <summary>
/// The event types on an execution's log. The event that makes an execution terminal is named after
/// its status (<see cref="ExecutionStatusNames.ToWire"/>: <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>,
/// <c>timed_out</c>), so those names have one source.
/// </summary>
public static class ExecutionEventTypes
{
    /// <summary>The execution was created (queued).</summary>
    public const string Created = "created";
    /// <summary>A non-terminal status change.</summary>
    public const string Status = "status";
    /// <summary>A chunk of user output.</summary>
    public const string Output = "output";
    /// <summary>A custom event reported by a worker.</summary>
    public const string Report = "report";
    /// <summary>A worker claimed it (a new attempt with a lease).</summary>
    public const string Claimed = "claimed";
    /// <summary>Back in the queue (resumed after approvals).</summary>
    public const string Queued = "queued";
    /// <summary>A failed attempt will be retried at <c>availableAt</c>.</summary>
    public const string RetryScheduled = "retry_scheduled";
    /// <summary>The worker stopped heartbeating; counts as a retryable failure.</summary>
    public const string LeaseExpired = "lease_expired";
    /// <summary>The lease holder released it unfinished: queued again at once, the same attempt continues on the next claim.</summary>
    public const string Released = "released";
    /// <summary>The execution suspended for an approval.</summary>
    public const string ApprovalRequested = "approval_requested";
    /// <summary>An approval was decided or expired.</summary>
    public const string ApprovalDecided = "approval_decided";
    /// <summary>A worker reported what its attempt cost (<c>data.cost</c>; the execution's <c>cost</c> is the sum).</summary>
    public const string Cost = "cost";

    /// <summary>True for the event that makes an execution terminal (the last one a stream sends before <c>end</c>).</summary>
    public static bool IsTerminal(string type) => ExecutionStatusNames.TryParse(type, out var status) && status.IsTerminal();
}
