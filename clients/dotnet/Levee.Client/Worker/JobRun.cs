namespace Levee.Client.Worker;

/// <summary>
/// One claimed job while the host runs it: the token that stops its handler, why it was
/// stopped, and a once-only guard so exactly one of complete, fail or release is written.
/// </summary>
internal sealed class JobRun(Claim claim, string queue) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reason;
    private int _ended;

    public Claim Claim { get; } = claim;

    public string Queue { get; } = queue;

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

    public void Dispose() => _stop.Dispose();
}
