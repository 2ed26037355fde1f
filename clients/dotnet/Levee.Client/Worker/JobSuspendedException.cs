namespace Levee.Client.Worker;

/// <summary>
/// Thrown by <see cref="JobContext.RequireApprovalAsync"/> and <see cref="JobContext.WaitForBatchAsync"/>
/// once the execution is suspended: the host ends the job as <see cref="JobResult.Suspended"/>.
/// Let it propagate; the next claim runs the handler again from the start, and the same call then
/// returns the decision (or the batch) instead.
/// </summary>
public sealed class JobSuspendedException : Exception
{
    /// <inheritdoc />
    public JobSuspendedException() : base("The execution is suspended; it is redelivered once it can go on.")
    {
    }

    /// <inheritdoc />
    public JobSuspendedException(string message) : base(message)
    {
    }

    /// <inheritdoc />
    public JobSuspendedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
