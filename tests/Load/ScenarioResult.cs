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
    /// <summary>Units that finished without an error, per second.</summary>
    public double UnitsPerSecond => Rate(Units - FailedUnits);

    /// <summary>All requests sent, per second, whatever their outcome.</summary>
    public double RequestsPerSecond => Rate(Requests);

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    private double Rate(long n) => Elapsed > TimeSpan.Zero ? n / Elapsed.TotalSeconds : 0;
}
