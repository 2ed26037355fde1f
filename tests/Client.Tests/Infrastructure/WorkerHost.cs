using Levee.Client.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Levee.Client.Tests.Infrastructure;

/// <summary>Starts a worker host (AddLeveeClient + AddLeveeWorker) in this process, as an application would.</summary>
public static class WorkerHost
{
    public static async Task<IHost> StartAsync(Uri url, string key, Action<LeveeWorkerOptions> configure, TimeSpan? shutdownTimeout = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLeveeClient(o =>
        {
            (o.BaseAddress, o.ApiKey, o.MaxRetries, o.RetryDelay) = (url, key, 2, TimeSpan.FromMilliseconds(50));
        });
        builder.Services.AddLeveeWorker(o =>
        {
            o.MaxClaimBackoff = TimeSpan.FromSeconds(1);
            configure(o);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
