namespace Levee.Batches;

/// <summary>Children by status.</summary>
public sealed record BatchCounts
{
    /// <summary>Created and not finished (queued, running or waiting).</summary>
    public long Queued { get; init; }
    /// <summary>Running (reserved: not tracked per child transition).</summary>
    public long Running { get; init; }
    /// <summary>Waiting (reserved: not tracked per child transition).</summary>
    public long Waiting { get; init; }
    /// <summary>Succeeded.</summary>
    public long Succeeded { get; init; }
    /// <summary>Failed.</summary>
    public long Failed { get; init; }
    /// <summary>Cancelled.</summary>
    public long Cancelled { get; init; }
    /// <summary>Timed out.</summary>
    public long TimedOut { get; init; }
}

/// <summary>The batch resource.</summary>
public sealed record BatchView
{
    /// <summary>Id.</summary>
    public required string Id { get; init; }
    /// <summary>Status.</summary>
    public required BatchStatus Status { get; init; }
    /// <summary>Items expected.</summary>
    public required int RunCount { get; init; }
    /// <summary>Distinct indexes accepted (children created).</summary>
    public long EnqueuedCount { get; init; }
    /// <summary>True once every index was accepted.</summary>
    public bool Sealed { get; init; }
    /// <summary>Children by status.</summary>
    public required BatchCounts Counts { get; init; }
    /// <summary>Children's default task.</summary>
    public string? Task { get; init; }
    /// <summary>Children's queue.</summary>
    public required string Queue { get; init; }
    /// <summary>Parent execution.</summary>
    public string? ParentId { get; init; }
    /// <summary>Whether the parent is resumed at the end.</summary>
    public bool ResumeParent { get; init; }
    /// <summary>Labels.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Sealed.</summary>
    public DateTimeOffset? SealedAt { get; init; }
    /// <summary>Terminal.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>When an unsealed batch is aborted.</summary>
    public DateTimeOffset SealDeadline { get; init; }
    /// <summary>Version.</summary>
    public long Version { get; init; }
    /// <summary>Last event seq.</summary>
    public long LastEventSeq { get; init; }
}
