using Levee.Batches;

namespace Levee.Gateway.Admin;

/// <summary>One queue of <c>GET /v1/admin/tenants/{tenant}/projects/{project}/queues</c>.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Depth">Executions queued, due or not.</param>
/// <param name="Ready">Of those, the ones due now.</param>
/// <param name="OldestReadyAt">When the longest-waiting due one became due; null when none is due.</param>
/// <param name="OldestReadyAgeMs">How long it has waited, in ms; null when none is due.</param>
/// <param name="ClaimersWaiting">Long-poll claims of the queue waiting on this gateway now.</param>
public sealed record QueueItem(string Queue, long Depth, long Ready, DateTimeOffset? OldestReadyAt, long? OldestReadyAgeMs, int ClaimersWaiting);

/// <summary>The project's queues that hold queued executions, by name.</summary>
public sealed record QueueList(IReadOnlyList<QueueItem> Items);

/// <summary>The project's batches with children not finished yet, newest first.</summary>
public sealed record BatchList(IReadOnlyList<BatchView> Items);
