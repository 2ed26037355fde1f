using Levee.Runtime;
using Levee.Streams;

namespace Levee.Silo.Streams;

/// <summary>
/// In-process wake-ups for stream readers: the commit writer publishes each grain's new last
/// sequence number after the commit is durable; readers waiting on that stream wake at once.
/// Only streams with a live subscriber cost memory.
/// </summary>
public sealed class StreamNotifier
{
    private readonly Dictionary<GrainId, Watch> _watches = [];
    private readonly Lock _gate = new();

    /// <summary>Called after a commit: the stream now ends at <paramref name="lastSeq"/>.</summary>
    public void Publish(GrainId stream, long lastSeq)
    {
        Watch? watch;
        lock (_gate)
        {
            _watches.TryGetValue(stream, out watch);
        }
        watch?.Advance(lastSeq);
    }

    /// <summary>Starts watching a stream.</summary>
    public IStreamSubscription Subscribe(GrainId stream)
    {
        lock (_gate)
        {
            if (!_watches.TryGetValue(stream, out var watch))
            {
                watch = new Watch();
                _watches[stream] = watch;
            }
            watch.Subscribers++;
            return new Subscription(this, stream, watch);
        }
    }

    private void Unsubscribe(GrainId stream, Watch watch)
    {
        lock (_gate)
        {
            if (--watch.Subscribers == 0)
            {
                _watches.Remove(stream);
            }
        }
    }

    private sealed class Watch
    {
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _lastSeq;

        public int Subscribers { get; set; }

        public void Advance(long lastSeq)
        {
            long seen;
            do
            {
                seen = Volatile.Read(ref _lastSeq);
                if (lastSeq <= seen)
                {
                    return;
                }
            }
            while (Interlocked.CompareExchange(ref _lastSeq, lastSeq, seen) != seen);
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        public async Task WaitAsync(long afterSeq, CancellationToken cancellationToken)
        {
            while (true)
            {
                var changed = Volatile.Read(ref _changed);
                if (Volatile.Read(ref _lastSeq) > afterSeq)
                {
                    return;
                }
                await changed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed class Subscription(StreamNotifier owner, GrainId stream, Watch watch) : IStreamSubscription
    {
        private int _disposed;

        public Task WaitAsync(long afterSeq, CancellationToken cancellationToken) => watch.WaitAsync(afterSeq, cancellationToken);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(stream, watch);
            }
        }
    }
}
