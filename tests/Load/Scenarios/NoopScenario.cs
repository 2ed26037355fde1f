namespace Levee.Load.Scenarios;

/// <summary>
/// <c>GET /healthz</c> in a loop: the cost of HTTP, Kestrel and routing with no storage or grain
/// work, i.e. the ceiling the lifecycle scenario is compared against.
/// </summary>
internal sealed class NoopScenario(HttpClient client, LoadOptions options) : ClosedLoopScenario(client, options)
{
    private readonly Uri _healthz = new(options.Url, "healthz");

    public override string Name => "noop";
    public override string Unit => "requests";
    protected override IReadOnlyList<string> Operations { get; } = ["healthz"];

    protected override async Task<bool> RunOnceAsync(LoadWorker worker) =>
        (await worker.SendAsync(0, HttpMethod.Get, _healthz, null)).Ok;
}
