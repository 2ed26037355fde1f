namespace Levee.Executions;

/// <summary>Retry policy of an execution (applied by workers' failures from the workers issue on).</summary>
/// <param name="MaxAttempts">Attempts in total, including the first (1..100).</param>
/// <param name="InitialDelayMs">Delay before the first retry.</param>
/// <param name="BackoffFactor">Multiplier per further retry (1..10).</param>
/// <param name="MaxDelayMs">Upper bound of one delay.</param>
public sealed record RetryPolicy(int MaxAttempts = 3, long InitialDelayMs = 1_000, double BackoffFactor = 2, long MaxDelayMs = 300_000)
{
    /// <summary>The default policy: 3 attempts, 1 s, ×2, at most 5 min.</summary>
    public static RetryPolicy Default { get; } = new();
}
