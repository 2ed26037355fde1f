namespace Levee.Executions;

/// <summary>Filters and paging of an execution list.</summary>
/// <param name="Tenant">Scope: tenant.</param>
/// <param name="Project">Scope: project.</param>
/// <param name="Limit">Page size (1..500).</param>
/// <param name="Cursor">Opaque cursor from the previous page.</param>
public sealed record ExecutionListQuery(string Tenant, string Project, int Limit, string? Cursor)
{
    /// <summary>Only this status.</summary>
    public ExecutionStatus? Status { get; init; }
    /// <summary>Only this task.</summary>
    public string? Task { get; init; }
    /// <summary>Only this queue.</summary>
    public string? Queue { get; init; }
    /// <summary>Only children of this parent.</summary>
    public string? ParentId { get; init; }
    /// <summary>Only children of this batch.</summary>
    public string? BatchId { get; init; }
}

/// <summary>One page of a list.</summary>
/// <typeparam name="T">Item type.</typeparam>
/// <param name="Items">The items.</param>
/// <param name="NextCursor">Cursor of the next page, or null at the end.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Lists executions (newest first) from the query index.</summary>
public interface IExecutionQuery
{
    /// <summary>One page; a malformed cursor is a <see cref="FormatException"/>.</summary>
    Task<Page<ExecutionView>> ListAsync(ExecutionListQuery query, CancellationToken cancellationToken);
}
