using Levee.Batches;

namespace Levee.Grains.Executions;

/// <summary>
/// The finished batch a resumed parent carries, as stored in its state row and on its
/// <c>batch_resumed</c> event. Mapped from and to the public <see cref="BatchView"/> here only, so
/// the REST shape can change without changing stored rows (a field the view gains is not stored
/// until it is added here).
/// </summary>
internal sealed record StoredBatchSummary
{
    public required string Id { get; init; }
    public required BatchStatus Status { get; init; }
    public required int RunCount { get; init; }
    public long EnqueuedCount { get; init; }
    public bool Sealed { get; init; }
    public required StoredBatchCounts Counts { get; init; }
    public string? Task { get; init; }
    public required string Queue { get; init; }
    public string? ParentId { get; init; }
    public bool ResumeParent { get; init; }
    public IReadOnlyList<string> Tags { get => field ?? []; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SealedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset SealDeadline { get; init; }
    public long Version { get; init; }
    public long LastEventSeq { get; init; }
    public BatchCeilings? Ceilings { get; init; }
    public decimal Spent { get; init; }
    public AbortReason? AbortReason { get; init; }

    public static StoredBatchSummary From(BatchView view) => new()
    {
        Id = view.Id, Status = view.Status, RunCount = view.RunCount, EnqueuedCount = view.EnqueuedCount, Sealed = view.Sealed,
        Counts = new StoredBatchCounts(view.Counts.Queued, view.Counts.Running, view.Counts.Waiting, view.Counts.Succeeded, view.Counts.Failed,
            view.Counts.Cancelled, view.Counts.TimedOut),
        Task = view.Task, Queue = view.Queue, ParentId = view.ParentId, ResumeParent = view.ResumeParent, Tags = view.Tags, CreatedAt = view.CreatedAt,
        SealedAt = view.SealedAt, CompletedAt = view.CompletedAt, SealDeadline = view.SealDeadline, Version = view.Version, LastEventSeq = view.LastEventSeq,
        Ceilings = view.Ceilings, Spent = view.Spent, AbortReason = view.AbortReason,
    };

    public BatchView ToView() => new()
    {
        Id = Id, Status = Status, RunCount = RunCount, EnqueuedCount = EnqueuedCount, Sealed = Sealed,
        Counts = new BatchCounts
        {
            Queued = Counts.Queued, Running = Counts.Running, Waiting = Counts.Waiting, Succeeded = Counts.Succeeded, Failed = Counts.Failed,
            Cancelled = Counts.Cancelled, TimedOut = Counts.TimedOut,
        },
        Task = Task, Queue = Queue, ParentId = ParentId, ResumeParent = ResumeParent, Tags = Tags, CreatedAt = CreatedAt, SealedAt = SealedAt,
        CompletedAt = CompletedAt, SealDeadline = SealDeadline, Version = Version, LastEventSeq = LastEventSeq,
        Ceilings = Ceilings, Spent = Spent, AbortReason = AbortReason,
    };
}

/// <summary>The children of a <see cref="StoredBatchSummary"/> by status.</summary>
internal sealed record StoredBatchCounts(long Queued, long Running, long Waiting, long Succeeded, long Failed, long Cancelled, long TimedOut);
