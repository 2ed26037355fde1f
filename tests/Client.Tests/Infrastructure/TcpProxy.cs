using System.Net;
using System.Net.Sockets;

namespace Levee.Client.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder in front of the silo that a test can make misbehave: drop every open
/// connection, refuse (reset) the next connections, cut the next one after some bytes of its
/// request, or cut the next one's response (before any byte, or inside its body). What a flaky
/// network or a load balancer does to a client, on demand.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _upstream;
    private readonly List<(TcpClient Client, TcpClient Server)> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _resetNext;
    private long _cutNextAfter = -1;
    private int _cutNextResponse = (int)ResponseCut.None;

    public TcpProxy(Uri upstream)
    {
        _upstream = upstream;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections { get; private set; }

    /// <summary>Closes every open connection at once (both sides).</summary>
    public void DropAll()
    {
        lock (_open)
        {
            foreach (var (client, server) in _open)
            {
                Reset(client, server);
            }
            _open.Clear();
        }
    }

    /// <summary>The next <paramref name="count"/> connections are reset before any byte is forwarded.</summary>
    public void ResetNext(int count) => Interlocked.Exchange(ref _resetNext, count);

    /// <summary>The next connection forwards <paramref name="bytes"/> bytes of its request, then both sides are closed.</summary>
    public void CutNextAfter(long bytes) => Interlocked.Exchange(ref _cutNextAfter, bytes);

    /// <summary>How the next connection's response is cut.</summary>
    public enum ResponseCut
    {
        /// <summary>Forwarded whole.</summary>
        None,
        /// <summary>The request reaches the server, and the connection is reset before any byte of its reply.</summary>
        BeforeReply,
        /// <summary>The reply's headers and one byte of its body are forwarded, then the connection is reset.</summary>
        InsideBody,
    }

    /// <summary>Cuts the reply of the next connection as <paramref name="cut"/> says.</summary>
    public void CutNextResponse(ResponseCut cut) => Interlocked.Exchange(ref _cutNextResponse, (int)cut);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Connections++;
            if (Interlocked.Decrement(ref _resetNext) >= 0)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }
            Interlocked.CompareExchange(ref _resetNext, 0, -1);
            var cut = Interlocked.Exchange(ref _cutNextAfter, -1);
            var responseCut = (ResponseCut)Interlocked.Exchange(ref _cutNextResponse, (int)ResponseCut.None);
            var server = new TcpClient();
            await server.ConnectAsync(_upstream.Host, _upstream.Port);
            lock (_open)
            {
                _open.Add((client, server));
            }
            _ = PumpAsync(client, server, cut);
            _ = responseCut == ResponseCut.None ? PumpAsync(server, client, -1) : CutReplyAsync(server, client, responseCut);
        }
    }

    /// <summary>Forwards the reply up to the cut, then resets the client's side (linger 0).</summary>
    private async Task CutReplyAsync(TcpClient server, TcpClient client, ResponseCut cut)
    {
        var buffer = new byte[16 * 1024];
        // Matched bytes of the blank line that ends the headers; once all four, one body byte goes.
        var matched = 0;
        try
        {
            var input = server.GetStream();
            var output = client.GetStream();
            while (cut == ResponseCut.InsideBody)
            {
                var read = await input.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }
                var take = 0;
                while (take < read && matched < 4)
                {
                    matched = buffer[take] == "\r\n\r\n"[matched] ? matched + 1 : buffer[take] == '\r' ? 1 : 0;
                    take++;
                }
                if (matched == 4 && take < read)
                {
                    await output.WriteAsync(buffer.AsMemory(0, take + 1), _stop.Token);
                    break;
                }
                await output.WriteAsync(buffer.AsMemory(0, take), _stop.Token);
            }
            if (cut == ResponseCut.BeforeReply)
            {
                // Wait for the reply to start, so the server has acted on the request before the cut.
                await input.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false, _stop.Token);
            }
        }
        catch (Exception)
        {
            // Either side went away.
        }
        Reset(client, server);
    }

    /// <summary>Closes both sides; the client's with a reset (linger 0), which is what a dropped link looks like. A pump may have closed them already.</summary>
    private static void Reset(TcpClient client, TcpClient server)
    {
        if (client.Client is { Connected: true } socket)
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        client.Dispose();
        server.Dispose();
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, long cutAfter)
    {
        var buffer = new byte[16 * 1024];
        long forwarded = 0;
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            while (true)
            {
                var read = await input.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }
                var take = cutAfter >= 0 ? (int)Math.Min(read, cutAfter - forwarded) : read;
                await output.WriteAsync(buffer.AsMemory(0, take), _stop.Token);
                forwarded += take;
                if (cutAfter >= 0 && forwarded >= cutAfter)
                {
                    break;
                }
            }
        }
        catch (Exception)
        {
            // Either side went away.
        }
        from.Dispose();
        to.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accepting;
        _stop.Dispose();
    }
}
