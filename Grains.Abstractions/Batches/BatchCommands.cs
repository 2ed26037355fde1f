using System.Text.Json;
using Levee.Errors;
using Levee.Executions;

namespace Levee.Batches;

/// <summary>Phase 1: creates a batch that will accept <see cref="RunCount"/> items.</summary>
[GenerateSerializer, Immutable, Alias("Levee.CreateBatch")]
public sealed record CreateBatch
{
    /// <summary>Default seal timeout: 1 hour.</summary>
    public const long DefaultSealTimeoutMs = 3_600_000;

    /// <summary>The batch id.</summary>
    [Id(0)]
    public required string Id { get; init; }
    /// <summary>Distinct item indexes expected (0 .. runCount-1).</summary>
    [Id(1)]
    public required int RunCount { get; init; }
    /// <summary>Default task of the children.</summary>
    [Id(2)]
    public string? Task { get; init; }
    /// <summary>Queue of the children.</summary>
    [Id(3)]
    public string Queue { get; init; } = "default";
    /// <summary>Children's retry policy.</summary>
    [Id(4)]
    public RetryPolicy? Retry { get; init; }
    /// <summary>Children's timeouts.</summary>
    [Id(5)]
    public ExecutionTimeouts? Timeouts { get; init; }
    /// <summary>Parent execution to resume when the batch is terminal.</summary>
    [Id(6)]
    public string? ParentId { get; init; }
    /// <summary>Whether the parent is resumed.</summary>
    [Id(7)]
    public bool ResumeParent { get; init; }
    /// <summary>Abort when not sealed within this.</summary>
    [Id(8)]
    public long SealTimeoutMs { get; init; } = DefaultSealTimeoutMs;
    /// <summary>Labels.</summary>
    [Id(9)]
    public IReadOnlyList<string>? Tags { get; init; }
    /// <summary>Free-form object.</summary>
    [Id(10)]
    public JsonElement? Metadata { get; init; }
    /// <summary>What bounds the batch once it runs (unset ones come from <c>Levee:Grains:Batch:*</c>).</summary>
    [Id(11)]
    public BatchCeilings? Ceilings { get; init; }

    /// <summary>Checks every field against <paramref name="maxRunCount"/> and the largest <paramref name="maxConcurrency"/>; the first problem or null.</summary>
    public Rejection? Validate(int maxRunCount, int maxConcurrency = BatchCeilings.DefaultMaxConcurrency)
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
        // The children inherit these: validate them as a child's would be.
        return CreateExecution.ValidateItemFields(Task, Tags, Metadata)
            ?? CreateExecution.ValidateInheritedFields(Queue, ParentId, Retry, Timeouts)
            ?? Ceilings?.Validate(RunCount, maxConcurrency);
    }
}

/// <summary>One NDJSON line of Phase 2, parsed.</summary>
/// <param name="Index">0 .. runCount-1.</param>
/// <param name="Task">Overrides the batch's task.</param>
/// <param name="Input">The child's input.</param>
/// <param name="Tags">Child labels.</param>
/// <param name="Metadata">Child metadata.</param>
[GenerateSerializer, Immutable, Alias("Levee.BatchItem")]
public sealed record BatchItem(
    [property: Id(0)] int Index,
    [property: Id(1)] string? Task,
    [property: Id(2)] JsonElement? Input,
    [property: Id(3)] IReadOnlyList<string>? Tags = null,
    [property: Id(4)] JsonElement? Metadata = null);

/// <summary>A chunk of Phase-2 items, accepted in one commit.</summary>
/// <param name="Items">Parsed, range-checked items, in line order.</param>
[GenerateSerializer, Immutable, Alias("Levee.AcceptItems")]
public sealed record AcceptItems([property: Id(0)] IReadOnlyList<BatchItem> Items)
{
    /// <summary>Most items in one chunk.</summary>
    public const int MaxItems = 1000;

    /// <summary>Most NDJSON bytes read into one chunk: a grain call carries a bounded message (the last line may add up to one line limit).</summary>
    public const int MaxBytes = 2 * 1024 * 1024;
}

/// <summary>What one chunk did.</summary>
/// <param name="Accepted">New indexes that created a child.</param>
/// <param name="Deduplicated">Indexes already accepted (or repeated in the chunk).</param>
/// <param name="Batch">The batch after the chunk.</param>
[GenerateSerializer, Immutable, Alias("Levee.ItemsAccepted")]
public sealed record ItemsAccepted([property: Id(0)] int Accepted, [property: Id(1)] int Deduplicated, [property: Id(2)] BatchView Batch);

/// <summary>Aborts the batch and cancels its created children.</summary>
/// <param name="Reason">Why.</param>
[GenerateSerializer, Immutable, Alias("Levee.CancelBatch")]
public sealed record CancelBatch([property: Id(0)] string? Reason = null);

/// <summary>Pauses the batch: claims hand out none of its children until it is resumed.</summary>
/// <param name="Reason">Why (recorded on the batch's log).</param>
[GenerateSerializer, Immutable, Alias("Levee.PauseBatch")]
public sealed record PauseBatch([property: Id(0)] string? Reason = null);

/// <summary>Resumes a paused batch.</summary>
/// <param name="Reason">Why (recorded on the batch's log).</param>
[GenerateSerializer, Immutable, Alias("Levee.ResumeBatch")]
public sealed record ResumeBatch([property: Id(0)] string? Reason = null);
