using Levee.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Levee.Silo.Tests.Memory;

/// <summary>A queue with no work and no waiters leaves nothing behind: 100,000 distinct queue names polled once each.</summary>
public sealed class QueueMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const int Queues = 100_000;
    private const long MaxGrowthBytes = 60L * 1024 * 1024;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task HundredThousandEmptyQueuesPolledOnce_LeaveNoMemoryBehindOnceIdle()
    {
        await using var silo = await SiloProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Levee:Runtime:IdleTimeout"] = "00:00:04",
            ["Levee:Runtime:CollectionInterval"] = "00:00:01",
        });
        using var client = silo.CreateClient();
        for (var i = 0; i < 2000; i++)
        {
            await client.PostJsonAsync($"/v1/queues/warm-{i}/claim", """{"workerId":"w","waitMs":0}""");
        }
        await WaitForQuietAsync();
        var baseline = silo.ResidentBytes();

        var next = -1;
        var peak = baseline;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Queues)
            {
                var reply = await client.PostJsonAsync($"/v1/queues/q-{i}/claim", """{"workerId":"w","waitMs":0}""");
                Assert.Equal(0, reply.GetProperty("claims").GetArrayLength());
                if (i % 10_000 == 0)
                {
                    peak = Math.Max(peak, silo.ResidentBytes());
                }
            }
        })));
        peak = Math.Max(peak, silo.ResidentBytes());
        await WaitForQuietAsync();
        var idle = silo.ResidentBytes();

        output.WriteLine($"RSS baseline {baseline / 1048576} MB, peak {peak / 1048576} MB, after idle {idle / 1048576} MB");
        Assert.True(idle - baseline < MaxGrowthBytes, $"after idle, RSS is {(idle - baseline) / 1048576} MB above the baseline");
    }

    /// <summary>Idle collection runs every second here and the governor trims once the silo is quiet.</summary>
    private static Task WaitForQuietAsync() => Task.Delay(TimeSpan.FromSeconds(8));

    public void Dispose() => _dir.Dispose();
}
