using System.Collections.Concurrent;
using Levee.Executions;

namespace Levee.Silo.Queues;

/// <summary>
/// Per-queue wake-ups: grains call <see cref="Ready"/> after committing an execution that is
/// queued and due (or when its delay timer fires); long-polling claimers wait on it.
/// </summary>
public sealed class QueueSignals : IQueueNotifier
{
    private readonly ConcurrentDictionary<(string, string, string), Signal> _signals = new();

    /// <inheritdoc />
    public void Ready(string tenant, string project, string queue)
    {
        if (_signals.TryGetValue((tenant, project, queue), out var signal))
        {
            signal.Bump();
        }
    }

    /// <summary>The queue's current generation; pass it to <see cref="WaitAsync"/>.</summary>
    public long Generation(string tenant, string project, string queue) => _signals.GetOrAdd((tenant, project, queue), _ => new Signal()).Generation;

    /// <summary>Waits until the queue's generation moves past <paramref name="generation"/>, or the timeout passes.</summary>
    public Task WaitAsync(string tenant, string project, string queue, long generation, TimeSpan timeout, CancellationToken cancellationToken) =>
        _signals.GetOrAdd((tenant, project, queue), _ => new Signal()).WaitAsync(generation, timeout, cancellationToken);

    private sealed class Signal
    {
        private long _generation;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Generation => Interlocked.Read(ref _generation);

        public void Bump()
        {
            Interlocked.Increment(ref _generation);
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        public async Task WaitAsync(long generation, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (Generation != generation || timeout <= TimeSpan.Zero)
            {
                return;
            }
            try
            {
                await changed.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Nothing came within the wait.
            }
        }
    }
}
