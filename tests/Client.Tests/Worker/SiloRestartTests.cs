using System.Globalization;
using Levee.Client.Tests.Infrastructure;
using Levee.Client.Worker;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Client.Tests.Worker;

/// <summary>A worker host outlives its silo: killed with SIGKILL and started again on the same data and address.</summary>
public sealed class SiloRestartTests
{
    [Fact]
    public async Task Worker_SiloKilledAndRestarted_KeepsClaimingAndCompletes()
    {
        using var data = new TempDirectory();
        var url = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        var settings = new Dictionary<string, string> { ["urls"] = url };
        var silo = await SiloProcess.StartAsync(data.Path, settings);
        try
        {
            var client = LiveSilo.Client(silo.Url, silo.TenantKey);
            using var host = await WorkerHost.StartAsync(silo.Url, silo.TenantKey, o => o.Queue("restart").Poll(TimeSpan.FromSeconds(2))
                .Handle<ResizeJob>(async (job, ctx, ct) =>
                {
                    await Task.Yield();
                    return JobResult.Complete(ctx.ToJson(new { job.Url }));
                }));
            var before = await client.CreateExecutionAsync(new CreateExecutionRequest("resize", Queue: "restart",
                Input: System.Text.Json.JsonSerializer.SerializeToElement(new ResizeJob("before.png", 1))));
            Assert.Equal(ExecutionStatus.Succeeded, (await WaitAsync(client, before.Id)).Status);

            await silo.KillAsync();
            await silo.DisposeAsync();
            silo = await SiloProcess.StartAsync(data.Path, settings);

            var after = await client.CreateExecutionAsync(new CreateExecutionRequest("resize", Queue: "restart",
                Input: System.Text.Json.JsonSerializer.SerializeToElement(new ResizeJob("after.png", 1))));
            var done = await WaitAsync(client, after.Id);
            Assert.Equal(ExecutionStatus.Succeeded, done.Status);
            Assert.Equal("after.png", done.Output!.Value.GetProperty("url").GetString());
            Assert.Equal(ExecutionStatus.Succeeded, (await client.GetExecutionAsync(before.Id)).Status);
            await host.StopAsync();
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    private static async Task<Execution> WaitAsync(LeveeClient client, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await client.WaitForResultAsync(id, timeout.Token);
    }
}
