namespace Levee.Batches;

/// <summary>A child's row in its batch.</summary>
/// <param name="Outcome">Terminal status wire name once finished.</param>
/// <param name="Reported">True once the batch counted it.</param>
public sealed record BatchChildState(string? Outcome, bool Reported);

/// <summary>Reads of a batch's child records (they are written by grain commits).</summary>
public interface IBatchStore
{
    /// <summary>Which of <paramref name="indexes"/> the batch has accepted.</summary>
    IReadOnlySet<int> AcceptedAmong(string batchKey, IReadOnlyList<int> indexes);

    /// <summary>The rows of the given children (indexes never accepted are absent).</summary>
    IReadOnlyDictionary<int, BatchChildState> ChildStates(string batchKey, IReadOnlyList<int> indexes);

    /// <summary>Child ids by index, from <paramref name="fromIndex"/>.</summary>
    IReadOnlyList<(int Index, string ChildId)> Children(string batchKey, int fromIndex, int limit);

    /// <summary>The first missing indexes below <paramref name="runCount"/>.</summary>
    IReadOnlyList<int> Missing(string batchKey, int runCount, int limit);

    /// <summary>Children by current status (from the execution index).</summary>
    BatchCounts Counts(string tenant, string project, string batchId);
}
