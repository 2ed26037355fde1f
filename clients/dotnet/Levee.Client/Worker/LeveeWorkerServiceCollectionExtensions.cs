using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Levee.Client.Worker;

/// <summary>Registers the worker host.</summary>
public static class LeveeWorkerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a hosted worker that serves the queues <paramref name="configure"/> declares, e.g.
    /// <c>o.Queue("images").Handle&lt;ResizeJob&gt;(async (job, ctx, ct) => ...)</c>. It calls the API
    /// through the <see cref="LeveeClient"/> registered with <c>AddLeveeClient</c>.
    /// </summary>
    public static IServiceCollection AddLeveeWorker(this IServiceCollection services, Action<LeveeWorkerOptions> configure)
    {
        services.AddOptions<LeveeWorkerOptions>().Configure(configure).Validate(o => o.Queues.Count > 0 && o.Queues.All(q => q.Handler is not null),
            "AddLeveeWorker needs at least one queue, each with a handler (o.Queue(\"name\").Handle<T>(...)).");
        services.AddMetrics();
        services.TryAddSingleton<WorkerMetrics>();
        services.AddHostedService<LeveeWorkerService>();
        return services;
    }
}
