using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Levee.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Levee.Silo.Tests.Memory;

/// <summary>
/// A subscriber that stops reading holds a bounded number of bytes in the silo, not a number of
/// events: back-pressure from its socket stops its reads. 500 of them, while 12 MB is appended.
/// </summary>
public sealed class SseBackPressureTests(ITestOutputHelper output) : IDisposable
{
    private const int Subscribers = 500;
    private const long MaxGrowthBytes = 200L * 1024 * 1024;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task FiveHundredNonReadingSubscribers_WhileTwelveMegabytesAreAppended_KeepMemoryBoundedAndHealthzAnswering()
    {
        await using var silo = await SiloProcess.StartAsync(_dir.Path);
        using var client = silo.CreateClient();
        await client.PostJsonAsync("/v1/executions", """{"id":"chatty","task":"t"}""");
        // Warm the paths the subscribers use, then take the baseline.
        await client.PostJsonAsync("/v1/executions/chatty/output", """{"chunks":["warm"]}""");
        await WarmUpStreamAsync(silo);
        GC.KeepAlive(await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        var baseline = silo.ResidentBytes();

        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < Subscribers; i++)
            {
                sockets.Add(await OpenNonReadingSubscriberAsync(silo));
            }

            using var appending = new CancellationTokenSource();
            var peak = baseline;
            var sampler = Task.Run(async () =>
            {
                while (!appending.IsCancellationRequested)
                {
                    peak = Math.Max(peak, silo.ResidentBytes());
                    await Task.Delay(100);
                }
            });
            var health = Task.Run(() => ProbeHealthUntilAsync(silo, appending.Token));

            // 12 MB of output: 120 requests of 10 chunks of ~10 KB.
            var chunk = new string('x', 10_000);
            var body = "{\"chunks\":[" + string.Join(',', Enumerable.Repeat($"\"{chunk}\"", 10)) + "]}";
            for (var i = 0; i < 120; i++)
            {
                await client.PostJsonAsync("/v1/executions/chatty/output", body);
            }
            await Task.Delay(2000); // let every subscriber run into its socket
            peak = Math.Max(peak, silo.ResidentBytes());
            await appending.CancelAsync();
            await sampler;
            var (probes, slowestMs) = await health;

            output.WriteLine($"RSS baseline {baseline / 1048576} MB, peak {peak / 1048576} MB, growth {(peak - baseline) / 1048576} MB; " +
                $"/healthz answered {probes} probes, slowest {slowestMs} ms");
            Assert.True(peak - baseline < MaxGrowthBytes, $"RSS grew by {(peak - baseline) / 1048576} MB (baseline {baseline / 1048576} MB)");
            Assert.True(probes > 0);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Sends the SSE request and never reads: a tiny receive buffer so the kernel cannot absorb the stream either.</summary>
    private static async Task<Socket> OpenNonReadingSubscriberAsync(SiloProcess silo)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, silo.Url.Port));
        var request = $"GET /v1/executions/chatty/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {silo.TenantKey}\r\nAccept: text/event-stream\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        return socket;
    }

    private static async Task WarmUpStreamAsync(SiloProcess silo)
    {
        using var client = silo.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/executions/chatty/events", UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256];
        _ = await stream.ReadAsync(buffer);
    }

    /// <summary>/healthz throughout: every probe must answer 200 (within the client's timeout; how fast is reported, not asserted).</summary>
    private static async Task<(int Probes, long SlowestMs)> ProbeHealthUntilAsync(SiloProcess silo, CancellationToken stop)
    {
        using var probe = new HttpClient { BaseAddress = silo.Url, Timeout = TimeSpan.FromSeconds(10) };
        var (probes, slowest) = (0, 0L);
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await probe.GetAsync(new Uri("/healthz", UriKind.Relative), CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            slowest = Math.Max(slowest, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            probes++;
            await Task.Delay(200, CancellationToken.None);
        }
        return (probes, slowest);
    }

    public void Dispose() => _dir.Dispose();
}
