using System.Security.Cryptography;
using System.Text.Json;
using Levee.Errors;

namespace Levee.Executions;

/// <summary>Creates an execution (queued). Repeating it with the same definition is a replay.</summary>
[GenerateSerializer, Immutable, Alias("Levee.CreateExecution")]
public sealed record CreateExecution
{
    /// <summary>Longest task or queue name.</summary>
    public const int MaxNameLength = 200;
    /// <summary>Most tags on one execution.</summary>
    public const int MaxTags = 32;
    /// <summary>Longest delay or timeout: 30 days.</summary>
    public const long MaxDurationMs = 30L * 24 * 3600 * 1000;

    /// <summary>The execution id (see <see cref="ExecutionIds"/>).</summary>
    [Id(0)]
    public required string Id { get; init; }
    /// <summary>What to run; workers dispatch on it.</summary>
    [Id(1)]
    public required string Task { get; init; }
    /// <summary>The queue workers claim from.</summary>
    [Id(2)]
    public string Queue { get; init; } = "default";
    /// <summary>Input for the worker, any JSON.</summary>
    [Id(3)]
    public JsonElement? Input { get; init; }
    /// <summary>Retry policy; null = <see cref="RetryPolicy.Default"/>.</summary>
    [Id(4)]
    public RetryPolicy? Retry { get; init; }
    /// <summary>Timeouts; null = none.</summary>
    [Id(5)]
    public ExecutionTimeouts? Timeouts { get; init; }
    /// <summary>Delay before the execution becomes available to workers.</summary>
    [Id(6)]
    public long? DelayMs { get; init; }
    /// <summary>The parent execution, if any.</summary>
    [Id(7)]
    public string? ParentId { get; init; }
    /// <summary>Free-form labels.</summary>
    [Id(8)]
    public IReadOnlyList<string>? Tags { get; init; }
    /// <summary>Free-form JSON object.</summary>
    [Id(9)]
    public JsonElement? Metadata { get; init; }
    /// <summary>The batch that created this execution (set by the batch, not by clients).</summary>
    [Id(10)]
    public string? BatchId { get; init; }
    /// <summary>The item index within the batch.</summary>
    [Id(11)]
    public int? BatchIndex { get; init; }
    /// <summary>The Idempotency-Key the client sent (recorded on the resource; set by the idempotency grain that claimed it).</summary>
    [Id(12)]
    public string? IdempotencyKey { get; init; }
    /// <summary>Set by a batch with <c>ceilings.maxConcurrency</c> on its children: the child tells its queue when it stops holding a lease, so a waiting child is claimed at once.</summary>
    [Id(13)]
    public bool ConcurrencyCapped { get; init; }

    /// <summary>Checks every field; returns the first problem, or null.</summary>
    public Rejection? Validate()
    {
        if (!ExecutionIds.IsValid(Id))
        {
            return Rejection.Invalid("id", "id must be 1-128 characters of A-Za-z0-9_-.:");
        }
        if (BatchId is null && ExecutionIds.IsReservedForBatches(Id))
        {
            return Rejection.Invalid("id", $"ids starting with '{ExecutionIds.BatchPrefix}_' are reserved for batches and their children.");
        }
        if (ParentId is not null && ParentId == Id)
        {
            return Rejection.Invalid("parentId", "an execution cannot be its own parent.");
        }
        // A create's task is required; the rest of its task, tag and metadata rules are an item's.
        if (ValidateItemFields(Task ?? "", Tags, Metadata) is { } item)
        {
            return item;
        }
        if (DelayMs is < 0 or > MaxDurationMs)
        {
            return Rejection.Invalid("delayMs", $"delayMs must be between 0 and {MaxDurationMs}.");
        }
        return ValidateInheritedFields(Queue, ParentId, Retry, Timeouts);
    }

    /// <summary>
    /// The fields a batch gives every child it creates, checked by the same rules as a create's
    /// (a batch checks them once, on its own create); returns the first problem, or null.
    /// </summary>
    public static Rejection? ValidateInheritedFields(string queue, string? parentId, RetryPolicy? retry, ExecutionTimeouts? timeouts)
    {
        if (!ExecutionIds.IsValid(queue))
        {
            return Rejection.Invalid("queue", "queue must be 1-128 characters of A-Za-z0-9_-.:");
        }
        if (parentId is not null && !ExecutionIds.IsValid(parentId))
        {
            return Rejection.Invalid("parentId", "parentId must be a valid execution id.");
        }
        if (retry is { } r)
        {
            if (r.MaxAttempts is < 1 or > 100)
            {
                return Rejection.Invalid("retry.maxAttempts", "retry.maxAttempts must be between 1 and 100.");
            }
            if (r.InitialDelayMs < 0 || r.InitialDelayMs > MaxDurationMs || r.MaxDelayMs < r.InitialDelayMs || r.MaxDelayMs > MaxDurationMs)
            {
                return Rejection.Invalid("retry", "retry delays must satisfy 0 <= initialDelayMs <= maxDelayMs <= 30 days.");
            }
            if (double.IsNaN(r.BackoffFactor) || r.BackoffFactor is < 1 or > 10)
            {
                return Rejection.Invalid("retry.backoffFactor", "retry.backoffFactor must be between 1 and 10.");
            }
        }
        if (timeouts is { } t && (t.ExecutionMs is <= 0 or > MaxDurationMs || t.HeartbeatMs is <= 0 or > MaxDurationMs))
        {
            return Rejection.Invalid("timeouts", "timeouts must be positive and at most 30 days.");
        }
        return null;
    }

    /// <summary>
    /// The fields a batch item may set on its child (each optional there: the batch supplies the
    /// rest), checked by the same rules as a create; returns the first problem, or null.
    /// </summary>
    public static Rejection? ValidateItemFields(string? task, IReadOnlyList<string>? tags, JsonElement? metadata)
    {
        if (task is not null && (string.IsNullOrWhiteSpace(task) || task.Length > MaxNameLength))
        {
            return Rejection.Invalid("task", $"task is required and at most {MaxNameLength} characters.");
        }
        if (task is not null && task.Any(char.IsControl))
        {
            return Rejection.Invalid("task", "task must not contain control characters (such as U+0000).");
        }
        if (tags is not null && (tags.Count > MaxTags || tags.Any(tag => string.IsNullOrEmpty(tag) || tag.Length > 64)))
        {
            return Rejection.Invalid("tags", $"at most {MaxTags} tags of 1-64 characters.");
        }
        if (metadata is { } m && m.ValueKind != JsonValueKind.Object)
        {
            return Rejection.Invalid("metadata", "metadata must be a JSON object.");
        }
        return null;
    }

    /// <summary>
    /// A hash of the definition (everything but the id and the idempotency key): two creates with
    /// the same fingerprint describe the same execution.
    /// </summary>
    public string Fingerprint()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this with { Id = "", IdempotencyKey = null }, AbstractionsJsonContext.Default.CreateExecution);
        return Convert.ToHexString(SHA256.HashData(json));
    }
}
