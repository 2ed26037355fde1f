using System.Diagnostics.Metrics;

namespace Levee.Gateway.Telemetry;

/// <summary>The gateway's own metrics (ASP.NET Core's request metrics come from its instrumentation).</summary>
internal static class GatewayTelemetry
{
    public const string Name = "Levee.Gateway";

    private static readonly Meter Meter = new(Name);

    /// <summary>SSE event streams open now (executions and batches).</summary>
    public static readonly UpDownCounter<long> SseSubscribers = Meter.CreateUpDownCounter<long>("levee.sse.subscribers", description: "Event streams open");
}
