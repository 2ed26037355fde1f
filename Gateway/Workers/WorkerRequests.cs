using System.Text.Json;
using Levee.Executions;

namespace Levee.Gateway.Workers;

/// <summary>Body of <c>POST /v1/queues/{queue}/claim</c>.</summary>
public sealed record ClaimRequest(string? WorkerId, int? Max = null, int? WaitMs = null);

/// <summary>Reply of a claim.</summary>
public sealed record ClaimsResponse(IReadOnlyList<ClaimView> Claims);

/// <summary>Body of <c>POST /v1/executions/{id}/heartbeat</c>.</summary>
public sealed record HeartbeatRequest(string? LeaseId);

/// <summary>Body of <c>POST /v1/executions/{id}/complete</c>.</summary>
public sealed record CompleteRequest(string? LeaseId, JsonElement? Output = null, decimal? Cost = null);

/// <summary>Body of <c>POST /v1/executions/{id}/fail</c>.</summary>
public sealed record FailRequest(string? LeaseId, ExecutionError? Error, bool? Retryable = null, long? RetryAfterMs = null, decimal? Cost = null);

/// <summary>Body of <c>POST /v1/executions/{id}/release</c>.</summary>
public sealed record ReleaseRequest(string? LeaseId);

/// <summary>Body of <c>POST /v1/executions/{id}/wait</c>.</summary>
public sealed record WaitRequest(string? LeaseId, string? BatchId);
