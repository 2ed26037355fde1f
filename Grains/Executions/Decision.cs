using Levee.Errors;

namespace Levee.Grains.Executions;

/// <summary>What the decider made of a command: events to commit (none = idempotent no-op), or a rejection.</summary>
internal sealed record Decision : Levee.Grains.Commits.IDecision<ExecutionEvent>
{
    private Decision(IReadOnlyList<ExecutionEvent> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    public IReadOnlyList<ExecutionEvent> Events { get; }
    public Rejection? Rejection { get; }

    public static Decision Accept(params ExecutionEvent[] events) => new(events, null);
    public static Decision Accept(IReadOnlyList<ExecutionEvent> events) => new(events, null);
    public static Decision Unchanged { get; } = new([], null);
    public static Decision Reject(Rejection rejection) => new([], rejection);
}
