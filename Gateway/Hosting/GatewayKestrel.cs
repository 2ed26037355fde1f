using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;

namespace Levee.Gateway.Hosting;

/// <summary>Kestrel as both hosts of the gateway (the silo and <see cref="GatewayProgram"/>) run it.</summary>
public static class GatewayKestrel
{
    /// <summary>Kestrel's response buffer per connection: a writer waits once this much is unsent (Kestrel's default is 64 KiB).</summary>
    public const int ResponseBufferBytes = 32 * 1024;

    /// <summary>
    /// Kestrel's request-line limit (its default is 8 KiB), an outer guard four times
    /// <see cref="RequestHeadLimits.MaxTargetBytes"/>: a target between the two is the gateway's
    /// 414 problem+json; a line beyond this one is Kestrel's own 414, empty, before the app runs.
    /// </summary>
    public const int MaxRequestLineBytes = 32 * 1024;

    /// <summary>
    /// Kestrel's limit on the header block (its default is 32 KiB), an outer guard four times
    /// <see cref="RequestHeadLimits.MaxHeaderBytes"/>: between the two the gateway answers 431
    /// problem+json; beyond this one Kestrel answers its own 431, empty, before the app runs.
    /// </summary>
    public const int MaxRequestHeadersBytes = 64 * 1024;

    /// <summary>
    /// Bodies are limited per endpoint (JSON 1 MiB; NDJSON streams per line), not globally; the
    /// request line and headers only by an outer guard (<see cref="MaxRequestLineBytes"/>,
    /// <see cref="MaxRequestHeadersBytes"/>) above the limits <see cref="RequestHeadLimits"/>
    /// answers with problem+json; no Server header; a response buffer of
    /// <see cref="ResponseBufferBytes"/>; and the kernel's send buffer of every accepted socket is capped
    /// (<c>Levee:Gateway:SocketSendBufferBytes</c>, default 64 KiB, 0 = the OS's autotuning). Without
    /// the cap Linux grows a socket's send buffer to 4 MB, so a client that stops reading an event
    /// stream makes the gateway read and queue megabytes for it before back-pressure reaches the
    /// stream; with it, a stalled subscriber costs a page, Kestrel's response buffer and this.
    /// The price is throughput per connection on long, fat links (at most the buffer per round trip).
    /// </summary>
    public static IWebHostBuilder UseLeveeKestrel(this IWebHostBuilder web, IConfiguration configuration)
    {
        var sendBuffer = configuration.GetValue("Levee:Gateway:SocketSendBufferBytes", GatewayOptions.DefaultSocketSendBufferBytes);
        web.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestLineSize = MaxRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersBytes;
            // One HTTP/2 header field may be as large as the whole block may be (its default is 16 KiB).
            kestrel.Limits.Http2.MaxRequestHeaderFieldSize = MaxRequestHeadersBytes;
            kestrel.Limits.MaxResponseBufferSize = ResponseBufferBytes;
            kestrel.AddServerHeader = false;
        });
        if (sendBuffer > 0)
        {
            // Accepted sockets inherit the listening socket's buffer sizes.
            web.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
            {
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = sendBuffer;
                return socket;
            });
        }
        return web;
    }
}
