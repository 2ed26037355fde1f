using System.Text.Json;
using Levee.Client.Tests.Infrastructure;

namespace Levee.Client.Tests;

[Collection(LiveSiloCollection.Name)]
public sealed class EventStreamTests(LiveSilo live)
{
    [Fact]
    public async Task StreamEvents_ConnectionDropped_ResumesWithoutGapOrDuplicate()
    {
        await using var proxy = new TcpProxy(live.Url);
        var key = await live.NewTenantKeyAsync();
        var writer = LiveSilo.Client(live.Url, key);
        var reader = LiveSilo.Client(proxy.Url, key);
        var created = await writer.CreateExecutionAsync(new CreateExecutionRequest("stream"));
        await writer.WriteStatusAsync(created.Id, new StatusWrite(ExecutionStatus.Running));
        await writer.AppendOutputAsync(created.Id, [Chunk(1), Chunk(2), Chunk(3)]);

        var seen = new List<ExecutionEvent>();
        await foreach (var e in reader.StreamEventsAsync(created.Id))
        {
            seen.Add(e);
            if (seen.Count == 3)
            {
                // Mid-stream: the connection goes, then more events arrive while the reader is away.
                proxy.DropAll();
                await writer.AppendOutputAsync(created.Id, [Chunk(4), Chunk(5)]);
                await writer.WriteStatusAsync(created.Id, new StatusWrite(ExecutionStatus.Succeeded, Output: Chunk(6)));
            }
        }

        Assert.True(proxy.Connections >= 2, "the stream reconnected");
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i), seen.Select(e => e.Seq));
        Assert.Equal(created.Id, (await writer.GetExecutionAsync(created.Id)).Id);
        Assert.Equal((await writer.GetExecutionAsync(created.Id)).LastEventSeq, seen[^1].Seq);
        Assert.Equal("succeeded", seen[^1].Type);
        Assert.Equal(5, seen.Count(e => e.Type == "output"));
    }

    [Fact]
    public async Task StreamEvents_FromAfterSeq_StartsAfterIt()
    {
        var client = LiveSilo.Client(live.Url, await live.NewTenantKeyAsync());
        var created = await client.CreateExecutionAsync(new CreateExecutionRequest("stream"));
        await client.WriteStatusAsync(created.Id, new StatusWrite(ExecutionStatus.Running));
        await client.WriteStatusAsync(created.Id, new StatusWrite(ExecutionStatus.Cancelled));

        var seqs = new List<long>();
        await foreach (var e in client.StreamEventsAsync(created.Id, afterSeq: 1))
        {
            seqs.Add(e.Seq);
        }

        Assert.Equal([2L, 3L], seqs);
    }

    private static JsonElement Chunk(int n) => JsonSerializer.SerializeToElement(new { n });
}
