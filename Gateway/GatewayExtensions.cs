using Levee.Gateway.Admin;
using Levee.Gateway.Approvals;
using Levee.Gateway.Auth;
using Levee.Gateway.Batches;
using Levee.Gateway.Cluster;
using Levee.Gateway.Dashboard;
using Levee.Gateway.Executions;
using Levee.Gateway.Health;
using Levee.Gateway.Hosting;
using Levee.Gateway.Json;
using Levee.Gateway.OpenApi;
using Levee.Gateway.Problems;
using Levee.Gateway.RateLimits;
using Levee.Gateway.Streams;
using Levee.Gateway.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using System.Text.Json.Serialization;

namespace Levee.Gateway;

/// <summary>
/// Registers and maps the HTTP gateway. It needs an Orleans <c>IGrainFactory</c> from its host:
/// the silo's (co-hosted) or an Orleans client's (<see cref="Hosting.GatewayProgram"/>); the two
/// cannot share one host, so hosting stays outside this class.
/// </summary>
public static class GatewayExtensions
{
    /// <summary>Adds the gateway's services; options bind from <c>Levee:Gateway</c>.</summary>
    public static IServiceCollection AddLeveeGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection("Levee:Gateway")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidation>();
        services.AddLeveeRateLimits();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<JsonBody>();
        services.AddLeveeWatches();
        services.AddSingleton<EventStreamer>();
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(provider => provider.GetRequiredService<ShutdownDrain>());
        services.AddSingleton<ApiKeyCache>();
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection("Levee:Dashboard")).ValidateOnStart()
            .Validate(o => o.SessionMinutes is >= 1 and <= 24 * 60, "Levee:Dashboard:SessionMinutes must be 1 to 1440.");
        services.AddSingleton<DashboardSessions>();
        services.AddProblemDetails();
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        // The resources through LeveeJsonContext, which in-cluster clients use too: one representation.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, LeveeJsonContext.Default);
            // Request bodies are read through GatewayJsonContext, which refuses quoted numbers; the
            // OpenAPI generator reads these options, whose Web default would document every number
            // as "number or string". Writing is the same either way.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddLeveeOpenApi();
        return services;
    }

    /// <summary>Adds the middleware and maps every endpoint.</summary>
    public static WebApplication MapLeveeGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseMiddleware<RequestHeadLimits>();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        app.UseRouting();
        app.UseMiddleware<ApiKeyMiddleware>();
        // After authentication: requests are counted by key (RequestRateLimits).
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapApiReference();
        app.MapHealthApi();
        app.MapDashboardPage();
        // Every handler that binds a JSON body (Json<T>) is answered with the body's problem first.
        var api = app.MapGroup("").AddEndpointFilter<JsonBodyFilter>();
        api.MapExecutionsApi();
        api.MapWorkersApi();
        api.MapApprovalsApi();
        api.MapBatchesApi();
        api.MapAdminApi();
        api.MapAdminTenantsApi();
        api.MapSessionApi();
        api.MapClusterApi();
        return app;
    }
}
