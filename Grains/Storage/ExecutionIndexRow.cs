using Levee.Executions;

namespace Levee.Grains.Storage;

/// <summary>The queryable columns of an execution, written with its state (listing, claiming, counting a batch's children).</summary>
/// <param name="Tenant">Owning tenant.</param>
/// <param name="Project">Owning project.</param>
/// <param name="Id">Execution id.</param>
/// <param name="Status">Current status.</param>
/// <param name="Task">Task name.</param>
/// <param name="Queue">Queue name.</param>
/// <param name="ParentId">Parent execution.</param>
/// <param name="CreatedAt">Creation time (list order).</param>
/// <param name="AvailableAt">When a queued execution may be claimed (claim order).</param>
/// <param name="BatchId">The batch it belongs to.</param>
/// <param name="Capped">A child of a batch with <c>ceilings.maxConcurrency</c>: claimed by its batch's slots, not with the queue's other work.</param>
public sealed record ExecutionIndexRow(string Tenant, string Project, string Id, ExecutionStatus Status, string Task, string Queue, string? ParentId,
    DateTimeOffset CreatedAt, DateTimeOffset AvailableAt, string? BatchId = null, bool Capped = false);

/// <summary>The key of an execution's index row, to delete it with the execution.</summary>
public sealed record ExecutionIndexKey(string Tenant, string Project, string Id);
