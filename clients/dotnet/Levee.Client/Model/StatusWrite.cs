using System.Text.Json;

namespace Levee.Client;

/// <summary>Body of the strict status write.</summary>
/// <param name="Status">The new status (<c>running</c> or terminal).</param>
/// <param name="LeaseId">The worker's lease, when a worker writes.</param>
/// <param name="Output">The output of <c>succeeded</c>.</param>
/// <param name="Error">The error of a failure.</param>
public sealed record StatusWrite(ExecutionStatus Status, string? LeaseId = null, JsonElement? Output = null, ExecutionError? Error = null);
