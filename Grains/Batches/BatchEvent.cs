using System.Text.Json.Serialization;
using Levee.Batches;
using Levee.Executions;

namespace Levee.Grains.Batches;

/// <summary>A fact the batch decider produced; <see cref="LogType"/> is its type on the batch's stream.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(BatchCreated), "created")]
[JsonDerivedType(typeof(BatchItemsAccepted), "items_accepted")]
[JsonDerivedType(typeof(BatchSealed), "sealed")]
[JsonDerivedType(typeof(BatchChildFinished), "child_finished")]
[JsonDerivedType(typeof(BatchFinished), "finished")]
[JsonDerivedType(typeof(BatchAborted), "aborted")]
[JsonDerivedType(typeof(BatchParentAttached), "parent_attached")]
[JsonDerivedType(typeof(BatchPauseSet), "pause")]
[JsonDerivedType(typeof(BatchDeleteRequested), "delete_requested")]
[JsonDerivedType(typeof(BatchChildrenPurged), "children_purged")]
[JsonDerivedType(typeof(BatchDeleted), "deleted")]
internal abstract record BatchEvent(DateTimeOffset At)
{
    [JsonIgnore]
    public abstract string LogType { get; }
}

/// <summary>Phase 1. <see cref="Ceilings"/> are the ones in force: the request's, each unset one from the configured defaults.</summary>
internal sealed record BatchCreated(DateTimeOffset At, CreateBatch Spec, [property: JsonIgnore] string Fingerprint, BatchCeilings? Ceilings = null)
    : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => "created";
}

/// <summary>A Phase-2 chunk: <see cref="NewItems"/> created children (not streamed: it can hold thousands).</summary>
internal sealed record BatchItemsAccepted(DateTimeOffset At, int Accepted, int Deduplicated, long EnqueuedCount, [property: JsonIgnore] IReadOnlyList<BatchItem> NewItems)
    : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => "items_accepted";
}

internal sealed record BatchSealed(DateTimeOffset At, long EnqueuedCount) : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => "sealed";
}

/// <summary>A child is terminal; <see cref="Cost"/> is what it reported over all its attempts (null: nothing).</summary>
internal sealed record BatchChildFinished(DateTimeOffset At, int Index, ExecutionStatus Outcome, decimal? Cost = null) : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => "child_finished";
}

/// <summary>Every child is terminal: completed, partial_failed or failed.</summary>
internal sealed record BatchFinished(DateTimeOffset At, BatchStatus Status, long Succeeded, long Failed, long Cancelled, long TimedOut) : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => Status is BatchStatus.Completed or BatchStatus.PartialFailed or BatchStatus.Failed
        ? Status.ToWire()
        : throw new InvalidOperationException($"A batch cannot finish as '{Status.ToWire()}' — a bug.");
}

/// <summary>Aborted: <see cref="Reason"/> is typed, <see cref="Detail"/> says it in words (a caller's cancel reason, the ceiling crossed).</summary>
internal sealed record BatchAborted(DateTimeOffset At, AbortReason Reason, string Detail, long EnqueuedCount) : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => BatchStatus.Aborted.ToWire();
}

/// <summary>A parent execution waits for this batch and is resumed when it is terminal.</summary>
internal sealed record BatchParentAttached(DateTimeOffset At, string ParentId) : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => "parent_attached";
}

/// <summary>An operator paused (<c>paused</c> on the log) or resumed (<c>resumed</c>) the batch.</summary>
internal sealed record BatchPauseSet(DateTimeOffset At, bool Paused, string? Reason) : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => Paused ? "paused" : "resumed";
}

/// <summary>The batch was deleted (a request, or its retention ran out): from now on it is gone for every caller.</summary>
internal sealed record BatchDeleteRequested(DateTimeOffset At) : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => "delete_requested";
}

/// <summary>A page of the deleted batch's children was removed (<see cref="Indexes"/>: theirs).</summary>
internal sealed record BatchChildrenPurged(DateTimeOffset At, [property: JsonIgnore] IReadOnlyList<int> Indexes) : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => "children_purged";

    /// <summary>How many children the page removed (what the log shows).</summary>
    public int Count => Indexes.Count;
}

/// <summary>No child is left: the batch's own row, log, timers and rows go; it folds to no state.</summary>
internal sealed record BatchDeleted(DateTimeOffset At) : BatchEvent(At)
{
    [JsonIgnore]
    public override string LogType => "deleted";
}
