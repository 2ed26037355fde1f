namespace Levee.Runtime;

/// <summary>
/// The grain's view of storage (Orleans: <c>IPersistentState</c> with an ETag). Commits are
/// group-committed with other grains' commits; the returned task completes after the
/// transaction is durable.
/// </summary>
public interface IGrainStorage
{
    /// <summary>Reads the grain's state row, or null when it was never written.</summary>
    Task<StoredGrain?> ReadAsync(GrainId id, CancellationToken cancellationToken);

    /// <summary>Writes state, events and side rows atomically if the version still matches.</summary>
    Task<CommitOutcome> CommitAsync(GrainCommit commit, CancellationToken cancellationToken);
}
