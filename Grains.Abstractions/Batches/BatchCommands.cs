using System.Text.Json;
using Levee.Errors;
using Levee.Executions;

namespace Levee.Batches;

/// <summary>Phase 1: creates a batch that will accept <see cref="RunCount"/> items.</summary>
public sealed record CreateBatch
{
    /// <summary>Default seal timeout: 1 hour.</summary>
    public const long DefaultSealTimeoutMs = 3_600_000;

    /// <summary>The batch id.</summary>
    public required string Id { get; init; }
    /// <summary>Distinct item indexes expected (0 .. runCount-1).</summary>
    public required int RunCount { get; init; }
    /// <summary>Default task of the children.</summary>
    public string? Task { get; init; }
    /// <summary>Queue of the children.</summary>
    public string Queue { get; init; } = "default";
    /// <summary>Children's retry policy.</summary>
    public RetryPolicy? Retry { get; init; }
    /// <summary>Children's timeouts.</summary>
    public ExecutionTimeouts? Timeouts { get; init; }
    /// <summary>Parent execution to resume when the batch is terminal.</summary>
    public string? ParentId { get; init; }
    /// <summary>Whether the parent is resumed.</summary>
    public bool ResumeParent { get; init; }
    /// <summary>Abort when not sealed within this.</summary>
    public long SealTimeoutMs { get; init; } = DefaultSealTimeoutMs;
    /// <summary>Labels.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
    /// <summary>Free-form object.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>Checks every field against <paramref name="maxRunCount"/>; the first problem or null.</summary>
    public Rejection? Validate(int maxRunCount)
    {
        if (!ExecutionIds.IsValid(Id))
        {
            return Rejection.Invalid("id", "id must be 1-128 characters of A-Za-z0-9_-.:");
        }
        if (RunCount < 1 || RunCount > maxRunCount)
        {
            return RunCount > maxRunCount
                ? new Rejection(ErrorCodes.PayloadTooLarge, $"runCount must be at most {maxRunCount}.") { Field = "runCount" }
                : Rejection.Invalid("runCount", $"runCount must be between 1 and {maxRunCount}.");
        }
        if (SealTimeoutMs is <= 0 or > CreateExecution.MaxDurationMs)
        {
            return Rejection.Invalid("sealTimeoutMs", "sealTimeoutMs must be positive and at most 30 days.");
        }
        if (ResumeParent && ParentId is null)
        {
            return Rejection.Invalid("resumeParent", "resumeParent needs a parentId.");
        }
        // The children inherit these: validate them as a child would be.
        return new CreateExecution { Id = "x", Task = Task ?? "x", Queue = Queue, Retry = Retry, Timeouts = Timeouts, ParentId = ParentId, Tags = Tags, Metadata = Metadata }
            .Validate();
    }
}

/// <summary>One NDJSON line of Phase 2, parsed.</summary>
/// <param name="Index">0 .. runCount-1.</param>
/// <param name="Task">Overrides the batch's task.</param>
/// <param name="Input">The child's input.</param>
/// <param name="Tags">Child labels.</param>
/// <param name="Metadata">Child metadata.</param>
public sealed record BatchItem(int Index, string? Task, JsonElement? Input, IReadOnlyList<string>? Tags = null, JsonElement? Metadata = null);

/// <summary>A chunk of Phase-2 items, accepted in one commit.</summary>
/// <param name="Items">Parsed, range-checked items, in line order.</param>
public sealed record AcceptItems(IReadOnlyList<BatchItem> Items);

/// <summary>What one chunk did.</summary>
/// <param name="Accepted">New indexes that created a child.</param>
/// <param name="Deduplicated">Indexes already accepted (or repeated in the chunk).</param>
/// <param name="Batch">The batch after the chunk.</param>
public sealed record ItemsAccepted(int Accepted, int Deduplicated, BatchView Batch);

/// <summary>Aborts the batch and cancels its created children.</summary>
/// <param name="Reason">Why.</param>
public sealed record CancelBatch(string? Reason = null);
