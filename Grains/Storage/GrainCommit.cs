namespace Levee.Grains.Storage;

/// <summary>
/// Everything one grain command writes, committed atomically: the new state (compare-and-set on
/// <see cref="ExpectedVersion"/>), its events (appended after <see cref="ExpectedLastSeq"/>),
/// and the rows that must agree with them.
/// </summary>
public sealed record GrainCommit
{
    /// <summary>The grain writing.</summary>
    public required GrainId Id { get; init; }

    /// <summary>
    /// The tenant whose stored usage (<see cref="TenantUsage"/>) this commit's rows count against:
    /// the executions it creates or removes, the event bytes it appends or purges, its spawns' and
    /// purges' included. Null for grains outside any tenant's data (idempotency bindings, queues).
    /// </summary>
    public string? Tenant { get; init; }

    /// <summary>The quota to check this commit against before it is written (only commits that admit new data carry one).</summary>
    public QuotaCheck? Quota { get; init; }

    /// <summary>The version the decision was made on; 0 means "the grain must not exist yet".</summary>
    public required long ExpectedVersion { get; init; }

    /// <summary>Last event sequence number the decision saw; new events follow it without gaps.</summary>
    public required long ExpectedLastSeq { get; init; }

    /// <summary>The new state, serialized.</summary>
    public required ReadOnlyMemory<byte> State { get; init; }

    /// <summary>
    /// True to delete the state row instead of writing <see cref="State"/>, with the grain's log,
    /// timers and child rows (the grain is gone; its next commit starts at version 0).
    /// </summary>
    public bool DeleteState { get; init; }

    /// <summary>With <see cref="DeleteState"/>: the execution index row that goes with the grain.</summary>
    public ExecutionIndexKey? RemoveIndex { get; init; }

    /// <summary>Other grains removed with this commit, whatever their version (a deleted batch's children, a page at a time).</summary>
    public IReadOnlyList<GrainPurge> Purges { get; init; } = [];

    /// <summary>Child index rows of this grain removed with it (the page of children in <see cref="Purges"/>).</summary>
    public IReadOnlyList<int> RemovedBatchChildren { get; init; } = [];

    /// <summary>Events to append, in order.</summary>
    public required IReadOnlyList<NewEvent> Events { get; init; }

    /// <summary>Durable timers set or cleared by this command.</summary>
    public IReadOnlyList<TimerChange> Timers { get; init; } = [];

    /// <summary>
    /// Other grains created atomically with this commit (a batch's children, whose indexes the batch
    /// has deduplicated); one that already exists fails this commit with <see cref="ForeignChildException"/>.
    /// </summary>
    public IReadOnlyList<GrainCommit> Spawns { get; init; } = [];

    /// <summary>Messages to other grains, delivered at least once after the commit.</summary>
    public IReadOnlyList<OutboxMessage> Outbox { get; init; } = [];

    /// <summary>When set, the execution's query row is upserted in the same transaction.</summary>
    public ExecutionIndexRow? ExecutionIndex { get; init; }

    /// <summary>Child indexes to record for this grain (a batch's record of accepted indexes, which dedupes Phase-2 items; an index already there is left as it is).</summary>
    public IReadOnlyList<int> BatchChildren { get; init; } = [];

    /// <summary>A capped batch this command registers with its queue, or removes (once terminal).</summary>
    public ConcurrencyCap? Cap { get; init; }

    /// <summary>A claim hold this command sets or lifts (a batch or queue paused or resumed).</summary>
    public ClaimHold? Hold { get; init; }

    /// <summary>Child indexes this grain has now counted (marks their rows, so a repeated report is recognised).</summary>
    public IReadOnlyList<int> CountedChildren { get; init; } = [];
}
