using System.Text.Json;

namespace Levee.Executions;

/// <summary>A strict status write: rejected with a typed reason when the transition is not allowed.</summary>
/// <param name="Status">The new status.</param>
/// <param name="LeaseId">The writer's lease, if it holds one.</param>
/// <param name="Output">Output, for <c>succeeded</c>.</param>
/// <param name="Error">Error, for <c>failed</c>.</param>
public sealed record WriteStatus(ExecutionStatus Status, string? LeaseId = null, JsonElement? Output = null, ExecutionError? Error = null);
