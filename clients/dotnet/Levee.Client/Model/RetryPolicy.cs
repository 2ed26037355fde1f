namespace Levee.Client;

/// <summary>How failed attempts are retried (every field optional; the server's defaults apply).</summary>
/// <param name="MaxAttempts">Attempts in total (1–100, default 3).</param>
/// <param name="InitialDelayMs">Backoff before the first retry (default 1000).</param>
/// <param name="BackoffFactor">Growth per retry (default 2).</param>
/// <param name="MaxDelayMs">Longest backoff (default 300000).</param>
public sealed record RetryPolicy(int? MaxAttempts = null, long? InitialDelayMs = null, double? BackoffFactor = null, long? MaxDelayMs = null);
