using System.Text.Json;

namespace Levee.Executions;

/// <summary>The execution resource as clients see it.</summary>
[GenerateSerializer, Immutable, Alias("Levee.ExecutionView")]
public sealed record ExecutionView
{
    /// <summary>The id.</summary>
    [Id(0)]
    public required string Id { get; init; }
    /// <summary>What to run.</summary>
    [Id(1)]
    public required string Task { get; init; }
    /// <summary>The queue.</summary>
    [Id(2)]
    public required string Queue { get; init; }
    /// <summary>Current status.</summary>
    [Id(3)]
    public required ExecutionStatus Status { get; init; }
    /// <summary>The current attempt (0 before the first run).</summary>
    [Id(4)]
    public int Attempt { get; init; }
    /// <summary>Attempts allowed in total.</summary>
    [Id(5)]
    public int MaxAttempts { get; init; }
    /// <summary>Input.</summary>
    [Id(6)]
    public JsonElement? Input { get; init; }
    /// <summary>Output, once succeeded.</summary>
    [Id(7)]
    public JsonElement? Output { get; init; }
    /// <summary>The last error.</summary>
    [Id(8)]
    public ExecutionError? Error { get; init; }
    /// <summary>Parent execution.</summary>
    [Id(9)]
    public string? ParentId { get; init; }
    /// <summary>The batch it belongs to.</summary>
    [Id(10)]
    public string? BatchId { get; init; }
    /// <summary>Its index in the batch.</summary>
    [Id(11)]
    public int? BatchIndex { get; init; }
    /// <summary>Labels.</summary>
    [Id(12)]
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Free-form object.</summary>
    [Id(13)]
    public JsonElement? Metadata { get; init; }
    /// <summary>The Idempotency-Key it was created with.</summary>
    [Id(14)]
    public string? IdempotencyKey { get; init; }
    /// <summary>Approvals requested so far, with their decisions.</summary>
    [Id(15)]
    public IReadOnlyList<ApprovalView> Approvals { get; init; } = [];
    /// <summary>What a waiting execution waits for.</summary>
    [Id(16)]
    public WaitingFor? WaitingFor { get; init; }
    /// <summary>The summary of the batch it waited for, once that batch finished.</summary>
    [Id(17)]
    public Levee.Batches.BatchView? BatchSummary { get; init; }
    /// <summary>When workers may claim it.</summary>
    [Id(18)]
    public DateTimeOffset AvailableAt { get; init; }
    /// <summary>Creation time.</summary>
    [Id(19)]
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Time of the last change.</summary>
    [Id(20)]
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When it first ran.</summary>
    [Id(21)]
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When it became terminal.</summary>
    [Id(22)]
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>True once a cancel was requested.</summary>
    [Id(23)]
    public bool CancelRequested { get; init; }
    /// <summary>Version (bumped by every change).</summary>
    [Id(24)]
    public long Version { get; init; }
    /// <summary>Sequence number of the last event in its log.</summary>
    [Id(25)]
    public long LastEventSeq { get; init; }
    /// <summary>What its workers reported it cost, summed over attempts; null: nothing reported.</summary>
    [Id(26)]
    public decimal? Cost { get; init; }
    /// <summary>The timeouts it was created with; null: the defaults (no deadline, the default heartbeat).</summary>
    [Id(27)]
    public ExecutionTimeouts? Timeouts { get; init; }
    /// <summary>
    /// When it times out: its creation plus <c>timeouts.executionMs</c>; null without a deadline.
    /// A worker stops its handler at this instant rather than at its next heartbeat.
    /// </summary>
    [Id(28)]
    public DateTimeOffset? DeadlineAt { get; init; }
}
