using System.Net;
using System.Text.Json;
using Levee.Client.Tests.Infrastructure;

namespace Levee.Client.Tests;

/// <summary>Refusals reach the caller as one typed exception with the problem's code; transient failures are retried only where that is safe.</summary>
[Collection(LiveSiloCollection.Name)]
public sealed class ClientErrorsTests(LiveSilo live)
{
    private static CreateExecutionRequest Job(string? id = null, string queue = "jobs") => new("send-email", id, queue, JsonSerializer.SerializeToElement(new { to = "ada" }));

    [Fact]
    public async Task GetExecution_WrongKey_ThrowsUnauthorized()
    {
        var client = LiveSilo.Client(live.Url, "lvk_not_a_key");

        var e = await Assert.ThrowsAsync<LeveeApiException>(() => client.GetExecutionAsync("anything"));

        Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized"), (e.Status, e.Code));
    }

    [Fact]
    public async Task GetExecution_UnknownId_ThrowsNotFound()
    {
        var client = LiveSilo.Client(live.Url, await live.NewTenantKeyAsync());

        var e = await Assert.ThrowsAsync<LeveeApiException>(() => client.GetExecutionAsync("nobody-here"));

        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (e.Status, e.Code));
    }

    [Fact]
    public async Task SendItems_AbortedBatch_ThrowsBatchAborted()
    {
        var client = LiveSilo.Client(live.Url, await live.NewTenantKeyAsync());
        var batch = await client.CreateBatchAsync(new CreateBatchRequest(3, "resize", "images"));
        await client.CancelBatchAsync(batch.Id, "changed my mind");

        var e = await Assert.ThrowsAsync<LeveeApiException>(() => client.UploadItemsAsync(batch.Id, () => Items(3)));

        Assert.Equal((HttpStatusCode.Conflict, "batch_aborted"), (e.Status, e.Code));
    }

    [Fact]
    public async Task WriteStatus_TerminalExecution_ThrowsTerminalStateWithCurrentStatus()
    {
        var client = LiveSilo.Client(live.Url, await live.NewTenantKeyAsync());
        var created = await client.CreateExecutionAsync(Job());
        await client.WriteStatusAsync(created.Id, new StatusWrite(ExecutionStatus.Running));
        await client.WriteStatusAsync(created.Id, new StatusWrite(ExecutionStatus.Succeeded));

        var e = await Assert.ThrowsAsync<LeveeApiException>(() => client.WriteStatusAsync(created.Id, new StatusWrite(ExecutionStatus.Failed)));

        Assert.Equal((HttpStatusCode.Conflict, "terminal_state", "succeeded"), (e.Status, e.Code, e.CurrentStatus));
    }

    [Fact]
    public async Task CreateExecution_BadField_ThrowsValidationFailedNamingIt()
    {
        var client = LiveSilo.Client(live.Url, await live.NewTenantKeyAsync());

        var e = await Assert.ThrowsAsync<LeveeApiException>(() => client.CreateExecutionAsync(Job() with { Queue = "bad queue" }));

        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed", "queue"), (e.Status, e.Code, e.Field));
    }

    [Fact]
    public async Task CreateExecution_SameIdempotencyKey_CreatesOnceAndAnotherBodyIsAMismatch()
    {
        var client = LiveSilo.Client(live.Url, await live.NewTenantKeyAsync());
        var key = LeveeClient.NewIdempotencyKey();

        var first = await client.CreateExecutionAsync(Job(), key);
        var again = await client.CreateExecutionAsync(Job(), key);
        var e = await Assert.ThrowsAsync<LeveeApiException>(() => client.CreateExecutionAsync(Job() with { Task = "other" }, key));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "idempotency_key_mismatch"), (e.Status, e.Code));
    }

    [Fact]
    public async Task CreateExecution_ConnectionsReset_RetriedWithTheSameKeyAndCreatedOnce()
    {
        await using var proxy = new TcpProxy(live.Url);
        var client = LiveSilo.Client(proxy.Url, await live.NewTenantKeyAsync());
        proxy.ResetNext(2);

        var created = await client.CreateExecutionAsync(Job(queue: "reset"));

        Assert.True(proxy.Connections >= 3);
        var page = await client.ListExecutionsAsync(new ExecutionQuery(Queue: "reset"));
        Assert.Equal(created.Id, Assert.Single(page.Items).Id);
    }

    [Fact]
    public async Task AppendOutput_ConnectionReset_IsNotRetried()
    {
        await using var proxy = new TcpProxy(live.Url);
        var client = LiveSilo.Client(proxy.Url, await live.NewTenantKeyAsync());
        var created = await client.CreateExecutionAsync(Job());
        proxy.DropAll();
        proxy.ResetNext(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.AppendOutputAsync(created.Id, [JsonSerializer.SerializeToElement("tok")]));

        Assert.Equal(0, (await client.GetEventsPageAsync(created.Id)).Items.Count(e => e.Type == "output"));
    }

    [Fact]
    public async Task GetExecution_ConnectionCutInsideTheReplyBody_IsRetried()
    {
        await using var proxy = new TcpProxy(live.Url);
        var client = LiveSilo.Client(proxy.Url, await live.NewTenantKeyAsync());
        var created = await client.CreateExecutionAsync(Job());
        proxy.DropAll();
        proxy.CutNextResponse(TcpProxy.ResponseCut.InsideBody);

        var read = await client.GetExecutionAsync(created.Id);

        Assert.Equal(created.Id, read.Id);
        Assert.True(proxy.Connections >= 3);
    }

    [Fact]
    public async Task DeleteExecution_ItsReplyLost_RetriedAndTheExecutionIsGone()
    {
        await using var proxy = new TcpProxy(live.Url);
        var client = LiveSilo.Client(proxy.Url, await live.NewTenantKeyAsync());
        var created = await client.CreateExecutionAsync(Job());
        await client.CancelExecutionAsync(created.Id);
        proxy.DropAll();
        proxy.CutNextResponse(TcpProxy.ResponseCut.BeforeReply);

        // The first attempt deleted it; whichever layer re-sent the DELETE got a 404.
        Assert.False(await client.DeleteExecutionAsync(created.Id));

        var e = await Assert.ThrowsAsync<LeveeApiException>(() => client.GetExecutionAsync(created.Id));
        Assert.Equal(HttpStatusCode.NotFound, e.Status);
        Assert.True(proxy.Connections >= 3);
    }

    [Fact]
    public async Task DeleteExecution_TerminalThenAgainThenUnknown_TrueFalseFalse()
    {
        var client = LiveSilo.Client(live.Url, await live.NewTenantKeyAsync());
        var created = await client.CreateExecutionAsync(Job());
        await client.CancelExecutionAsync(created.Id);

        Assert.True(await client.DeleteExecutionAsync(created.Id));
        Assert.False(await client.DeleteExecutionAsync(created.Id));
        Assert.False(await client.DeleteExecutionAsync("never-created"));
    }

    [Fact]
    public async Task DeleteExecution_NotTerminal_ThrowsNotTerminal()
    {
        var client = LiveSilo.Client(live.Url, await live.NewTenantKeyAsync());
        var created = await client.CreateExecutionAsync(Job());

        var e = await Assert.ThrowsAsync<LeveeApiException>(() => client.DeleteExecutionAsync(created.Id));

        Assert.Equal((HttpStatusCode.Conflict, "not_terminal"), (e.Status, e.Code));
        Assert.Equal(created.Id, (await client.GetExecutionAsync(created.Id)).Id);
    }

    private static async IAsyncEnumerable<BatchItem> Items(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new BatchItem(i, Input: JsonSerializer.SerializeToElement(new { n = i }));
        }
    }
}
