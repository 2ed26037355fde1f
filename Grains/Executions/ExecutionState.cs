using System.Text.Json;
using Levee.Executions;
using Levee.Grains.Serialization;

namespace Levee.Grains.Executions;

/// <summary>
/// An execution's full state, as folded from its events and stored in its state row. Collections
/// read as empty when a row lacks them (rows leave out what is empty; see <see cref="Serialization.StoredStateJson"/>).
/// </summary>
internal sealed record ExecutionState
{
    public required string Id { get; init; }
    public required string Task { get; init; }
    public required string Queue { get; init; }
    public required ExecutionStatus Status { get; init; }
    public int Attempt { get; init; }
    public RetryPolicy Retry { get => field ?? RetryPolicy.Default; init; }
    public ExecutionTimeouts? Timeouts { get; init; }
    public JsonElement? Input { get; init; }
    public JsonElement? Output { get; init; }
    public ExecutionError? Error { get; init; }
    public string? ParentId { get; init; }
    public string? BatchId { get; init; }
    public int? BatchIndex { get; init; }
    public IReadOnlyList<string> Tags { get => field ?? []; init; }
    public JsonElement? Metadata { get; init; }
    public string? IdempotencyKey { get; init; }
    /// <summary>Fingerprint of the create request: a repeat with the same one is a replay (null for a batch child, which is never created again).</summary>
    public string? Fingerprint { get; init; }
    /// <summary>When it may be claimed; a row that lacks it was available from creation.</summary>
    [SameAs(nameof(CreatedAt))]
    public DateTimeOffset AvailableAt { get => field == default ? CreatedAt : field; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>The last change; a row that lacks it was never changed after creation.</summary>
    [SameAs(nameof(CreatedAt))]
    public DateTimeOffset UpdatedAt { get => field == default ? CreatedAt : field; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public bool CancelRequested { get; init; }
    /// <summary>Sequence numbers of reports seen for <see cref="Attempt"/>.</summary>
    public SeqWindow Reports { get => field ?? SeqWindow.Empty; init; }
    /// <summary>Seq of the report that set the current status (orders equal-rank statuses).</summary>
    public long? StatusSeq { get; init; }
    /// <summary>The worker of the current (or last) attempt.</summary>
    public string? WorkerId { get; init; }
    /// <summary>The lease of the current (or last) attempt; active only while running and not ended.</summary>
    public string? LeaseId { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    /// <summary>How the last attempt ended (null while it runs).</summary>
    public AttemptEnd? AttemptEnd { get; init; }
    public IReadOnlyList<StoredApproval> Approvals { get => field ?? []; init; }
    public WaitingFor? WaitingFor { get; init; }
    public StoredBatchSummary? BatchSummary { get; init; }
    /// <summary>A child of a batch with <c>ceilings.maxConcurrency</c>: it wakes its queue whenever it stops holding a lease.</summary>
    public bool ConcurrencyCapped { get; init; }
    /// <summary>Reported cost, summed over attempts; null: nothing reported.</summary>
    public decimal? Cost { get; init; }

    /// <summary>True when <paramref name="leaseId"/> is the live lease at <paramref name="now"/>.</summary>
    public bool HoldsLease(string leaseId, DateTimeOffset now) =>
        Status == ExecutionStatus.Running && AttemptEnd is null && LeaseId == leaseId && LeaseExpiresAt > now;

    /// <summary>How long a lease lasts without a heartbeat.</summary>
    public TimeSpan LeaseDuration => TimeSpan.FromMilliseconds(Timeouts?.HeartbeatMs ?? ExecutionDefaults.HeartbeatMs);

    /// <summary>When the execution times out (its creation plus <c>timeouts.executionMs</c>), if it has a deadline.</summary>
    public DateTimeOffset? DeadlineAt => Timeouts?.ExecutionMs is { } ms ? CreatedAt.AddMilliseconds(ms) : null;

    /// <summary>The resource clients see, with the storage-owned counters.</summary>
    public ExecutionView ToView(long version, long lastEventSeq) => new()
    {
        Id = Id, Task = Task, Queue = Queue, Status = Status, Attempt = Attempt, MaxAttempts = Retry.MaxAttempts,
        Input = Input, Output = Output, Error = Error, ParentId = ParentId, BatchId = BatchId, BatchIndex = BatchIndex, Tags = Tags, Metadata = Metadata,
        IdempotencyKey = IdempotencyKey, AvailableAt = AvailableAt, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
        StartedAt = StartedAt, CompletedAt = CompletedAt, CancelRequested = CancelRequested, Approvals = Approvals.Count == 0 ? [] : [.. Approvals.Select(a => a.ToView())], WaitingFor = WaitingFor, BatchSummary = BatchSummary?.ToView(),
        Version = version, LastEventSeq = lastEventSeq, Cost = Cost, Timeouts = Timeouts, DeadlineAt = DeadlineAt,
    };
}
