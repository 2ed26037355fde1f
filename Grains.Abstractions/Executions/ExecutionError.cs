namespace Levee.Executions;

/// <summary>An error reported for an execution.</summary>
/// <param name="Message">What went wrong.</param>
/// <param name="Type">A machine-readable error type, e.g. the exception type.</param>
/// <param name="Retryable">Whether a retry may succeed.</param>
public sealed record ExecutionError(string Message, string? Type = null, bool Retryable = true);
