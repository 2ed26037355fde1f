using Levee.Gateway.RateLimits;

namespace Levee.Gateway;

/// <summary>Gateway limits and settings (<c>Levee:Gateway</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>Default of <see cref="SocketSendBufferBytes"/>: 64 KiB.</summary>
    public const int DefaultSocketSendBufferBytes = 64 * 1024;

    /// <summary>Kernel send buffer of each accepted connection (see <see cref="Hosting.GatewayKestrel"/>); 0 = the OS's autotuning.</summary>
    public int SocketSendBufferBytes { get; set; } = DefaultSocketSendBufferBytes;

    /// <summary>Largest JSON request body (default 1 MiB).</summary>
    public int MaxJsonBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest NDJSON line of Phase 2 (default 1 MiB).</summary>
    public int MaxNdjsonLineBytes { get; set; } = 1024 * 1024;

    /// <summary>Most reports in one <c>POST /v1/events</c>.</summary>
    public int MaxEventsPerRequest { get; set; } = 1000;

    /// <summary>Most chunks in one output append.</summary>
    public int MaxOutputChunks { get; set; } = 1000;

    /// <summary>Interval of SSE keep-alive comments.</summary>
    public TimeSpan SseKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest <c>waitMs</c> of a result long-poll.</summary>
    public int MaxResultWaitMs { get; set; } = 60_000;

    /// <summary>
    /// Payload bytes an SSE subscriber reads at a time (default 16 KiB): with Kestrel's response
    /// buffer, what one subscriber that stops reading holds in this process.
    /// </summary>
    public int SsePageBytes { get; set; } = 16 * 1024;

    /// <summary>Longest <see cref="DrainDelay"/>.</summary>
    public static readonly TimeSpan MaxDrainDelay = TimeSpan.FromMinutes(1);

    /// <summary>
    /// On SIGTERM, how long the process keeps serving with <c>/readyz</c> at 503 before it stops
    /// listening (default 0): long enough for a load balancer's probes to take it out of rotation
    /// (probe interval × failures), so no new request meets a closed port.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Limits per API key (<c>Levee:Gateway:RateLimit</c>), off by default.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();
}
