using System.Text;
using System.Text.Json;
using Levee.Cluster;
using Levee.Gateway.Auth;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Cluster;

/// <summary><c>/v1/cluster</c> and its live stream, for the admin key.</summary>
public static class ClusterApi
{
    /// <summary>How often the stream looks at the cluster; it sends only what changed, so at most one snapshot a second.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Maps <c>GET /v1/cluster</c> and <c>GET /v1/cluster/events</c>.</summary>
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/cluster").WithTags("Cluster").RequireScope(ApiScopes.Admin);
        group.MapGet("", GetAsync).WithName("getCluster")
            .WithSummary("The silos (status, address, uptime, activations, commands/s, commit latency) and the executions by status");
        group.MapGet("/events", StreamAsync).WithName("streamCluster")
            .WithSummary("The cluster view as SSE: one snapshot at once, then one whenever it changed, at most one a second")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return routes;
    }

    private static IClusterGrain Cluster(IGrainFactory grains) => grains.Grain<IClusterGrain>(IClusterGrain.Key);

    private static async Task<Ok<ClusterView>> GetAsync(IGrainFactory grains) => TypedResults.Ok(await Cluster(grains).GetAsync());

    /// <summary>
    /// Looks once a second and sends <c>event: snapshot</c> when the view differs from the last one
    /// sent (a keep-alive comment otherwise, so proxies keep the stream open); ends when the client
    /// goes or the process stops.
    /// </summary>
    private static async Task<EmptyHttpResult> StreamAsync(HttpContext http, IGrainFactory grains, IHostApplicationLifetime lifetime,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        string? sent = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var view = JsonSerializer.Serialize(await Cluster(grains).GetAsync(), json.Value.SerializerOptions);
                var frame = view == sent ? ": keep-alive\n\n" : $"event: snapshot\ndata: {view}\n\n";
                sent = view;
                await response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes(frame), stop.Token);
                await Task.Delay(Period, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went, or the process is stopping; a client reconnects for a new snapshot.
        }
        return TypedResults.Empty;
    }
}
