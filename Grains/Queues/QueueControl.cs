using System.Text.Json.Serialization;
using Levee.Grains.Commits;

namespace Levee.Grains.Queues;

/// <summary>A queue's switch, as folded from its events.</summary>
internal sealed record QueueControlState
{
    public required string Queue { get; init; }
    public bool Paused { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>An operator paused (<c>paused</c> on the log) or resumed (<c>resumed</c>) the queue.</summary>
internal sealed record QueuePauseSet(DateTimeOffset At, bool Paused, string? Reason)
{
    [JsonIgnore]
    public string LogType => Paused ? "paused" : "resumed";
}

/// <summary>Events to commit (none = unchanged); the switch never refuses.</summary>
internal sealed record QueueControlDecision(IReadOnlyList<QueuePauseSet> Events) : IDecision<QueuePauseSet>
{
    public Levee.Errors.Rejection? Rejection => null;
}

/// <summary>The queue switch as pure functions: setting what is already set changes nothing.</summary>
internal static class QueueControlDecider
{
    public static QueueControlDecision Set(QueueControlState? state, bool paused, string? reason, DateTimeOffset now) =>
        (state?.Paused ?? false) == paused
            ? new QueueControlDecision([])
            : new QueueControlDecision([new QueuePauseSet(now, paused, reason)]);

    public static QueueControlState? Fold(QueueControlState? state, string queue, IReadOnlyList<QueuePauseSet> events) =>
        events.Aggregate(state, (s, e) => (s ?? new QueueControlState { Queue = queue }) with { Paused = e.Paused, UpdatedAt = e.At });
}
