namespace Levee.Load;

/// <summary>The measured phase of one scenario run.</summary>
internal sealed record ScenarioResult(
    string Scenario,
    string Unit,
    int Concurrency,
    int Warmup,
    TimeSpan Elapsed,
    long Units,
    long FailedUnits,
    long Requests,
    long Errors,
    IReadOnlyList<OperationResult> Operations,
    IReadOnlyDictionary<string, long> ErrorCounts,
    IReadOnlyList<string> ErrorSamples,
    bool Interrupted)
{
    /// <summary>How the load was shaped, for the report header (e.g. "concurrency 64").</summary>
    public string Setup { get; init; } = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"concurrency {Concurrency}");

    /// <summary>Latencies between events seen by different requests, e.g. queue→claim.</summary>
    public IReadOnlyList<OperationResult> Flows { get; init; } = [];

    /// <summary>Scenario-specific figures, e.g. the create rate actually offered.</summary>
    public IReadOnlyList<Metric> Metrics { get; init; } = [];

    /// <summary>
    /// The time <see cref="UnitsPerSecond"/> is over when it is not the whole phase, e.g. the items
    /// request of the <c>batch</c> scenario (whose phase also creates, checks and drains the batch).
    /// </summary>
    public TimeSpan? UnitsElapsed { get; init; }

    /// <summary>Units that finished without an error, per second (of <see cref="UnitsElapsed"/> when set).</summary>
    public double UnitsPerSecond => Rate(Units - FailedUnits, UnitsElapsed ?? Elapsed);

    /// <summary>All requests sent, per second, whatever their outcome.</summary>
    public double RequestsPerSecond => Rate(Requests, Elapsed);

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    private static double Rate(long n, TimeSpan over) => over > TimeSpan.Zero ? n / over.TotalSeconds : 0;
}
