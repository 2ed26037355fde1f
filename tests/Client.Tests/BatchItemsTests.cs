using System.Text.Json;
using Levee.Client.Tests.Infrastructure;

namespace Levee.Client.Tests;

[Collection(LiveSiloCollection.Name)]
public sealed class BatchItemsTests(LiveSilo live)
{
    [Fact]
    public async Task UploadItems_FromAnAsyncEnumerable_SealsTheBatch()
    {
        var client = LiveSilo.Client(live.Url, await live.NewTenantKeyAsync());
        var batch = await client.CreateBatchAsync(new CreateBatchRequest(5_000, "resize", "bulk"));

        var result = await client.UploadItemsAsync(batch.Id, () => Items(5_000));

        Assert.True(result.Sealed);
        Assert.Equal((5_000L, 5_000L), (result.ItemsAccepted, result.EnqueuedCount));
    }

    [Fact]
    public async Task UploadItems_ConnectionCutMidStream_ResumesFromTheMissingIndexes()
    {
        await using var proxy = new TcpProxy(live.Url);
        var client = LiveSilo.Client(proxy.Url, await live.NewTenantKeyAsync());
        var batch = await client.CreateBatchAsync(new CreateBatchRequest(4_000, "resize", "cut"));
        proxy.DropAll();
        // Roughly half of the body goes through before the connection is cut.
        proxy.CutNextAfter(60_000);

        var result = await client.UploadItemsAsync(batch.Id, () => Items(4_000));

        Assert.True(result.Sealed);
        Assert.Equal(4_000, (await client.GetBatchAsync(batch.Id)).EnqueuedCount);
        Assert.True(proxy.Connections >= 2);
    }

    [Fact]
    public async Task UploadItems_SourceShort_ReturnsTheMissingIndexes()
    {
        var client = LiveSilo.Client(live.Url, await live.NewTenantKeyAsync());
        var batch = await client.CreateBatchAsync(new CreateBatchRequest(10, "resize", "short"));

        var result = await client.UploadItemsAsync(batch.Id, () => Items(7));

        Assert.False(result.Sealed);
        Assert.Equal([7, 8, 9], result.Missing);
    }

    private static async IAsyncEnumerable<BatchItem> Items(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (i % 500 == 0)
            {
                await Task.Yield();
            }
            yield return new BatchItem(i, Input: JsonSerializer.SerializeToElement(new { url = $"https://img.example/{i}.png" }));
        }
    }
}
