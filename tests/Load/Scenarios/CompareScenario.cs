namespace Levee.Load.Scenarios;

/// <summary>
/// Runs <see cref="NoopScenario"/> then <see cref="LifecycleScenario"/> against the same silo
/// with the same client, so their request rates can be compared: the ratio says how much of the
/// bare HTTP capacity survives the durable-execution work behind each request.
/// </summary>
internal sealed class CompareScenario(HttpClient client, LoadOptions options)
{
    /// <summary>The product target for lifecycle requests/s as a share of no-op requests/s.</summary>
    public const double TargetRatio = 0.30;

    public async Task<(ScenarioResult Noop, ScenarioResult Lifecycle)> RunAsync(CancellationToken cancel)
    {
        var noop = await new NoopScenario(client, options).RunAsync(cancel);
        var lifecycle = await new LifecycleScenario(client, options).RunAsync(cancel);
        return (noop, lifecycle);
    }

    public static double Ratio(ScenarioResult noop, ScenarioResult lifecycle) =>
        noop.RequestsPerSecond > 0 ? lifecycle.RequestsPerSecond / noop.RequestsPerSecond : 0;
}
