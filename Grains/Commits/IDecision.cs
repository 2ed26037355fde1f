using Levee.Errors;

namespace Levee.Grains.Commits;

/// <summary>What a decider made of a command: events to commit (none = idempotent no-op), or a rejection.</summary>
/// <typeparam name="TEvent">The grain's event type.</typeparam>
internal interface IDecision<out TEvent>
{
    IReadOnlyList<TEvent> Events { get; }
    Rejection? Rejection { get; }
}
