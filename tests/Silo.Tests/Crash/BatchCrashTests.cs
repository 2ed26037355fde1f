using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Crash;

/// <summary>Batches survive SIGKILL: a half-streamed batch completes exactly on resend; a seal timeout set before the crash fires after it.</summary>
public sealed class BatchCrashTests : IDisposable
{
    private const int RunCount = 100_000;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Sigkill_MidStream_ResendingTheWholeStreamSealsWithExactlyRunCountChildren()
    {
        string id;
        await using (var silo = await SiloProcess.StartAsync(_dir.Path))
        {
            using var client = silo.CreateClient();
            id = (await client.PostJsonAsync("/v1/batches", $$"""{"runCount":{{RunCount}},"task":"t","queue":"big"}""")).GetProperty("id").GetString()!;
            var streaming = StreamItemsAsync(client, id);
            // Kill once a good part, but not all, of the stream was accepted.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await client.GetFromJsonAsync<JsonElement>(new Uri($"/v1/batches/{id}", UriKind.Relative))).GetProperty("enqueuedCount").GetInt64() < 10_000)
            {
                if (streaming.IsCompleted)
                {
                    Assert.Fail($"the stream ended before the kill: {await (await streaming).Content.ReadAsStringAsync()}");
                }
                Assert.True(DateTime.UtcNow < deadline, "the batch accepted fewer than 10,000 items within 60 s");
                await Task.Delay(20);
            }
            await silo.KillAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => streaming);
        }

        await using var restarted = await SiloProcess.StartAsync(_dir.Path);
        using var again = restarted.CreateClient();
        // The resend is one request of up to 100,000 items: on two cores shared with the other
        // test assemblies it has taken over the default 30 s. It only has to finish.
        again.Timeout = TimeSpan.FromMinutes(5);
        var before = (await again.GetFromJsonAsync<JsonElement>(new Uri($"/v1/batches/{id}", UriKind.Relative))).GetProperty("enqueuedCount").GetInt64();
        Assert.InRange(before, 10_000, RunCount - 1);

        using var response = await StreamItemsAsync(again, id);
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, reply.ToString());
        Assert.True(reply.GetProperty("sealed").GetBoolean());
        Assert.Equal(RunCount - before, reply.GetProperty("itemsAccepted").GetInt64());
        Assert.Equal(before, reply.GetProperty("itemsDeduplicated").GetInt64());

        var batch = await again.GetFromJsonAsync<JsonElement>(new Uri($"/v1/batches/{id}", UriKind.Relative));
        Assert.Equal(RunCount, batch.GetProperty("enqueuedCount").GetInt64());
        // One child per index, no index twice: the children counted by status add up to runCount.
        Assert.Equal(RunCount, batch.GetProperty("counts").GetProperty("queued").GetInt64());
        Assert.Equal("processing", batch.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sigkill_BeforeSealTimeout_AbortsAfterRestartAndCancelsChildren()
    {
        // Long enough that the items are in before it expires even on a loaded machine; the test
        // then waits for it to pass while the silo is down.
        const int SealTimeoutMs = 8000;
        string id;
        DateTime created;
        await using (var silo = await SiloProcess.StartAsync(_dir.Path))
        {
            using var client = silo.CreateClient();
            created = DateTime.UtcNow;
            id = (await client.PostJsonAsync("/v1/batches", $$"""{"runCount":3,"task":"t","sealTimeoutMs":{{SealTimeoutMs}}}""")).GetProperty("id").GetString()!;
            using var content = new StringContent("{\"index\":0}\n{\"index\":1}\n", Encoding.UTF8, "application/x-ndjson");
            (await client.PostAsync(new Uri($"/v1/batches/{id}/items", UriKind.Relative), content)).EnsureSuccessStatusCode();
            await silo.KillAsync();
        }
        var expired = created.AddMilliseconds(SealTimeoutMs + 500) - DateTime.UtcNow;
        if (expired > TimeSpan.Zero)
        {
            await Task.Delay(expired);
        }

        await using var restarted = await SiloProcess.StartAsync(_dir.Path);
        using var again = restarted.CreateClient();
        JsonElement batch = default;
        for (var i = 0; i < 200; i++)
        {
            batch = await again.GetFromJsonAsync<JsonElement>(new Uri($"/v1/batches/{id}", UriKind.Relative));
            if (batch.GetProperty("status").GetString() == "aborted" && batch.GetProperty("counts").GetProperty("cancelled").GetInt64() == 2)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal("aborted", batch.GetProperty("status").GetString());
        Assert.Equal(2, batch.GetProperty("counts").GetProperty("cancelled").GetInt64());
        using var late = new StringContent("{\"index\":2}\n", Encoding.UTF8, "application/x-ndjson");
        Assert.Equal(HttpStatusCode.Conflict, (await again.PostAsync(new Uri($"/v1/batches/{id}/items", UriKind.Relative), late)).StatusCode);
    }

    /// <summary>Streams all items of the batch in one request, written as they are generated.</summary>
    private static Task<HttpResponseMessage> StreamItemsAsync(HttpClient client, string id)
    {
        var content = new ItemStream(RunCount);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
        return client.PostAsync(new Uri($"/v1/batches/{id}/items", UriKind.Relative), content);
    }

    private sealed class ItemStream(int count) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var line = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                line.Append("{\"index\":").Append(i).Append(",\"input\":{\"n\":").Append(i).Append("}}\n");
                if (line.Length > 64 * 1024 || i == count - 1)
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(line.ToString()));
                    line.Clear();
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    public void Dispose() => _dir.Dispose();
}
