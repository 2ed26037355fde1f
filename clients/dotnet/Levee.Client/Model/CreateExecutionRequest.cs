using System.Text.Json;

namespace Levee.Client;

/// <summary>Body of <c>POST /v1/executions</c>.</summary>
/// <param name="Task">What to run (required).</param>
/// <param name="Id">A client-chosen id (1–128 of <c>A-Za-z0-9_-.:</c>); generated <c>exe_…</c> when null.</param>
/// <param name="Queue">The queue workers claim it from (default <c>default</c>).</param>
/// <param name="Input">The input, any JSON.</param>
/// <param name="Retry">The retry policy.</param>
/// <param name="Timeouts">Deadlines.</param>
/// <param name="DelayMs">Claimable only this long after creation.</param>
/// <param name="ParentId">An existing execution of the same project.</param>
/// <param name="Tags">Labels.</param>
/// <param name="Metadata">A free-form object.</param>
public sealed record CreateExecutionRequest(
    string Task, string? Id = null, string? Queue = null, JsonElement? Input = null, RetryPolicy? Retry = null, ExecutionTimeouts? Timeouts = null,
    long? DelayMs = null, string? ParentId = null, IReadOnlyList<string>? Tags = null, JsonElement? Metadata = null);
