using Levee.Errors;
using Levee.Runtime;

namespace Levee.Batches;

/// <summary>
/// One two-phase batch. Key: <c>tenant/project/batchId</c> (see <see cref="Levee.Executions.ExecutionKey.For"/>).
/// Children are executions with ids <c>{batchId}.{index}</c>.
/// </summary>
[GrainType("bat")]
public interface IBatchGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>Phase 1. Same definition again = unchanged; different = already_exists.</summary>
    Task<Outcome<BatchView>> CreateAsync(CreateBatch command);

    /// <summary>The batch with its children counted by current status (a query over all children), or null.</summary>
    Task<BatchView?> GetAsync();

    /// <summary>The batch from its own state only (children counted as finished or not), or null: cheap, for existence checks.</summary>
    Task<BatchView?> PeekAsync();

    /// <summary>Phase 2: accepts a chunk of items, creating their children at once (deduplicated by index).</summary>
    Task<Outcome<ItemsAccepted>> AcceptItemsAsync(AcceptItems command);

    /// <summary>Children reached a terminal status (delivered by the outbox, at least once, in any order); counted in one commit.</summary>
    Task<bool> ChildrenFinishedAsync(IReadOnlyList<int> indexes);

    /// <summary>Resumes <paramref name="parentId"/> when the batch is terminal (at once, through the outbox, if it already is).</summary>
    Task<Outcome<BatchView>> AttachParentAsync(string parentId);

    /// <summary>Aborts the batch.</summary>
    Task<Outcome<BatchView>> CancelAsync(CancelBatch command);
}
