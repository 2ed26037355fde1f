using Levee.Streams;

namespace Levee.Grains.Storage;

/// <summary>
/// Durable grain state as Levee needs it, implemented once per database dialect. One
/// <see cref="GrainCommit"/> writes, in one transaction, a grain's new state (compare-and-set on
/// its version), the events it produced, the timers it set or cleared, its outbox messages and
/// its index rows; commits of many grains that are ready together share one transaction (group
/// commit), each keeping its own compare-and-set outcome. A commit's task completes only after
/// its transaction is durable. The store knows nothing of the product: what a commit contains is
/// decided by the grain.
/// </summary>
public interface ICommitStore
{
    /// <summary>Reads a grain's state row, or null when it was never written (or was deleted).</summary>
    Task<StoredGrain?> ReadAsync(GrainId id, CancellationToken cancellationToken);

    /// <summary>Reads the state rows of several grains; absent ones are left out.</summary>
    Task<IReadOnlyDictionary<GrainId, StoredGrain>> ReadManyAsync(IReadOnlyList<GrainId> ids, CancellationToken cancellationToken);

    /// <summary>Writes state, events and side rows atomically if the version still matches.</summary>
    Task<CommitOutcome> CommitAsync(GrainCommit commit, CancellationToken cancellationToken);

    /// <summary>
    /// Events of <paramref name="stream"/> with <c>seq &gt;= fromSeq</c>, oldest first: at most
    /// <paramref name="maxEvents"/>, and no more payload bytes than <paramref name="maxBytes"/>
    /// except that the first event is always returned.
    /// </summary>
    Task<EventPage> ReadEventsAsync(GrainId stream, long fromSeq, int maxEvents, int maxBytes, CancellationToken cancellationToken);
}
