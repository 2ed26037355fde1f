using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
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
                .AddOtlpExporter(o => Point(o, endpoint, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(TelemetrySettings.OrleansMeter, TelemetrySettings.LeveeSources)
                .AddOtlpExporter(o => Point(o, endpoint, "v1/metrics")));
        return true;
    }

    /// <summary>
    /// Levee's endpoint for one signal. Over gRPC it is the endpoint itself; over HTTP
    /// (<c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>) an endpoint set in code is used as is, so
    /// the signal's path is added here, as the exporter does for the standard variable.
    /// </summary>
    private static void Point(OtlpExporterOptions options, Uri? endpoint, string signalPath)
    {
        if (endpoint is not null)
        {
            options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/{signalPath}")
                : endpoint;
        }
    }
}
