namespace Levee.Client;

/// <summary>What went wrong in an attempt.</summary>
/// <param name="Message">The error message.</param>
/// <param name="Type">A machine-readable kind (e.g. an exception type).</param>
/// <param name="Retryable">False when the failure was final (only on replies).</param>
public sealed record ExecutionError(string Message, string? Type = null, bool? Retryable = null);
