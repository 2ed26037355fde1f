namespace Levee.Client;

/// <summary>A JSON page of events.</summary>
/// <param name="Items">The events.</param>
/// <param name="NextFrom">The <c>from</c> of the next page; null at the end.</param>
public sealed record EventPage(IReadOnlyList<ExecutionEvent> Items, long? NextFrom);
