using Levee.Runtime;

namespace Levee.Streams;

/// <summary>Reads grains' event logs and waits for new events (Orleans: a rewindable stream).</summary>
public interface IEventLog
{
    /// <summary>Events of <paramref name="stream"/> with <c>seq &gt;= fromSeq</c>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAsync(GrainId stream, long fromSeq, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Starts watching a stream. Subscribe before reading so that no commit falls between the
    /// read and the wait.
    /// </summary>
    IStreamSubscription Subscribe(GrainId stream);
}

/// <summary>A live watch on one stream; dispose it when done.</summary>
public interface IStreamSubscription : IDisposable
{
    /// <summary>Completes once the stream's last sequence number exceeds <paramref name="afterSeq"/> (at once if it already does).</summary>
    Task WaitAsync(long afterSeq, CancellationToken cancellationToken);
}
