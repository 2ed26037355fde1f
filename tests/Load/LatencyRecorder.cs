using System.Diagnostics;

namespace Levee.Load;

/// <summary>
/// Latencies of one request type as seen by one worker. Each worker owns its recorders, so the
/// hot path is an array store with no locks or interlocked operations; recorders are merged
/// only after the run.
/// </summary>
internal sealed class LatencyRecorder(int initialCapacity)
{
    private long[] _ticks = new long[Math.Max(initialCapacity, 16)];
    private int _count;

    public int Count => _count;

    /// <summary>Records one latency in <see cref="Stopwatch"/> ticks.</summary>
    public void Record(long elapsedTicks)
    {
        if (_count == _ticks.Length)
        {
            // Only reached in --duration runs or when the per-worker estimate was low.
            Array.Resize(ref _ticks, _ticks.Length * 2);
        }
        _ticks[_count++] = elapsedTicks;
    }

    /// <summary>Merges the recorders and computes percentiles by sorting all samples.</summary>
    public static LatencySummary Summarize(IEnumerable<LatencyRecorder> recorders)
    {
        var parts = recorders.ToList();
        var all = new long[parts.Sum(r => r._count)];
        var offset = 0;
        foreach (var part in parts)
        {
            Array.Copy(part._ticks, 0, all, offset, part._count);
            offset += part._count;
        }
        if (all.Length == 0)
        {
            return LatencySummary.Empty;
        }
        Array.Sort(all);
        return new LatencySummary(all.Length,
            ToMs(Percentile(all, 50)), ToMs(Percentile(all, 90)), ToMs(Percentile(all, 99)), ToMs(all[^1]),
            ToMs((long)all.Average()));
    }

    /// <summary>Nearest-rank percentile: the smallest sample with at least p% of samples at or below it.</summary>
    private static long Percentile(long[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
