using Levee.Errors;
using Levee.Executions;

namespace Levee.Batches;

/// <summary>
/// What bounds a batch once it runs. Every ceiling is optional; the batch decider enforces the
/// ones set, the first one crossed aborts the batch with its <see cref="AbortReason"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Levee.BatchCeilings")]
public sealed record BatchCeilings
{
    /// <summary>The default of the largest <see cref="MaxConcurrency"/> a batch may ask for (<c>Levee:Grains:MaxBatchConcurrency</c>).</summary>
    public const int DefaultMaxConcurrency = 10_000;

    /// <summary>Longest name of a budget's unit.</summary>
    public const int MaxUnitLength = 32;

    /// <summary>Wall-clock cap from creation: a durable timer aborts the batch with <see cref="AbortReason.Deadline"/>.</summary>
    [Id(0)]
    public long? DeadlineMs { get; init; }
    /// <summary>Abort with <see cref="AbortReason.FailureRate"/> once failed / finished exceeds this (0..1), after <see cref="MinFinished"/>.</summary>
    [Id(1)]
    public double? MaxFailureRate { get; init; }
    /// <summary>Children that must have finished before <see cref="MaxFailureRate"/> is judged (default 1).</summary>
    [Id(2)]
    public int? MinFinished { get; init; }
    /// <summary>Abort with <see cref="AbortReason.FailureRate"/> once this many children in a row have failed (in the order the batch counts them).</summary>
    [Id(3)]
    public int? MaxConsecutiveFailures { get; init; }
    /// <summary>Most children holding a lease at once; the others stay queued and are claimable as soon as a slot frees.</summary>
    [Id(4)]
    public int? MaxConcurrency { get; init; }
    /// <summary>Spending cap: the children's reported <c>cost</c>, summed once per child.</summary>
    [Id(5)]
    public BatchBudget? Budget { get; init; }

    /// <summary>True when no ceiling is set.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => DeadlineMs is null && MaxFailureRate is null && MinFinished is null && MaxConsecutiveFailures is null
        && MaxConcurrency is null && Budget is null;

    /// <summary>
    /// Checks every ceiling against the batch's <paramref name="runCount"/> and the configured
    /// largest <paramref name="maxConcurrency"/>; the first problem (naming the field) or null.
    /// </summary>
    public Rejection? Validate(int runCount, int maxConcurrency = DefaultMaxConcurrency)
    {
        if (DeadlineMs is { } deadline && deadline is <= 0 or > CreateExecution.MaxDurationMs)
        {
            return Rejection.Invalid("ceilings.deadlineMs", "ceilings.deadlineMs must be positive and at most 30 days.");
        }
        if (MaxFailureRate is { } rate && (double.IsNaN(rate) || rate is < 0 or > 1))
        {
            return Rejection.Invalid("ceilings.maxFailureRate", "ceilings.maxFailureRate must be between 0 and 1.");
        }
        if (MinFinished is { } min && (min <= 0 || min > runCount))
        {
            return Rejection.Invalid("ceilings.minFinished", $"ceilings.minFinished must be between 1 and runCount ({runCount}).");
        }
        if (MinFinished is not null && MaxFailureRate is null)
        {
            return Rejection.Invalid("ceilings.minFinished", "ceilings.minFinished needs ceilings.maxFailureRate.");
        }
        if (MaxConsecutiveFailures is <= 0)
        {
            return Rejection.Invalid("ceilings.maxConsecutiveFailures", "ceilings.maxConsecutiveFailures must be positive.");
        }
        if (MaxConcurrency is { } cap && (cap <= 0 || cap > maxConcurrency))
        {
            return Rejection.Invalid("ceilings.maxConcurrency", $"ceilings.maxConcurrency must be between 1 and {maxConcurrency}.");
        }
        if (Budget is { } budget)
        {
            if (budget.Limit <= 0)
            {
                return Rejection.Invalid("ceilings.budget.limit", "ceilings.budget.limit must be a positive number.");
            }
            if (string.IsNullOrWhiteSpace(budget.Unit) || budget.Unit.Length > MaxUnitLength)
            {
                return Rejection.Invalid("ceilings.budget.unit", $"ceilings.budget.unit is required (at most {MaxUnitLength} characters).");
            }
        }
        return null;
    }

    /// <summary>These ceilings, each unset one taken from <paramref name="defaults"/> (the operator's house rules).</summary>
    public BatchCeilings Or(BatchCeilings defaults) => new()
    {
        DeadlineMs = DeadlineMs ?? defaults.DeadlineMs,
        MaxFailureRate = MaxFailureRate ?? defaults.MaxFailureRate,
        MinFinished = MinFinished ?? defaults.MinFinished,
        MaxConsecutiveFailures = MaxConsecutiveFailures ?? defaults.MaxConsecutiveFailures,
        MaxConcurrency = MaxConcurrency ?? defaults.MaxConcurrency,
        Budget = Budget ?? defaults.Budget,
    };
}

/// <summary>A spending cap.</summary>
/// <param name="Limit">The sum of the children's costs at which the batch aborts with <see cref="AbortReason.Budget"/>.</param>
/// <param name="Unit">What cost is counted in (<c>usd</c>, <c>tokens</c>…); workers report in it.</param>
[GenerateSerializer, Immutable, Alias("Levee.BatchBudget")]
public sealed record BatchBudget([property: Id(0)] decimal Limit, [property: Id(1)] string Unit);
