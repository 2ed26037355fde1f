using Levee.Errors;
using Levee.Streams;

namespace Levee.Batches;

/// <summary>
/// One two-phase batch. Key: <c>tenant/project/batchId</c> (see <see cref="ResourceKey"/>).
/// Children are executions with ids <c>{batchId}.{index}</c>. Its event log is followed like an
/// execution's (<see cref="EventFollower"/>).
/// </summary>
[Alias("Levee.IBatchGrain")]
public interface IBatchGrain : IWatchable
{
    /// <summary>Phase 1. Same definition again = unchanged; different = already_exists.</summary>
    [Alias("Create")]
    Task<Outcome<BatchView>> CreateAsync(CreateBatch command);

    /// <summary>The batch with its children counted by current status (a query over all children), or null.</summary>
    [Alias("Get")]
    Task<BatchView?> GetAsync();

    /// <summary>The batch from its own state only (children counted as finished or not), or null: cheap, for existence checks.</summary>
    [Alias("Peek")]
    Task<BatchView?> PeekAsync();

    /// <summary>Phase 2: accepts a chunk of items (at most <see cref="AcceptItems.MaxItems"/>), creating their children at once (deduplicated by index).</summary>
    [Alias("AcceptItems")]
    Task<Outcome<ItemsAccepted>> AcceptItemsAsync(AcceptItems command);

    /// <summary>The first indexes (at most <paramref name="limit"/>) not accepted yet.</summary>
    [Alias("Missing")]
    Task<IReadOnlyList<int>> MissingAsync(int limit);

    /// <summary>Aborts the batch and cancels its created children.</summary>
    [Alias("Cancel")]
    Task<Outcome<BatchView>> CancelAsync(CancelBatch command);

    /// <summary>
    /// Deletes a terminal batch (null: deleted): it is 404 at once, and its children, its log and
    /// its rows are removed in the background, a page per commit, resumed after a crash. Not found
    /// and not terminal (409 <c>not_terminal</c>) are rejections.
    /// </summary>
    Task<Rejection?> DeleteAsync();

    /// <summary>The operator's kill switch: claims hand out none of its children until <see cref="ResumeAsync"/> (running ones go on). Idempotent.</summary>
    [Alias("Pause")]
    Task<Outcome<BatchView>> PauseAsync(PauseBatch command);

    /// <summary>Lifts a pause: its queued children are claimable again at once. Idempotent.</summary>
    [Alias("Resume")]
    Task<Outcome<BatchView>> ResumeAsync(ResumeBatch command);
}
