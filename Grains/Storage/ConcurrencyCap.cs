namespace Levee.Grains.Storage;

/// <summary>
/// A batch with <c>ceilings.maxConcurrency</c>, as its queue finds it: the row exists while the
/// batch may hand out children (from its create until it is terminal), so the queue knows which
/// capped batches to claim from, and at most how many of each batch's children may hold a lease.
/// </summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Project">The project.</param>
/// <param name="Queue">The batch's queue (every child's).</param>
/// <param name="BatchId">The batch.</param>
/// <param name="Cap">The cap; null removes the row.</param>
public sealed record ConcurrencyCap(string Tenant, string Project, string Queue, string BatchId, int? Cap);
