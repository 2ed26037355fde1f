using System.Net;
using System.Net.Http.Headers;

namespace Levee.Load;

/// <summary>Builds the single <see cref="HttpClient"/> shared by every worker of a run.</summary>
internal static class LoadHttpClient
{
    /// <summary>
    /// A client for the run's loops. <paramref name="timeout"/> replaces the default 30 s for requests
    /// that last longer by design: a body of a million batch items, an event stream.
    /// </summary>
    public static HttpClient Create(LoadOptions options, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            // One connection per client loop: no loop waits for another's connection (a claim
            // long-poll holds its connection while it waits), and the silo sees exactly that many
            // keep-alive connections.
            MaxConnectionsPerServer = options.Connections,
            // Recycling connections mid-run would add handshakes to the measured latencies.
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // A proxy from the environment (http_proxy) would measure the proxy, not the silo.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = options.Url,
            // Long enough to ride out a stall (which then shows in max latency), short enough
            // that a hung silo ends the run with errors instead of hanging it.
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (options.Key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
        }
        return client;
    }
}
