using System.Text.Json;

namespace Levee.Client;

/// <summary>Body of <c>POST /v1/batches</c> (phase 1).</summary>
/// <param name="RunCount">How many items (children) it will have: 1–1,000,000.</param>
/// <param name="Task">The children's task (an item may override it).</param>
/// <param name="Queue">The children's queue.</param>
/// <param name="Retry">The children's retry policy.</param>
/// <param name="Timeouts">The children's deadlines.</param>
/// <param name="ParentId">An existing execution of the same project.</param>
/// <param name="ResumeParent">Make the parent wait for this batch.</param>
/// <param name="SealTimeoutMs">Aborted when not every item arrived by then (default 1 h).</param>
/// <param name="Tags">Labels.</param>
/// <param name="Metadata">A free-form object.</param>
/// <param name="Ceilings">What stops it early.</param>
public sealed record CreateBatchRequest(
    int RunCount, string? Task = null, string? Queue = null, RetryPolicy? Retry = null, ExecutionTimeouts? Timeouts = null, string? ParentId = null,
    bool? ResumeParent = null, long? SealTimeoutMs = null, IReadOnlyList<string>? Tags = null, JsonElement? Metadata = null, BatchCeilings? Ceilings = null);
