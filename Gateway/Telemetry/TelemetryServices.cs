using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Levee.Gateway.Telemetry;

/// <summary>OpenTelemetry for a silo or a standalone gateway, when <see cref="TelemetrySettings"/> switches it on.</summary>
public static class TelemetryServices
{
    /// <summary>
    /// Traces (ASP.NET Core, Orleans, Levee) and metrics (ASP.NET Core, Orleans, Levee) exported over
    /// OTLP as <paramref name="serviceName"/>. Returns false, registering nothing, when export is
    /// off; the caller then leaves out Orleans' activity propagation too, which costs per call.
    /// </summary>
    public static bool AddLeveeTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        if (!TelemetrySettings.IsEnabled(configuration))
        {
            return false;
        }
        var endpoint = TelemetrySettings.Endpoint(configuration);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource(Orleans.Diagnostics.ActivitySources.AllActivitySourceName, TelemetrySettings.LeveeSources)
                .AddOtlpExporter(o => o.Endpoint = endpoint ?? o.Endpoint))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(TelemetrySettings.OrleansMeter, TelemetrySettings.LeveeSources)
                .AddOtlpExporter(o => o.Endpoint = endpoint ?? o.Endpoint));
        return true;
    }
}
