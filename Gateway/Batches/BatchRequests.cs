using Levee.Gateway.Json;
using System.Text.Json;
using Levee.Batches;
using Levee.Executions;

namespace Levee.Gateway.Batches;

/// <summary>Body of <c>POST /v1/batches</c>.</summary>
public sealed record CreateBatchRequest(int? RunCount, string? Task = null, string? Queue = null, RetryPolicy? Retry = null,
    ExecutionTimeouts? Timeouts = null, string? ParentId = null, bool? ResumeParent = null, long? SealTimeoutMs = null,
    IReadOnlyList<string>? Tags = null, JsonElement? Metadata = null, BatchCeilings? Ceilings = null);

/// <summary>One NDJSON line of Phase 2.</summary>
public sealed record BatchItemLine(int? Index, string? Task = null, JsonElement? Input = null, BatchItemOptions? Options = null);

/// <summary>Per-item options.</summary>
public sealed record BatchItemOptions(string? IdempotencyKey = null, IReadOnlyList<string>? Tags = null, JsonElement? Metadata = null);

/// <summary>Reply of Phase 2.</summary>
public sealed record ItemsResponse(string Id, bool Sealed, long ItemsAccepted, long ItemsDeduplicated, long EnqueuedCount, int RunCount,
    IReadOnlyList<int> Missing, BatchStatus Status);

/// <summary>A page of a batch's children.</summary>
public sealed record ChildrenPage(IReadOnlyList<ExecutionView> Items, string? NextCursor);
