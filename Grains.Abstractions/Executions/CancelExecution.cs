namespace Levee.Executions;

/// <summary>Cancels a non-terminal execution; idempotent on an already cancelled one.</summary>
/// <param name="Reason">Why, recorded on the event.</param>
public sealed record CancelExecution(string? Reason = null);
