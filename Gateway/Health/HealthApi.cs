using Levee.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Levee.Gateway.Health;

/// <summary>Liveness and readiness probes.</summary>
public static class HealthApi
{
    /// <summary>How long readiness waits for the cluster.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Maps <c>/healthz</c> (process up) and <c>/readyz</c> (a silo answers and its storage answers, and the process is not draining).</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("Health")
            .WithName("getHealth").WithSummary("Liveness: 200 while the process is up")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        routes.MapGet("/readyz", async (IGrainFactory grains, ShutdownDrain drain) =>
        {
            if (drain.IsDraining)
            {
                return TypedResults.Text("draining", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            try
            {
                return await grains.Grain<IReadinessGrain>(IReadinessGrain.Key).IsReadyAsync().WaitAsync(ReadyTimeout)
                    ? TypedResults.Text("ready")
                    : TypedResults.Text("storage unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return TypedResults.Text("cluster unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).WithTags("Health")
            .WithName("getReadiness").WithSummary("Readiness: 200 when the cluster and storage answer, else 503 (also from SIGTERM on, while draining)")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        return routes;
    }
}
