namespace Levee.Executions;

/// <summary>An error reported for an execution.</summary>
/// <param name="Message">What went wrong.</param>
/// <param name="Type">A machine-readable error type, e.g. the exception type.</param>
/// <param name="Retryable">Whether a retry may succeed.</param>
[GenerateSerializer, Immutable, Alias("Levee.ExecutionError")]
public sealed record ExecutionError([property: Id(0)] string Message, [property: Id(1)] string? Type = null, [property: Id(2)] bool Retryable = true);
