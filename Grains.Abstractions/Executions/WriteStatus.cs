using System.Text.Json;

namespace Levee.Executions;

/// <summary>A strict status write: rejected with a typed reason when the transition is not allowed.</summary>
/// <param name="Status">The new status.</param>
/// <param name="LeaseId">The writer's lease, if it holds one.</param>
/// <param name="Output">Output, for <c>succeeded</c>.</param>
/// <param name="Error">Error, for <c>failed</c>.</param>
[GenerateSerializer, Immutable, Alias("Levee.WriteStatus")]
public sealed record WriteStatus(
    [property: Id(0)] ExecutionStatus Status,
    [property: Id(1)] string? LeaseId = null,
    [property: Id(2)] JsonElement? Output = null,
    [property: Id(3)] ExecutionError? Error = null);
