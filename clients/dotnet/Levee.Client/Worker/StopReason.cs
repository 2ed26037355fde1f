namespace Levee.Client.Worker;

/// <summary>Why the host stopped a job's handler before it returned.</summary>
internal enum StopReason
{
    /// <summary>Not stopped.</summary>
    None,
    /// <summary>A heartbeat answered <c>cancelRequested</c>: the execution was cancelled.</summary>
    Cancelled,
    /// <summary>A heartbeat was refused: the lease is gone (expired, superseded, or the execution timed out at its deadline).</summary>
    LeaseLost,
    /// <summary>The execution's deadline passed: the server times it out, so nothing is written.</summary>
    Deadline,
    /// <summary>The host is shutting down: the claim is released.</summary>
    Shutdown,
}
