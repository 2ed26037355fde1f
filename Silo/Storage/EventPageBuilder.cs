using Levee.Streams;

namespace Levee.Silo.Storage;

/// <summary>
/// A page of a log as every dialect reads it: at most <c>maxEvents</c>, and no more payload bytes
/// than <c>maxBytes</c> except that the first event is always taken (the contract of
/// <see cref="Levee.Grains.Storage.ICommitStore.ReadEventsAsync"/>).
/// </summary>
internal sealed class EventPageBuilder(int maxEvents, int maxBytes)
{
    private readonly List<LogEvent> _events = [];
    private long _bytes;

    /// <summary>Adds the next event of the log; false (and the event left out) when it would take the page over its byte bound.</summary>
    public bool TryAdd(long seq, string type, byte[] data, long timeMs)
    {
        if (_events.Count > 0 && _bytes + data.Length > maxBytes)
        {
            return false;
        }
        _bytes += data.Length;
        _events.Add(new LogEvent(seq, type, data, DateTimeOffset.FromUnixTimeMilliseconds(timeMs)));
        return true;
    }

    /// <summary>The page; <paramref name="full"/> when an event was left out, else it has more when it holds <c>maxEvents</c>.</summary>
    public EventPage Build(bool full = false) => new(_events, More: full || _events.Count == maxEvents);
}
