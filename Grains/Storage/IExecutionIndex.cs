using Levee.Executions;

namespace Levee.Grains.Storage;

/// <summary>An execution found by a list query: its state row and its place in the list order.</summary>
/// <param name="State">The state row.</param>
/// <param name="CreatedAt">Creation time in Unix milliseconds (the list's first sort key).</param>
/// <param name="Id">The execution id (the second sort key).</param>
public sealed record ListedExecution(StoredGrain State, long CreatedAt, string Id);

/// <summary>A claimable execution: its id, when it became due (claim order), and its batch when it is a capped child.</summary>
/// <param name="Id">The execution id.</param>
/// <param name="AvailableAt">When it became claimable, in Unix milliseconds.</param>
/// <param name="CappedBatch">The capped batch it is a child of, or null.</param>
public sealed record ClaimCandidate(string Id, long AvailableAt, string? CappedBatch = null);

/// <summary>The queued executions of one queue (the dashboard's queue view).</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Depth">Executions queued, due or not.</param>
/// <param name="Ready">Of those, the ones due now.</param>
/// <param name="OldestReadyAt">When the longest-waiting due one became due, in Unix milliseconds; null when none is due.</param>
public sealed record QueueDepth(string Queue, long Depth, long Ready, long? OldestReadyAt);

/// <summary>Queries over the execution index rows that commits maintain.</summary>
public interface IExecutionIndex
{
    /// <summary>
    /// Executions of the queue that are queued and due at <paramref name="now"/>, oldest due first,
    /// skipping a paused queue, paused batches, and the children of capped batches (see <see cref="CappedClaimsAsync"/>).
    /// </summary>
    Task<IReadOnlyList<ClaimCandidate>> NextClaimsAsync(string tenant, string project, string queue, DateTimeOffset now, int limit,
        CancellationToken cancellationToken);

    /// <summary>Children of one capped batch that are queued and due, oldest due first (none while it or its queue is paused).</summary>
    Task<IReadOnlyList<ClaimCandidate>> CappedClaimsAsync(string tenant, string project, string queue, string batchId, DateTimeOffset now, int limit,
        CancellationToken cancellationToken);

    /// <summary>The capped batches of a queue that may still hand out children: batch id → cap.</summary>
    Task<IReadOnlyDictionary<string, int>> CappedBatchesAsync(string tenant, string project, string queue, CancellationToken cancellationToken);

    /// <summary>True when the project has an execution with this id (its create was committed).</summary>
    Task<bool> ExistsAsync(string tenant, string project, string id, CancellationToken cancellationToken);

    /// <summary>Children of the batch that hold a lease now (status running).</summary>
    Task<int> CountLeasedAsync(string tenant, string project, string batchId, CancellationToken cancellationToken);

    /// <summary>
    /// Executions matching <paramref name="query"/> (its cursor ignored), newest first, starting
    /// after the position (<paramref name="afterCreatedAt"/>, <paramref name="afterId"/>) when given;
    /// at most <paramref name="limit"/>. <paramref name="grainType"/> names the grains the rows index.
    /// </summary>
    Task<IReadOnlyList<ListedExecution>> ListAsync(string grainType, ExecutionListQuery query, long? afterCreatedAt, string? afterId, int limit,
        CancellationToken cancellationToken);

    /// <summary>Every execution stored (all tenants), counted by its current status.</summary>
    Task<IReadOnlyDictionary<ExecutionStatus, long>> CountByStatusAsync(CancellationToken cancellationToken);

    /// <summary>A batch's children counted by their current status.</summary>
    Task<IReadOnlyDictionary<ExecutionStatus, long>> CountBatchAsync(string tenant, string project, string batchId, CancellationToken cancellationToken);

    /// <summary>The project's queues that hold queued executions, by name, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<QueueDepth>> QueueDepthsAsync(string tenant, string project, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Ids of the project's batches with a child not finished yet, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> BatchesInFlightAsync(string tenant, string project, int limit, CancellationToken cancellationToken);
}
