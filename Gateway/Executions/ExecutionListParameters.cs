using Levee.Gateway.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace Levee.Gateway.Executions;

/// <summary>The query of <c>GET /v1/executions</c>, as strings: the handler parses them, so a bad value is a problem naming it.</summary>
/// <param name="Limit">Page size, 1 to 500 (default 50).</param>
/// <param name="Status">Only executions in this status.</param>
/// <param name="Cursor">Where the previous page ended.</param>
/// <param name="Task">Only executions of this task.</param>
/// <param name="Queue">Only executions on this queue.</param>
/// <param name="ParentId">Only children of this execution.</param>
/// <param name="BatchId">Only children of this batch.</param>
public readonly record struct ExecutionListParameters(
    [FromQuery(Name = "limit"), IntegerQuery(1, Maximum = ExecutionsApi.MaxPageSize)] string? Limit,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "task")] string? Task,
    [FromQuery(Name = "queue")] string? Queue,
    [FromQuery(Name = "parentId")] string? ParentId,
    [FromQuery(Name = "batchId")] string? BatchId);
