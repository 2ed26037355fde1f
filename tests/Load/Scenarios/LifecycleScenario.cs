namespace Levee.Load.Scenarios;

/// <summary>
/// The shortest full life of an execution, driven over HTTP the way a worker would:
/// create, report running, report succeeded with an output. Each step is a durable write.
/// </summary>
internal sealed class LifecycleScenario(HttpClient client, LoadOptions options) : ClosedLoopScenario(client, options)
{
    private const int Create = 0;
    private const int Running = 1;
    private const int Succeeded = 2;

    // Serialized once: the client should spend its CPU on sending, not on JSON.
    private static readonly byte[] CreateBody = """{"task":"load","input":{"n":1}}"""u8.ToArray();
    private static readonly byte[] RunningBody = """{"status":"running"}"""u8.ToArray();
    private static readonly byte[] SucceededBody = """{"status":"succeeded","output":{"ok":true}}"""u8.ToArray();

    private readonly Uri _base = options.Url;
    private readonly Uri _executions = new(options.Url, "v1/executions");

    public override string Name => "lifecycle";
    public override string Unit => "executions";
    protected override IReadOnlyList<string> Operations { get; } = ["create", "running", "succeeded"];

    protected override async Task<bool> RunOnceAsync(LoadWorker worker)
    {
        var (created, body) = await worker.SendAsync(Create, HttpMethod.Post, _executions, CreateBody, readBody: true);
        if (!created)
        {
            return false;
        }
        if (ResponseJson.ReadId(body) is not { } id)
        {
            worker.RecordError(Create, "no-id", "the create response has no string \"id\"");
            return false;
        }
        var status = new Uri(_base, $"v1/executions/{Uri.EscapeDataString(id)}/status");
        return (await worker.SendAsync(Running, HttpMethod.Post, status, RunningBody)).Ok
            && (await worker.SendAsync(Succeeded, HttpMethod.Post, status, SucceededBody)).Ok;
    }
}
