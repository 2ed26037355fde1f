namespace Levee.Client;

/// <summary>Filters and paging of <c>GET /v1/executions</c>; every field optional.</summary>
/// <param name="Status">Only this status.</param>
/// <param name="Task">Only this task.</param>
/// <param name="Queue">Only this queue.</param>
/// <param name="ParentId">Only children of this execution.</param>
/// <param name="BatchId">Only children of this batch.</param>
/// <param name="Limit">Page size (1–500, default 50).</param>
/// <param name="Cursor">The previous page's <c>nextCursor</c>.</param>
public sealed record ExecutionQuery(
    ExecutionStatus? Status = null, string? Task = null, string? Queue = null, string? ParentId = null, string? BatchId = null, int? Limit = null,
    string? Cursor = null);
