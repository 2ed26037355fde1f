namespace Levee.Client.Worker;

/// <summary>
/// One claimed job while the host runs it: the token that stops its handler, why it was
/// stopped, and a once-only guard so exactly one of complete, fail or release is written.
/// </summary>
internal sealed class JobRun : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource? _deadline;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reason;
    private int _ended;

    public JobRun(Claim claim, string queue)
    {
        (Claim, Queue) = (claim, queue);
        if (UntilDeadline(claim) is { } remaining)
        {
            // The server times the execution out at its deadline whatever the worker does; stopping
            // the handler at that instant (not at the next heartbeat, up to a third of a lease later)
            // frees the slot and stops work whose result could no longer be written.
            _deadline = new CancellationTokenSource(remaining);
            _deadline.Token.Register(() => Stop(StopReason.Deadline));
        }
    }

    public Claim Claim { get; }

    public string Queue { get; }

    public string Id => Claim.Execution.Id;

    /// <summary>Fires when the handler must stop.</summary>
    public CancellationToken Token => _stop.Token;

    public StopReason Reason => (StopReason)Volatile.Read(ref _reason);

    /// <summary>Completes once the job's last write is done (or given up).</summary>
    public Task Finished => _finished.Task;

    /// <summary>Stops the handler for <paramref name="reason"/>; the first reason wins.</summary>
    public void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)StopReason.None) == (int)StopReason.None)
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The job already ended.
            }
        }
    }

    /// <summary>True for the one caller allowed to write the job's end.</summary>
    public bool TryEnd() => Interlocked.Exchange(ref _ended, 1) == 0;

    public void MarkFinished() => _finished.TrySetResult();

    /// <summary>
    /// The heartbeat period: a third of the lease. The lease's length is read from the server's
    /// own times (claimed at <c>updatedAt</c>, expiring at <c>leaseExpiresAt</c>), so clock skew
    /// between worker and server does not shorten it.
    /// </summary>
    public TimeSpan HeartbeatInterval
    {
        get
        {
            var lease = Claim.LeaseExpiresAt - Claim.Execution.UpdatedAt;
            if (lease <= TimeSpan.Zero)
            {
                lease = TimeSpan.FromSeconds(30);
            }
            return TimeSpan.FromTicks(Math.Max(lease.Ticks / 3, TimeSpan.FromMilliseconds(50).Ticks));
        }
    }

    /// <summary>
    /// How long the handler has until the execution's deadline, measured on the server's clock
    /// (claimed at <c>updatedAt</c>, due at <c>deadlineAt</c>) so that worker clock skew does not
    /// move it; null without a deadline.
    /// </summary>
    internal static TimeSpan? UntilDeadline(Claim claim) =>
        claim.Execution.DeadlineAt is { } deadline ? TimeSpan.FromTicks(Math.Max(0, (deadline - claim.Execution.UpdatedAt).Ticks)) : null;

    public void Dispose()
    {
        _deadline?.Dispose();
        _stop.Dispose();
    }
}
