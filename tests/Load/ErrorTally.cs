namespace Levee.Load;

/// <summary>
/// Error counts of one worker, keyed by HTTP status code or by the kind of transport failure.
/// Per worker, like <see cref="LatencyRecorder"/>, so counting needs no synchronisation.
/// </summary>
internal sealed class ErrorTally
{
    private readonly Dictionary<string, long> _counts = [];

    public long Total { get; private set; }

    public void Record(string kind)
    {
        _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
        Total++;
    }

    public static SortedDictionary<string, long> Merge(IEnumerable<ErrorTally> tallies)
    {
        var merged = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (kind, count) in tallies.SelectMany(t => t._counts))
        {
            merged[kind] = merged.GetValueOrDefault(kind) + count;
        }
        return merged;
    }
}
