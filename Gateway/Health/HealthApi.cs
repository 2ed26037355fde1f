using Levee.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Levee.Gateway.Health;

/// <summary>Liveness and readiness probes.</summary>
public static class HealthApi
{
    /// <summary>Maps <c>/healthz</c> (process up) and <c>/readyz</c> (storage answers).</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("Health");
        routes.MapGet("/readyz", async (IStorageHealth storage, HttpContext http) =>
            await storage.IsReadyAsync(http.RequestAborted)
                ? Results.Text("ready")
                : Results.Text("storage unavailable", statusCode: StatusCodes.Status503ServiceUnavailable)).WithTags("Health");
        return routes;
    }
}
