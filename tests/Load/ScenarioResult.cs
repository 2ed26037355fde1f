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

    /// <summary>Units that finished without an error, per second.</summary>
    public double UnitsPerSecond => Rate(Units - FailedUnits);

    /// <summary>All requests sent, per second, whatever their outcome.</summary>
    public double RequestsPerSecond => Rate(Requests);

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    private double Rate(long n) => Elapsed > TimeSpan.Zero ? n / Elapsed.TotalSeconds : 0;
}
