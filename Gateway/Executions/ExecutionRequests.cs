using Levee.Gateway.Json;
using System.Text.Json;
using Levee.Executions;

namespace Levee.Gateway.Executions;

/// <summary>Body of <c>POST /v1/executions</c>; every field optional here so the domain can name what is missing.</summary>
public sealed record CreateExecutionRequest(
    string? Id, string? Task, string? Queue, JsonElement? Input, RetryPolicy? Retry, ExecutionTimeouts? Timeouts,
    long? DelayMs, string? ParentId, IReadOnlyList<string>? Tags, JsonElement? Metadata);

/// <summary>Body of <c>POST /v1/executions/{id}/status</c>.</summary>
public sealed record StatusRequest(string? Status, string? LeaseId, JsonElement? Output, ExecutionError? Error);

/// <summary>Body of <c>POST /v1/events</c>.</summary>
public sealed record EventsRequest(IReadOnlyList<EventItem?>? Events);

/// <summary>One fire-and-forget report.</summary>
public sealed record EventItem(
    string? ExecutionId, string? Status, string? Type, int? Attempt, long? Seq, JsonElement? Output, ExecutionError? Error,
    JsonElement? Data, DateTimeOffset? At, JsonElement? Cost);

/// <summary>Reply of <c>POST /v1/events</c>; <paramref name="CostsIgnored"/>: items whose <c>cost</c> was not a number of at least 0 (the rest of each such item still counts).</summary>
public sealed record EventsAccepted(int Applied, int Ignored, int Unknown, int CostsIgnored = 0);

/// <summary>Body of <c>POST /v1/executions/{id}/output</c>.</summary>
public sealed record OutputRequest(string? LeaseId, IReadOnlyList<JsonElement>? Chunks);

/// <summary>Body of <c>POST /v1/executions/{id}/cancel</c>.</summary>
public sealed record CancelRequest(string? Reason) : IOptionalBody<CancelRequest>
{
    /// <inheritdoc />
    public static CancelRequest Empty { get; } = new((string?)null);
}
