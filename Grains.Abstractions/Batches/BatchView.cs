namespace Levee.Batches;

/// <summary>Children by status.</summary>
[GenerateSerializer, Immutable, Alias("Levee.BatchCounts")]
public sealed record BatchCounts
{
    /// <summary>Queued: waiting to be claimed (from the batch's own counts, before the live ones are read: every child not finished).</summary>
    [Id(0)]
    public long Queued { get; init; }
    /// <summary>Running: holding a lease (what <c>ceilings.maxConcurrency</c> bounds).</summary>
    [Id(1)]
    public long Running { get; init; }
    /// <summary>Waiting: suspended for an approval or a batch.</summary>
    [Id(2)]
    public long Waiting { get; init; }
    /// <summary>Succeeded.</summary>
    [Id(3)]
    public long Succeeded { get; init; }
    /// <summary>Failed.</summary>
    [Id(4)]
    public long Failed { get; init; }
    /// <summary>Cancelled.</summary>
    [Id(5)]
    public long Cancelled { get; init; }
    /// <summary>Timed out.</summary>
    [Id(6)]
    public long TimedOut { get; init; }
}

/// <summary>The batch resource.</summary>
[GenerateSerializer, Immutable, Alias("Levee.BatchView")]
public sealed record BatchView
{
    /// <summary>Id.</summary>
    [Id(0)]
    public required string Id { get; init; }
    /// <summary>Status.</summary>
    [Id(1)]
    public required BatchStatus Status { get; init; }
    /// <summary>Items expected.</summary>
    [Id(2)]
    public required int RunCount { get; init; }
    /// <summary>Distinct indexes accepted (children created).</summary>
    [Id(3)]
    public long EnqueuedCount { get; init; }
    /// <summary>True once every index was accepted.</summary>
    [Id(4)]
    public bool Sealed { get; init; }
    /// <summary>Children by status.</summary>
    [Id(5)]
    public required BatchCounts Counts { get; init; }
    /// <summary>Children's default task.</summary>
    [Id(6)]
    public string? Task { get; init; }
    /// <summary>Children's queue.</summary>
    [Id(7)]
    public required string Queue { get; init; }
    /// <summary>Parent execution.</summary>
    [Id(8)]
    public string? ParentId { get; init; }
    /// <summary>Whether the parent is resumed at the end.</summary>
    [Id(9)]
    public bool ResumeParent { get; init; }
    /// <summary>Labels.</summary>
    [Id(10)]
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Created.</summary>
    [Id(11)]
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Sealed.</summary>
    [Id(12)]
    public DateTimeOffset? SealedAt { get; init; }
    /// <summary>Terminal.</summary>
    [Id(13)]
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>When an unsealed batch is aborted.</summary>
    [Id(14)]
    public DateTimeOffset SealDeadline { get; init; }
    /// <summary>Version.</summary>
    [Id(15)]
    public long Version { get; init; }
    /// <summary>Last event seq.</summary>
    [Id(16)]
    public long LastEventSeq { get; init; }
    /// <summary>The ceilings in force (the request's, unset ones from the configured defaults); null: none.</summary>
    [Id(17)]
    public BatchCeilings? Ceilings { get; init; }
    /// <summary>The children's reported cost, summed once per child, in the budget's unit.</summary>
    [Id(18)]
    public decimal Spent { get; init; }
    /// <summary>Why the batch was aborted; null unless aborted. Final once set.</summary>
    [Id(19)]
    public AbortReason? AbortReason { get; init; }
    /// <summary>True while paused: claims hand out none of its children.</summary>
    [Id(20)]
    public bool Paused { get; init; }
}
