using Levee.Executions;
using Levee.Idempotency;

namespace Levee.Runtime;

/// <summary>
/// Everything one grain command writes, committed atomically: the new state (compare-and-set on
/// <see cref="ExpectedVersion"/>), its events (appended after <see cref="ExpectedLastSeq"/>),
/// and the rows that must agree with them.
/// </summary>
public sealed record GrainCommit
{
    /// <summary>The grain writing.</summary>
    public required GrainId Id { get; init; }

    /// <summary>The version the decision was made on; 0 means "the grain must not exist yet".</summary>
    public required long ExpectedVersion { get; init; }

    /// <summary>Last event sequence number the decision saw; new events follow it without gaps.</summary>
    public required long ExpectedLastSeq { get; init; }

    /// <summary>The new state, serialized.</summary>
    public required ReadOnlyMemory<byte> State { get; init; }

    /// <summary>Events to append, in order.</summary>
    public required IReadOnlyList<NewEvent> Events { get; init; }

    /// <summary>Durable timers set or cleared by this command.</summary>
    public IReadOnlyList<TimerChange> Timers { get; init; } = [];

    /// <summary>Other grains created atomically with this commit (a batch's children); one that already exists is left as it is.</summary>
    public IReadOnlyList<GrainCommit> Spawns { get; init; } = [];

    /// <summary>Batch-child rows to insert for this batch (the dedupe record of accepted indexes).</summary>
    public IReadOnlyList<BatchChildRow> BatchChildren { get; init; } = [];

    /// <summary>Batch-child indexes this batch has counted (marks them reported).</summary>
    public IReadOnlyList<int> ReportedChildren { get; init; } = [];

    /// <summary>For a batch child becoming terminal: its outcome, recorded once; the first time, it also notifies the batch.</summary>
    public BatchChildOutcome? ChildOutcome { get; init; }

    /// <summary>Messages to other grains, delivered at least once after the commit.</summary>
    public IReadOnlyList<OutboxMessage> Outbox { get; init; } = [];

    /// <summary>When set, the execution's query row is upserted in the same transaction.</summary>
    public ExecutionIndexRow? ExecutionIndex { get; init; }

    /// <summary>When set, the idempotency key is claimed in the same transaction; if another request holds it the whole commit is refused.</summary>
    public IdempotencyClaim? IdempotencyClaim { get; init; }
}
