namespace Levee.Executions;

/// <summary>Cancels a non-terminal execution; idempotent on an already cancelled one.</summary>
/// <param name="Reason">Why, recorded on the event.</param>
[GenerateSerializer, Immutable, Alias("Levee.CancelExecution")]
public sealed record CancelExecution([property: Id(0)] string? Reason = null);
