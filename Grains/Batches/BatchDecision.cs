using Levee.Errors;

namespace Levee.Grains.Batches;

/// <summary>Events to commit (none = idempotent no-op), or a rejection.</summary>
internal sealed record BatchDecision(IReadOnlyList<BatchEvent> Events, Rejection? Rejection) : Levee.Grains.Commits.IDecision<BatchEvent>
{
    public static BatchDecision Unchanged { get; } = new([], null);
    public static BatchDecision Accept(params BatchEvent[] events) => new(events, null);
    public static BatchDecision Reject(Rejection rejection) => new([], rejection);
}
