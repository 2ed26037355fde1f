using Microsoft.Extensions.Configuration;

namespace Levee.Gateway.Telemetry;

/// <summary>
/// Whether, and where, traces and metrics are exported over OTLP: <c>Levee:Telemetry:Otlp:Endpoint</c>
/// (e.g. <c>http://collector:4317</c>), or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with the
/// other <c>OTEL_*</c> variables, which the exporter reads itself). Neither set: nothing of
/// OpenTelemetry is registered, so no span or measurement is even created.
/// </summary>
public static class TelemetrySettings
{
    /// <summary>The setting that names the OTLP endpoint.</summary>
    public const string EndpointKey = "Levee:Telemetry:Otlp:Endpoint";

    /// <summary>The standard variable the OTLP exporter reads when Levee's setting is unset.</summary>
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Every Levee source and meter (<c>Levee.Silo</c>, <c>Levee.Grains</c>, <c>Levee.Gateway</c>).</summary>
    public const string LeveeSources = "Levee.*";

    /// <summary>Orleans' meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The endpoint Levee's setting names (null when it is unset), refused when not an absolute http(s) URL.</summary>
    public static Uri? Endpoint(IConfiguration configuration)
    {
        var text = configuration[EndpointKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"{EndpointKey} '{text}' is not an absolute http:// or https:// URL.");
    }

    /// <summary>True when export is switched on, by Levee's setting or the standard variable.</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        Endpoint(configuration) is not null || !string.IsNullOrWhiteSpace(configuration[StandardEndpointVariable]);
}
