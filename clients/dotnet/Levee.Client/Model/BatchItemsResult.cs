namespace Levee.Client;

/// <summary>Reply of phase 2.</summary>
/// <param name="Id">The batch.</param>
/// <param name="Sealed">True once every index arrived.</param>
/// <param name="ItemsAccepted">New items of this request.</param>
/// <param name="ItemsDeduplicated">Items of this request that had arrived before.</param>
/// <param name="EnqueuedCount">Children created so far.</param>
/// <param name="RunCount">Items the batch has in all.</param>
/// <param name="Missing">The first 100 indexes still missing.</param>
/// <param name="Status">The batch's status.</param>
public sealed record BatchItemsResult(
    string Id, bool Sealed, long ItemsAccepted, long ItemsDeduplicated, long EnqueuedCount, int RunCount, IReadOnlyList<int> Missing, BatchStatus Status);
