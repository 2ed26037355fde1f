using Levee.Gateway.Json;
using System.Text.Json;
using Levee.Executions;

namespace Levee.Gateway.Executions;

// Every request record: each field is nullable, so a missing one reaches the domain, which names
// it in its refusal; the fields without a default are the ones it requires, and the OpenAPI
// document marks those (and only those) required.

/// <summary>Body of <c>POST /v1/executions</c>.</summary>
public sealed record CreateExecutionRequest(
    string? Task, string? Id = null, string? Queue = null, JsonElement? Input = null, RetryPolicy? Retry = null, ExecutionTimeouts? Timeouts = null,
    long? DelayMs = null, string? ParentId = null, IReadOnlyList<string>? Tags = null, JsonElement? Metadata = null);

/// <summary>Body of <c>POST /v1/executions/{id}/status</c>.</summary>
public sealed record StatusRequest(string? Status, string? LeaseId = null, JsonElement? Output = null, ExecutionError? Error = null);

/// <summary>Body of <c>POST /v1/events</c>.</summary>
public sealed record EventsRequest(IReadOnlyList<EventItem?>? Events = null);

/// <summary>One fire-and-forget report.</summary>
public sealed record EventItem(
    string? ExecutionId, string? Status = null, string? Type = null, int? Attempt = null, long? Seq = null, JsonElement? Output = null,
    ExecutionError? Error = null, JsonElement? Data = null, DateTimeOffset? At = null, JsonElement? Cost = null);

/// <summary>Reply of <c>POST /v1/events</c>; <paramref name="CostsIgnored"/>: items whose <c>cost</c> was not a number of at least 0 (the rest of each such item still counts).</summary>
public sealed record EventsAccepted(int Applied, int Ignored, int Unknown, int CostsIgnored = 0);

/// <summary>Body of <c>POST /v1/executions/{id}/output</c>.</summary>
public sealed record OutputRequest(IReadOnlyList<JsonElement>? Chunks, string? LeaseId = null);

/// <summary>Body of <c>POST /v1/executions/{id}/cancel</c>.</summary>
public sealed record CancelRequest(string? Reason = null) : IOptionalBody<CancelRequest>
{
    /// <inheritdoc />
    public static CancelRequest Empty { get; } = new((string?)null);
}
