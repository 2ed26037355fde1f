namespace Levee.Client;

/// <summary>The batch resource.</summary>
public sealed record Batch
{
    /// <summary>The id (<c>bat_…</c>).</summary>
    public required string Id { get; init; }
    /// <summary>Its status.</summary>
    public required BatchStatus Status { get; init; }
    /// <summary>Items it has in all.</summary>
    public int RunCount { get; init; }
    /// <summary>Children created so far.</summary>
    public long EnqueuedCount { get; init; }
    /// <summary>True once every index arrived.</summary>
    public bool Sealed { get; init; }
    /// <summary>Children by their current status.</summary>
    public BatchCounts? Counts { get; init; }
    /// <summary>The children's task.</summary>
    public string? Task { get; init; }
    /// <summary>The children's queue.</summary>
    public string? Queue { get; init; }
    /// <summary>Parent execution.</summary>
    public string? ParentId { get; init; }
    /// <summary>Labels.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The ceilings in force.</summary>
    public BatchCeilings? Ceilings { get; init; }
    /// <summary>What its finished children cost.</summary>
    public decimal Spent { get; init; }
    /// <summary>Why it was aborted: <c>cancelled</c>, <c>seal_timeout</c>, <c>deadline</c>, <c>failure_rate</c>, <c>budget</c>.</summary>
    public string? AbortReason { get; init; }
    /// <summary>True while paused.</summary>
    public bool Paused { get; init; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the last item arrived.</summary>
    public DateTimeOffset? SealedAt { get; init; }
    /// <summary>When it became terminal.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>Bumped by every change.</summary>
    public long Version { get; init; }
    /// <summary>Sequence number of the last event in its log.</summary>
    public long LastEventSeq { get; init; }
}

/// <summary>A batch's children by current status.</summary>
/// <param name="Queued">Queued.</param>
/// <param name="Running">Running.</param>
/// <param name="Waiting">Waiting.</param>
/// <param name="Succeeded">Succeeded.</param>
/// <param name="Failed">Failed.</param>
/// <param name="Cancelled">Cancelled.</param>
/// <param name="TimedOut">Timed out.</param>
public sealed record BatchCounts(long Queued, long Running, long Waiting, long Succeeded, long Failed, long Cancelled, long TimedOut);
