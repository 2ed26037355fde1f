using System.Net;
using System.Net.Sockets;

namespace Levee.Client.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder in front of the silo that a test can make misbehave: drop every open
/// connection, refuse (reset) the next connections, or cut the next one after some bytes of
/// its request. What a flaky network or a load balancer does to a client, on demand.
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
                // A pump may have closed them already; a reset (linger 0) is what a dropped link looks like.
                if (client.Client is { Connected: true } socket)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                client.Dispose();
                server.Dispose();
            }
            _open.Clear();
        }
    }

    /// <summary>The next <paramref name="count"/> connections are reset before any byte is forwarded.</summary>
    public void ResetNext(int count) => Interlocked.Exchange(ref _resetNext, count);

    /// <summary>The next connection forwards <paramref name="bytes"/> bytes of its request, then both sides are closed.</summary>
    public void CutNextAfter(long bytes) => Interlocked.Exchange(ref _cutNextAfter, bytes);

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
            var server = new TcpClient();
            await server.ConnectAsync(_upstream.Host, _upstream.Port);
            lock (_open)
            {
                _open.Add((client, server));
            }
            _ = PumpAsync(client, server, cut);
            _ = PumpAsync(server, client, -1);
        }
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
