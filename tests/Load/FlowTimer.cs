using System.Collections.Concurrent;

namespace Levee.Load;

/// <summary>
/// Times the gap between two events that different tasks observe for the same key, e.g. from a
/// create's 201 (seen by a producer) to the claim response that contains the execution (seen by a
/// worker). The two sides can be observed in either order: the silo may hand the execution to a
/// waiting claimer before the producer has read its 201. Whichever side comes second records the
/// gap into its own task's recorder, so recording stays lock-free; a stop seen before its start
/// counts as 0 ms and is tallied in <see cref="Reversed"/>.
/// </summary>
internal sealed class FlowTimer
{
    // Starts are stored as positive Stopwatch timestamps, stops as negative ones.
    private readonly ConcurrentDictionary<string, long> _pending = new(StringComparer.Ordinal);
    private long _reversed;

    /// <summary>Gaps whose stop was observed before their start (recorded as 0).</summary>
    public long Reversed => Interlocked.Read(ref _reversed);

    public void Start(string key, long timestamp, LatencyRecorder recorder) => Mark(key, timestamp, recorder);

    public void Stop(string key, long timestamp, LatencyRecorder recorder) => Mark(key, -timestamp, recorder);

    private void Mark(string key, long mark, LatencyRecorder recorder)
    {
        while (true)
        {
            if (_pending.TryRemove(key, out var other))
            {
                if (Math.Sign(other) == Math.Sign(mark))
                {
                    // The same side twice (e.g. a re-claim after a lost lease): keep the first, record nothing.
                    _pending.TryAdd(key, other);
                    return;
                }
                var (start, stop) = mark > 0 ? (mark, -other) : (other, -mark);
                if (stop < start)
                {
                    Interlocked.Increment(ref _reversed);
                }
                recorder.Record(Math.Max(0, stop - start));
                return;
            }
            if (_pending.TryAdd(key, mark))
            {
                return;
            }
            // The other side added its mark between our two calls: pair with it.
        }
    }
}
