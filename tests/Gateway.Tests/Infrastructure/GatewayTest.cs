using System.Net;

namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>Base of gateway tests: a fresh tenant with a full-scope key on the shared silo (or the standalone gateway in front of it).</summary>
[Collection(LeveeCollection.Name)]
public abstract class GatewayTest(ILeveeServer server) : IAsyncLifetime
{
    protected ILeveeServer Server { get; } = server;
    protected Api Admin { get; private set; } = null!;
    protected Api Client { get; private set; } = null!;
    protected string Tenant { get; } = "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        var http = Server.CreateClient();
        Admin = new Api(http, LeveeFactory.AdminKey);
        Client = new Api(http, await NewKeyAsync(Tenant, "p", "executions", "workers", "batches"));
    }

    /// <summary>Creates a tenant key through the admin API.</summary>
    protected async Task<string> NewKeyAsync(string tenant, string project, params string[] scopes)
    {
        var scopeJson = string.Join(",", scopes.Select(s => $"\"{s}\""));
        var reply = (await Admin.PostAsync("/v1/admin/keys", $$"""{"tenant":"{{tenant}}","project":"{{project}}","scopes":[{{scopeJson}}]}""")).Is(HttpStatusCode.Created);
        return reply.Str("key")!;
    }

    protected async Task<Reply> CreateAsync(string id, string task = "send-email", string extra = "")
    {
        return await Client.PostAsync("/v1/executions", $$"""{"id":"{{id}}","task":"{{task}}"{{extra}}}""");
    }

    protected Task<Reply> StatusAsync(string id, string json) => Client.PostAsync($"/v1/executions/{id}/status", json);

    /// <summary>Creates an execution in its own queue and claims it; returns the lease.</summary>
    protected async Task<string> CreateAndClaimAsync(string id, string extra = "", string worker = "w1")
    {
        (await CreateAsync(id, extra: $$""","queue":"{{QueueOf(id)}}"{{extra}}""")).Is(HttpStatusCode.Created);
        var claim = (await ClaimAsync(QueueOf(id), worker, waitMs: 5000)).Is(HttpStatusCode.OK);
        return claim.Body.GetProperty("claims")[0].GetProperty("leaseId").GetString()!;
    }

    protected static string QueueOf(string id) => "q-" + id;

    protected Task<Reply> ClaimAsync(string queue, string worker = "w1", int max = 1, int waitMs = 0) =>
        Client.PostAsync($"/v1/queues/{queue}/claim", $$"""{"workerId":"{{worker}}","max":{{max}},"waitMs":{{waitMs}}}""");

    /// <summary>Creates a batch of <paramref name="runCount"/> children of task <c>t</c> on <paramref name="queue"/> and sends every item (it seals).</summary>
    protected async Task<string> CreateSealedBatchAsync(int runCount, string queue)
    {
        var id = (await Client.PostAsync("/v1/batches", $$"""{"runCount":{{runCount}},"task":"t","queue":"{{queue}}"}""")).Is(HttpStatusCode.Created).Str("id")!;
        var lines = string.Join("\n", Enumerable.Range(0, runCount).Select(i => $$$"""{"index":{{{i}}},"input":{"n":{{{i}}}}}"""));
        (await Client.SendAsync(HttpMethod.Post, $"/v1/batches/{id}/items", lines, [], "application/x-ndjson")).Is(HttpStatusCode.OK);
        return id;
    }

    /// <summary>Claims one execution of <paramref name="queue"/> (waiting for it) and completes it; returns its id.</summary>
    protected async Task<string> ClaimAndCompleteAsync(string queue, string output = "{}")
    {
        var claim = (await ClaimAsync(queue, waitMs: 10_000)).Is(HttpStatusCode.OK).Body.GetProperty("claims")[0];
        var id = claim.GetProperty("execution").GetProperty("id").GetString()!;
        var lease = claim.GetProperty("leaseId").GetString()!;
        (await Client.PostAsync($"/v1/executions/{id}/complete", $$"""{"leaseId":"{{lease}}","output":{{output}}}""")).Is(HttpStatusCode.OK);
        return id;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
