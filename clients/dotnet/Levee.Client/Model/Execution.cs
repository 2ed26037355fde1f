using System.Text.Json;

namespace Levee.Client;

/// <summary>The execution resource.</summary>
public sealed record Execution
{
    /// <summary>The id.</summary>
    public required string Id { get; init; }
    /// <summary>What to run.</summary>
    public required string Task { get; init; }
    /// <summary>The queue.</summary>
    public required string Queue { get; init; }
    /// <summary>Current status.</summary>
    public required ExecutionStatus Status { get; init; }
    /// <summary>The current attempt (0 before the first run).</summary>
    public int Attempt { get; init; }
    /// <summary>Attempts allowed in total.</summary>
    public int MaxAttempts { get; init; }
    /// <summary>Input.</summary>
    public JsonElement? Input { get; init; }
    /// <summary>Output, once succeeded.</summary>
    public JsonElement? Output { get; init; }
    /// <summary>The last error.</summary>
    public ExecutionError? Error { get; init; }
    /// <summary>Parent execution.</summary>
    public string? ParentId { get; init; }
    /// <summary>The batch it belongs to.</summary>
    public string? BatchId { get; init; }
    /// <summary>Its index in the batch.</summary>
    public int? BatchIndex { get; init; }
    /// <summary>Labels.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Free-form object.</summary>
    public JsonElement? Metadata { get; init; }
    /// <summary>The Idempotency-Key it was created with.</summary>
    public string? IdempotencyKey { get; init; }
    /// <summary>Approvals requested so far, with their decisions.</summary>
    public IReadOnlyList<Approval> Approvals { get; init; } = [];
    /// <summary>What a waiting execution waits for.</summary>
    public WaitingFor? WaitingFor { get; init; }
    /// <summary>The batch it waited for, once that batch finished.</summary>
    public Batch? BatchSummary { get; init; }
    /// <summary>When workers may claim it.</summary>
    public DateTimeOffset AvailableAt { get; init; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Time of the last change.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When it first ran.</summary>
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When it became terminal.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>True once a cancel was requested.</summary>
    public bool CancelRequested { get; init; }
    /// <summary>Bumped by every change.</summary>
    public long Version { get; init; }
    /// <summary>Sequence number of the last event in its log.</summary>
    public long LastEventSeq { get; init; }
    /// <summary>Reported cost, summed over attempts.</summary>
    public decimal? Cost { get; init; }
    /// <summary>The timeouts it was created with; null: the defaults.</summary>
    public ExecutionTimeouts? Timeouts { get; init; }
    /// <summary>When it times out (creation plus <c>timeouts.executionMs</c>); null without a deadline.</summary>
    public DateTimeOffset? DeadlineAt { get; init; }
}
