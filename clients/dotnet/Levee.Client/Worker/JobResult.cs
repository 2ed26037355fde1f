using System.Text.Json;

namespace Levee.Client.Worker;

/// <summary>How a handler ended its job: complete, fail (retryable or not) or suspended.</summary>
public sealed record JobResult
{
    private JobResult(JobOutcome outcome) => Outcome = outcome;

    /// <summary>What the host does with the lease.</summary>
    public JobOutcome Outcome { get; }

    /// <summary>The output of a completion.</summary>
    public JsonElement? Output { get; private init; }

    /// <summary>The error of a failure.</summary>
    public ExecutionError? Error { get; private init; }

    /// <summary>False: the failure is final, whatever attempts are left.</summary>
    public bool Retryable { get; private init; } = true;

    /// <summary>Overrides the backoff before the retry.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>What the attempt cost, in the batch budget's unit.</summary>
    public decimal? Cost { get; private init; }

    /// <summary>Completes the execution with <paramref name="output"/>.</summary>
    public static JobResult Complete(JsonElement? output = null, decimal? cost = null) => new(JobOutcome.Complete) { Output = output, Cost = cost };

    /// <summary>Fails the attempt; retried after backoff while <paramref name="retryable"/> and attempts are left.</summary>
    public static JobResult Fail(string message, string? type = null, bool retryable = true, TimeSpan? retryAfter = null, decimal? cost = null) =>
        new(JobOutcome.Fail) { Error = new ExecutionError(message, type), Retryable = retryable, RetryAfter = retryAfter, Cost = cost };

    /// <summary>
    /// The handler suspended the execution (it asked for an approval or waits for a batch), which
    /// released the lease: the host writes nothing, and the next claim redelivers the job.
    /// </summary>
    public static JobResult Suspended { get; } = new(JobOutcome.Suspended);
}

/// <summary>What a <see cref="JobResult"/> asks the host to do.</summary>
public enum JobOutcome
{
    /// <summary>Complete the execution.</summary>
    Complete,
    /// <summary>Fail the attempt.</summary>
    Fail,
    /// <summary>Nothing: the execution is suspended and will be redelivered.</summary>
    Suspended,
}
