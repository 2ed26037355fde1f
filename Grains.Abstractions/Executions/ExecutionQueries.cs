using Levee.Errors;
using Levee.Queues;

namespace Levee.Executions;

/// <summary>Filters and paging of an execution list.</summary>
/// <param name="Tenant">Scope: tenant.</param>
/// <param name="Project">Scope: project.</param>
/// <param name="Limit">Page size (1..500).</param>
/// <param name="Cursor">Opaque cursor from the previous page.</param>
[GenerateSerializer, Immutable, Alias("Levee.ExecutionListQuery")]
public sealed record ExecutionListQuery([property: Id(0)] string Tenant, [property: Id(1)] string Project, [property: Id(2)] int Limit, [property: Id(3)] string? Cursor)
{
    /// <summary>Only this status.</summary>
    [Id(4)]
    public ExecutionStatus? Status { get; init; }
    /// <summary>Only this task.</summary>
    [Id(5)]
    public string? Task { get; init; }
    /// <summary>Only this queue.</summary>
    [Id(6)]
    public string? Queue { get; init; }
    /// <summary>Only children of this parent.</summary>
    [Id(7)]
    public string? ParentId { get; init; }
    /// <summary>Only children of this batch.</summary>
    [Id(8)]
    public string? BatchId { get; init; }
}

/// <summary>One page of a list.</summary>
/// <typeparam name="T">Item type.</typeparam>
/// <param name="Items">The items.</param>
/// <param name="NextCursor">Cursor of the next page, or null at the end.</param>
[GenerateSerializer, Immutable, Alias("Levee.Page`1")]
public sealed record Page<T>([property: Id(0)] IReadOnlyList<T> Items, [property: Id(1)] string? NextCursor);

/// <summary>
/// Lists executions from the query index on any silo (a stateless worker: listing never
/// activates the grains it lists). Key: <see cref="Key"/>.
/// </summary>
[Alias("Levee.IExecutionQueryGrain")]
public interface IExecutionQueryGrain : IGrainWithStringKey
{
    /// <summary>The one key this grain is used with.</summary>
    public const string Key = "query";

    /// <summary>One page, newest first; a cursor this server did not issue is a <c>validation_failed</c> on <c>cursor</c>.</summary>
    [Alias("List")]
    Task<Outcome<Page<ExecutionView>>> ListAsync(ExecutionListQuery query);

    /// <summary>
    /// True when the queue has an execution that is queued and due: a poll that would find
    /// nothing returns without activating the queue's grain, so polling an empty queue leaves nothing behind.
    /// </summary>
    [Alias("AnyClaimable")]
    Task<bool> AnyClaimableAsync(string tenant, string project, string queue);

    /// <summary>A batch's children by index, from <paramref name="cursor"/> (the next index, as issued by the previous page).</summary>
    [Alias("ListBatchChildren")]
    Task<Outcome<Page<ExecutionView>>> ListBatchChildrenAsync(string tenant, string project, string batchId, string? cursor, int limit);

    /// <summary>The project's queues that hold queued executions, by name (at most 500).</summary>
    [Alias("ListQueueDepths")]
    Task<IReadOnlyList<QueueDepthView>> ListQueueDepthsAsync(string tenant, string project);

    /// <summary>Ids of the project's batches with a child not finished yet, newest first, at most <paramref name="limit"/>.</summary>
    [Alias("ListBatchesInFlight")]
    Task<IReadOnlyList<string>> ListBatchesInFlightAsync(string tenant, string project, int limit);
}
