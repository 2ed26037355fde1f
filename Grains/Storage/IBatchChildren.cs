namespace Levee.Grains.Storage;

/// <summary>Reads of a batch's child rows (written by its commits).</summary>
public interface IBatchChildren
{
    /// <summary>Which of <paramref name="indexes"/> the batch has accepted.</summary>
    Task<IReadOnlySet<int>> AcceptedAmongAsync(GrainId batch, IReadOnlyList<int> indexes, CancellationToken cancellationToken);

    /// <summary>The rows of <paramref name="indexes"/> the batch has accepted: index → whether the batch has counted it as finished.</summary>
    Task<IReadOnlyDictionary<int, bool>> CountedAsync(GrainId batch, IReadOnlyList<int> indexes, CancellationToken cancellationToken);

    /// <summary>
    /// Accepted indexes in order, from <paramref name="fromIndex"/>, at most <paramref name="limit"/>
    /// (a child's id follows from its index, so the rows do not repeat it).
    /// </summary>
    Task<IReadOnlyList<int>> ChildrenAsync(GrainId batch, int fromIndex, int limit, CancellationToken cancellationToken);

    /// <summary>The first indexes below <paramref name="runCount"/> that have no row, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<int>> MissingAsync(GrainId batch, int runCount, int limit, CancellationToken cancellationToken);
}
