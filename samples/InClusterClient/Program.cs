// An in-cluster .NET service: an Orleans client of a running Levee cluster that creates an
// execution through IExecutionGrain, follows its event log live, runs it to succeeded, and
// prints its REST resource.
//
//   dotnet run --project samples/InClusterClient -- --gateway 127.0.0.1:30000 --tenant acme --project prod
//
// Logs go to stderr; the last line on stdout is the execution exactly as GET /v1/executions/{id} returns it.
using System.Net;
using System.Text.Json;
using Levee;
using Levee.Executions;
using Levee.Streams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

var options = new ConfigurationBuilder().AddCommandLine(args).Build();
var gateway = IPEndPoint.Parse(options["gateway"] ?? "127.0.0.1:30000");
var tenant = options["tenant"] ?? "acme";
var project = options["project"] ?? "prod";

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders().AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace).AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
builder.UseOrleansClient(client =>
{
    client.UseStaticClustering(gateway);
    client.Configure<ClusterOptions>(cluster => (cluster.ClusterId, cluster.ServiceId) = ("levee", "levee"));
    // JSON payloads (inputs, outputs) cross grain calls through System.Text.Json; the event
    // follower and queue claimer share one watch observer per process.
    client.Services.AddLeveeClient();
});
using var host = builder.Build();
await host.StartAsync();
var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("InClusterClient");
var grains = host.Services.GetRequiredService<IClusterClient>();
var follower = host.Services.GetRequiredService<EventFollower>();

var id = ExecutionIds.New("exe", DateTimeOffset.UtcNow);
var execution = grains.Grain<IExecutionGrain>(new ResourceKey(tenant, project, id));

var created = await execution.CreateAsync(new CreateExecution { Id = id, Task = "send-email", Input = Json("""{"to":"ada@example.com"}""") });
Require(created.Rejection);
log.LogInformation("Created {Id} in {Tenant}/{Project}: {Status}", id, tenant, project, created.Value!.Status.ToWire());

// Follow the log from its first event while the writes below happen: replay, then live, until the terminal event.
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
var followed = Task.Run(async () =>
{
    await foreach (var e in follower.EventsAsync(execution.GetGrainId(), fromSeq: 1, stop.Token))
    {
        log.LogInformation("event {Seq} {Type}", e.Seq, e.Type);
        if (ExecutionEventTypes.IsTerminal(e.Type))
        {
            return e.Seq;
        }
    }
    return 0L;
});

var running = await execution.WriteStatusAsync(new WriteStatus(ExecutionStatus.Running));
Require(running.Rejection);
log.LogInformation("{Id} is {Status}", id, running.Value!.Status.ToWire());

var succeeded = await execution.WriteStatusAsync(new WriteStatus(ExecutionStatus.Succeeded, Output: Json("""{"sent":true}""")));
Require(succeeded.Rejection);
log.LogInformation("{Id} is {Status}; its log ends at event {Seq}", id, succeeded.Value!.Status.ToWire(), await followed);

Console.WriteLine(JsonSerializer.Serialize(await execution.GetAsync(), LeveeJsonContext.Default.ExecutionView));
await host.StopAsync();
return 0;

static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

static void Require(Levee.Errors.Rejection? rejection)
{
    if (rejection is not null)
    {
        throw new InvalidOperationException($"{rejection.Code}: {rejection.Detail}");
    }
}
