namespace Levee.Executions;

/// <summary>Retry policy of an execution.</summary>
/// <param name="MaxAttempts">Attempts in total, including the first (1..100).</param>
/// <param name="InitialDelayMs">Delay before the first retry.</param>
/// <param name="BackoffFactor">Multiplier per further retry (1..10).</param>
/// <param name="MaxDelayMs">Upper bound of one delay.</param>
[GenerateSerializer, Immutable, Alias("Levee.RetryPolicy")]
public sealed record RetryPolicy(
    [property: Id(0)] int MaxAttempts = 3,
    [property: Id(1)] long InitialDelayMs = 1_000,
    [property: Id(2)] double BackoffFactor = 2,
    [property: Id(3)] long MaxDelayMs = 300_000)
{
    /// <summary>The default policy: 3 attempts, 1 s, ×2, at most 5 min.</summary>
    public static RetryPolicy Default { get; } = new();
}
