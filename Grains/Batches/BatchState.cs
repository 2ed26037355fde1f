using System.Text.Json;
using Levee.Batches;
using Levee.Executions;

namespace Levee.Grains.Batches;

/// <summary>A batch's state as folded from its events. Collections read as empty when a row lacks them.</summary>
internal sealed record BatchState
{
    public required string Id { get; init; }
    public required BatchStatus Status { get; init; }
    public required int RunCount { get; init; }
    public string? Task { get; init; }
    public required string Queue { get; init; }
    public RetryPolicy? Retry { get; init; }
    public ExecutionTimeouts? Timeouts { get; init; }
    public string? ParentId { get; init; }
    public bool ResumeParent { get; init; }
    public long SealTimeoutMs { get; init; }
    public IReadOnlyList<string> Tags { get => field ?? []; init; }
    public JsonElement? Metadata { get; init; }
    public required string Fingerprint { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? SealedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>Distinct indexes accepted (= children created).</summary>
    public long Accepted { get; init; }
    public long Succeeded { get; init; }
    public long Failed { get; init; }
    public long Cancelled { get; init; }
    public long TimedOut { get; init; }
    /// <summary>The ceilings in force (null: none).</summary>
    public BatchCeilings? Ceilings { get; init; }
    /// <summary>The children's reported cost, summed once per child (also after an abort).</summary>
    public decimal Spent { get; init; }
    /// <summary>Children counted as failed (or timed out) since the last one counted as succeeded.</summary>
    public int ConsecutiveFailures { get; init; }
    /// <summary>Why it was aborted; null unless aborted.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(StoredAbortReasonConverter))]
    public AbortReason? AbortReason { get; init; }
    /// <summary>True while an operator has it paused: claims hand out none of its children.</summary>
    public bool Paused { get; init; }
    /// <summary>The abort in words (the cancel's reason, the ceiling crossed).</summary>
    public string? AbortDetail { get; init; }
    /// <summary>Executions waiting for this batch (trigger-and-wait), resumed once it is terminal; besides <see cref="ParentId"/>.</summary>
    public IReadOnlyList<string> Waiters { get => field ?? []; init; }
    /// <summary>Set when the batch was deleted: it is gone for every caller while its children are removed a page at a time.</summary>
    public DateTimeOffset? DeletingAt { get; init; }
    /// <summary>Pages of children removed so far (moves the purge timer, so each page's commit sets it again).</summary>
    public long PurgedPages { get; init; }

    public bool Sealed => SealedAt is not null;
    public long Finished => Succeeded + Failed + Cancelled + TimedOut;
    public bool IsTerminal => Status >= BatchStatus.Completed;
    public DateTimeOffset SealDeadline => CreatedAt.AddMilliseconds(SealTimeoutMs);
    /// <summary>When <c>ceilings.deadlineMs</c> aborts the batch; null without one.</summary>
    public DateTimeOffset? Deadline => Ceilings?.DeadlineMs is { } ms ? CreatedAt.AddMilliseconds(ms) : null;
    /// <summary>Children that count against <c>maxFailureRate</c>: failed and timed out (a cancel is a decision, not a failure).</summary>
    public long FailedOrTimedOut => Failed + TimedOut;

    /// <summary>Every execution to resume when the batch is terminal: the parent (if it asked) and the waiters, each once.</summary>
    public IEnumerable<string> ToResume() => (ResumeParent && ParentId is not null ? Waiters.Prepend(ParentId) : Waiters).Distinct(StringComparer.Ordinal);

    public BatchView ToView(long version, long lastEventSeq, BatchCounts? live = null) => new()
    {
        Id = Id, Status = Status, RunCount = RunCount, EnqueuedCount = Accepted, Sealed = Sealed, Task = Task, Queue = Queue,
        ParentId = ParentId, ResumeParent = ResumeParent, Tags = Tags, CreatedAt = CreatedAt, SealedAt = SealedAt, CompletedAt = CompletedAt,
        SealDeadline = SealDeadline, Version = version, LastEventSeq = lastEventSeq, Ceilings = Ceilings, Spent = Spent, AbortReason = AbortReason, Paused = Paused,
        Counts = live ?? new BatchCounts
        {
            Queued = Accepted - Finished, Succeeded = Succeeded, Failed = Failed, Cancelled = Cancelled, TimedOut = TimedOut,
        },
    };
}
