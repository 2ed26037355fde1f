namespace Levee.Executions;

/// <summary>Hands queued, due executions to workers (long-polling).</summary>
public interface IExecutionQueue
{
    /// <summary>
    /// Claims up to <paramref name="max"/> executions of a queue, oldest due first, each as a new
    /// attempt with a fresh lease; waits up to <paramref name="wait"/> for one if none is ready.
    /// </summary>
    Task<IReadOnlyList<ClaimView>> ClaimAsync(string tenant, string project, string queue, string workerId, int max, TimeSpan wait,
        CancellationToken cancellationToken);
}
