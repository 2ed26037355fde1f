using System.Net;
using System.Text;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Batches;

/// <summary>Run against the co-hosted silo (<see cref="BatchesApiTests"/>) and a standalone gateway (<see cref="StandaloneBatchesApiTests"/>).</summary>
public abstract class BatchesApiTestsBase(ILeveeServer server) : GatewayTest(server)
{
    private async Task<string> CreateBatchAsync(int runCount, string extra = "")
    {
        var reply = (await Client.PostAsync("/v1/batches", $$"""{"runCount":{{runCount}},"task":"t","queue":"bq-{{Tenant}}"{{extra}}}""")).Is(HttpStatusCode.Created);
        Assert.Equal("pending", reply.Str("status"));
        return reply.Str("id")!;
    }

    private Task<Reply> ItemsAsync(string id, string ndjson, string contentType = "application/x-ndjson") =>
        Client.SendAsync(HttpMethod.Post, $"/v1/batches/{id}/items", ndjson, [], contentType);

    private static string Lines(params int[] indexes) => string.Concat(indexes.Select(i => "{\"index\":" + i + ",\"input\":{\"n\":" + i + "}}\n"));

    [Fact]
    public async Task Items_StreamedInTwoRequests_DeduplicateAndSeal()
    {
        var id = await CreateBatchAsync(4);
        var first = (await ItemsAsync(id, Lines(0, 1, 1))).Is(HttpStatusCode.OK);
        Assert.Equal((2L, 1L, false), (first.Long("itemsAccepted"), first.Long("itemsDeduplicated"), first.Body.GetProperty("sealed").GetBoolean()));
        Assert.Equal([2, 3], first.Body.GetProperty("missing").EnumerateArray().Select(m => m.GetInt32()));

        var second = (await ItemsAsync(id, Lines(0, 2, 3))).Is(HttpStatusCode.OK);
        Assert.Equal((2L, 1L, true), (second.Long("itemsAccepted"), second.Long("itemsDeduplicated"), second.Body.GetProperty("sealed").GetBoolean()));
        Assert.Equal(4, second.Long("enqueuedCount"));

        var batch = (await Client.GetAsync($"/v1/batches/{id}")).Is(HttpStatusCode.OK);
        Assert.Equal("processing", batch.Str("status"));
        Assert.Equal(4, batch.Body.GetProperty("counts").GetProperty("queued").GetInt64());
        var children = (await Client.GetAsync($"/v1/batches/{id}/executions?limit=3")).Is(HttpStatusCode.OK);
        Assert.Equal([0, 1, 2], children.Body.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("batchIndex").GetInt32()));
        var rest = (await Client.GetAsync($"/v1/batches/{id}/executions?limit=3&cursor={children.Str("nextCursor")}")).Is(HttpStatusCode.OK);
        Assert.Equal($"{id}.3", rest.Body.GetProperty("items")[0].GetProperty("id").GetString());
        var listed = (await Client.GetAsync($"/v1/executions?batchId={id}")).Is(HttpStatusCode.OK);
        Assert.Equal(4, listed.Body.GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await Client.GetAsync("/v1/executions?batchId=bat_other")).Body.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("{\"index\":0}{\"index\":1}\n", 0)]
    [InlineData("{\"index\":1}{\"index\":5}\n", 1)]
    [InlineData("{\"index\":0} junk\n", 0)]
    [InlineData("{\"index\":0}\u0000\n", 0)]
    [InlineData("{\"index\":0}\r{\"index\":1}\n", 0)]
    public async Task Items_MoreThanOneValueOnALine_Is400WithLineAndIndex_AndNothingIsAccepted(string ndjson, int index)
    {
        var id = await CreateBatchAsync(2);

        var reply = (await ItemsAsync(id, ndjson)).Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal((1L, (long)index), (reply.Long("line"), reply.Long("index")));
        Assert.Equal(0, (await Client.GetAsync($"/v1/batches/{id}")).Long("enqueuedCount"));
    }

    [Fact]
    public async Task Items_ALoneSurrogateOnLine3_Is400WithItsLine_TheLinesBeforeStayAccepted()
    {
        var id = await CreateBatchAsync(4);

        var reply = (await ItemsAsync(id, Lines(0, 1) + "{\"index\":2,\"input\":{\"s\":\"\\ud800\"}}\n" + Lines(3)))
            .Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(3L, reply.Long("line"));
        Assert.Equal(2, (await Client.GetAsync($"/v1/batches/{id}")).Long("enqueuedCount"));
        // The retry with the line fixed goes on where it stopped.
        var retried = (await ItemsAsync(id, Lines(0, 1, 2, 3))).Is(HttpStatusCode.OK);
        Assert.Equal((2L, true), (retried.Long("itemsAccepted"), retried.Body.GetProperty("sealed").GetBoolean()));
    }

    [Fact]
    public async Task Items_CrLfLineEnds_AreOneItemPerLine()
    {
        var id = await CreateBatchAsync(2);

        var reply = (await ItemsAsync(id, "{\"index\":0}\r\n{\"index\":1} \r\n")).Is(HttpStatusCode.OK);

        Assert.Equal((2L, true), (reply.Long("itemsAccepted"), reply.Body.GetProperty("sealed").GetBoolean()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("x")]
    [InlineData("")]
    public async Task Children_InvalidLimit_Is400NamingLimit(string limit)
    {
        var id = await CreateBatchAsync(1);
        var reply = (await Client.GetAsync($"/v1/batches/{id}/executions?limit={limit}")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("limit", reply.Str("field"));
    }

    [Fact]
    public async Task Batch_ChildrenRunToTheEnd_FinishesOnceAndStreamsItsEvents()
    {
        var id = await CreateBatchAsync(3);
        await ItemsAsync(id, Lines(0, 1, 2));
        for (var i = 0; i < 3; i++)
        {
            var claim = (await ClaimAsync($"bq-{Tenant}", waitMs: 5000)).Body.GetProperty("claims")[0];
            var child = claim.GetProperty("execution").GetProperty("id").GetString();
            var lease = claim.GetProperty("leaseId").GetString();
            var action = i == 0 ? $$"""fail""" : "complete";
            var body = i == 0 ? $$"""{"leaseId":"{{lease}}","error":{"message":"x"},"retryable":false}""" : $$"""{"leaseId":"{{lease}}"}""";
            (await Client.PostAsync($"/v1/executions/{child}/{action}", body)).Is(HttpStatusCode.OK);
        }
        var events = await ReadEventsUntilEndAsync(id);
        Assert.Equal(["created", "items_accepted", "sealed", "child_finished", "child_finished", "child_finished", "partial_failed", "end"], events);
        var batch = await Client.GetAsync($"/v1/batches/{id}");
        Assert.Equal("partial_failed", batch.Str("status"));
        Assert.Equal((2, 1), (batch.Body.GetProperty("counts").GetProperty("succeeded").GetInt32(), batch.Body.GetProperty("counts").GetProperty("failed").GetInt32()));
    }

    [Fact]
    public async Task Items_RetryAfterSealOrFinish_IsIdempotentSuccess_AbortedIs409()
    {
        var id = await CreateBatchAsync(1);
        await ItemsAsync(id, Lines(0));
        var afterSeal = (await ItemsAsync(id, Lines(0))).Is(HttpStatusCode.OK);
        Assert.Equal((true, 0L), (afterSeal.Body.GetProperty("sealed").GetBoolean(), afterSeal.Long("itemsAccepted")));

        var claim = (await ClaimAsync($"bq-{Tenant}", waitMs: 5000)).Body.GetProperty("claims")[0];
        await Client.PostAsync($"/v1/executions/{claim.GetProperty("execution").GetProperty("id").GetString()}/complete",
            $$"""{"leaseId":"{{claim.GetProperty("leaseId").GetString()}}"}""");
        await ReadEventsUntilEndAsync(id);
        var afterFinish = (await ItemsAsync(id, Lines(0))).Is(HttpStatusCode.OK);
        Assert.Equal(("completed", true), (afterFinish.Str("status"), afterFinish.Body.GetProperty("sealed").GetBoolean()));

        var aborted = await CreateBatchAsync(2);
        (await Client.PostAsync($"/v1/batches/{aborted}/cancel", """{"reason":"no longer needed"}""")).Is(HttpStatusCode.OK);
        (await ItemsAsync(aborted, Lines(0))).Problem(HttpStatusCode.Conflict, "batch_aborted");
        (await Client.PostAsync($"/v1/batches/{id}/cancel", "{}")).Problem(HttpStatusCode.Conflict, "terminal_state");
    }

    [Fact]
    public async Task Cancel_Pending_AbortsAndCancelsCreatedChildren()
    {
        var id = await CreateBatchAsync(3);
        await ItemsAsync(id, Lines(0, 1));
        var cancelled = (await Client.PostAsync($"/v1/batches/{id}/cancel", "{}")).Is(HttpStatusCode.OK);
        Assert.Equal("aborted", cancelled.Str("status"));
        for (var i = 0; i < 100; i++)
        {
            var batch = await Client.GetAsync($"/v1/batches/{id}");
            if (batch.Body.GetProperty("counts").GetProperty("cancelled").GetInt32() == 2)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("the created children were not cancelled");
    }

    [Fact]
    public async Task Create_WithIdempotencyKey_ReplaysAndRefusesAnotherBody()
    {
        var first = (await Client.PostAsync("/v1/batches", """{"runCount":2,"task":"t"}""", ("Idempotency-Key", "b-1"))).Is(HttpStatusCode.Created);
        var again = (await Client.PostAsync("/v1/batches", """{"runCount":2,"task":"t"}""", ("Idempotency-Key", "b-1"))).Is(HttpStatusCode.OK);
        Assert.Equal(first.Str("id"), again.Str("id"));
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        (await Client.PostAsync("/v1/batches", """{"runCount":3,"task":"t"}""", ("Idempotency-Key", "b-1"))).Problem(HttpStatusCode.UnprocessableEntity, "idempotency_key_mismatch");
    }

    [Theory]
    [InlineData("""{"runCount":0,"task":"t"}""", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("""{"runCount":-5,"task":"t"}""", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("""{"task":"t"}""", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("""{"runCount":1000001,"task":"t"}""", HttpStatusCode.RequestEntityTooLarge, "payload_too_large")]
    [InlineData("""{"runCount":"ten"}""", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("""{"runCount":2,"resumeParent":true}""", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("""{"runCount":2,"sealTimeoutMs":0}""", HttpStatusCode.BadRequest, "validation_failed")]
    public async Task Create_Invalid_IsRejected(string body, HttpStatusCode status, string code) =>
        (await Client.PostAsync("/v1/batches", body)).Problem(status, code);

    [Fact]
    public async Task Delete_Pending_Is409NotTerminal_AndTheBatchGoesOn()
    {
        var id = await CreateBatchAsync(2);
        await ItemsAsync(id, Lines(0));

        var refused = (await Client.DeleteAsync($"/v1/batches/{id}")).Problem(HttpStatusCode.Conflict, "not_terminal");

        Assert.Equal("pending", refused.Str("currentStatus"));
        (await ItemsAsync(id, Lines(1))).Is(HttpStatusCode.OK);
        Assert.Equal("processing", (await Client.GetAsync($"/v1/batches/{id}")).Str("status"));
    }

    [Fact]
    public async Task Delete_Finished_Is204_TheBatchIs404AtOnce_AndItsChildrenGoInTheBackground()
    {
        var id = await CreateBatchAsync(3);
        await ItemsAsync(id, Lines(0, 1, 2));
        (await Client.PostAsync($"/v1/batches/{id}/cancel", "{}")).Is(HttpStatusCode.OK);
        // A batch child goes only with its batch.
        (await Client.DeleteAsync($"/v1/executions/{id}.0")).Problem(HttpStatusCode.Conflict, "illegal_transition");

        (await Client.DeleteAsync($"/v1/batches/{id}")).Is(HttpStatusCode.NoContent);

        (await Client.GetAsync($"/v1/batches/{id}")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Client.GetAsync($"/v1/batches/{id}/executions")).Problem(HttpStatusCode.NotFound, "not_found");
        (await ItemsAsync(id, Lines(0))).Problem(HttpStatusCode.NotFound, "not_found");
        (await Client.PostAsync($"/v1/batches/{id}/cancel", "{}")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Client.DeleteAsync($"/v1/batches/{id}")).Problem(HttpStatusCode.NotFound, "not_found");
        for (var i = 0; i < 200; i++)
        {
            var children = await Task.WhenAll(Enumerable.Range(0, 3).Select(c => Client.GetAsync($"/v1/executions/{id}.{c}")));
            if (children.All(c => c.Status == HttpStatusCode.NotFound))
            {
                Assert.Empty((await Client.GetAsync($"/v1/executions?batchId={id}")).Body.GetProperty("items").EnumerateArray());
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("the deleted batch's children were not removed");
    }

    [Fact]
    public async Task Items_WrongContentType_Is415()
    {
        var id = await CreateBatchAsync(2);
        (await ItemsAsync(id, Lines(0), "application/json")).Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("not json\n", 1, null)]
    [InlineData("{\"input\":1}\n", 1, null)]
    [InlineData("{\"index\":-1}\n", 1, -1)]
    [InlineData("{\"index\":0}\n{\"index\":3}\n", 2, 3)]
    [InlineData("{\"index\":0}\n\n{\"index\":\"1\"}\n", 3, null)]
    [InlineData("{\"index\":0}\n{\"index\":1,\"task\":\"\"}\n", 2, 1)]
    [InlineData("{\"index\":0}\n{\"index\":2,\"options\":{\"metadata\":[1]}}\n", 2, 2)]
    public async Task Items_BadLine_Is400NamingLineAndIndex_EarlierItemsStayAccepted(string ndjson, int line, int? index)
    {
        var id = await CreateBatchAsync(3);
        var reply = (await ItemsAsync(id, ndjson)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(line, reply.Body.GetProperty("line").GetInt32());
        if (index is { } i)
        {
            Assert.Equal(i, reply.Body.GetProperty("index").GetInt32());
        }
        var accepted = ndjson.StartsWith("{\"index\":0}", StringComparison.Ordinal) ? 1 : 0;
        Assert.Equal(accepted, (await Client.GetAsync($"/v1/batches/{id}")).Long("enqueuedCount"));
        // The retry of the good part deduplicates what was accepted.
        var retry = (await ItemsAsync(id, Lines(0))).Is(HttpStatusCode.OK);
        Assert.Equal(accepted, retry.Long("itemsDeduplicated"));
    }

    [Fact]
    public async Task Items_NoTaskOnItemOrBatch_Is400NamingTheLine()
    {
        var id = (await Client.PostAsync("/v1/batches", """{"runCount":2}""")).Is(HttpStatusCode.Created).Str("id");
        var reply = (await ItemsAsync(id!, "{\"index\":0,\"task\":\"t\"}\n{\"index\":1}\n")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal((2, 1), (reply.Body.GetProperty("line").GetInt32(), reply.Body.GetProperty("index").GetInt32()));
        Assert.Equal(1, (await Client.GetAsync($"/v1/batches/{id}")).Long("enqueuedCount"));
    }

    [Fact]
    public async Task Items_LineOverTheLimit_Is413()
    {
        var id = await CreateBatchAsync(2);
        var big = $$"""{"index":0,"input":"{{new string('x', 1024 * 1024)}}"}""" + "\n";
        (await ItemsAsync(id, big)).Problem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\n")]
    [InlineData("\r\n\r\n")]
    public async Task Items_EmptyBodyOrOnlyBlankLines_Is400(string ndjson)
    {
        var id = await CreateBatchAsync(2);
        (await ItemsAsync(id, ndjson)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(0, (await Client.GetAsync($"/v1/batches/{id}")).Long("enqueuedCount"));
    }

    [Fact]
    public async Task Child_IdTakenFirstByAClient_IsRefused_AndTheBatchStillFinishes()
    {
        var id = await CreateBatchAsync(1);
        // The exact sequence of the probe: the child's id is known before its item arrives.
        (await Client.PostAsync("/v1/executions", $$"""{"id":"{{id}}.0","task":"t","queue":"bq-{{Tenant}}"}""")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        (await ItemsAsync(id, Lines(0))).Is(HttpStatusCode.OK);

        var claim = (await ClaimAsync($"bq-{Tenant}", waitMs: 10_000)).Body.GetProperty("claims")[0];
        Assert.Equal(id, claim.GetProperty("execution").GetProperty("batchId").GetString());
        (await Client.PostAsync($"/v1/executions/{id}.0/complete", $$"""{"leaseId":"{{claim.GetProperty("leaseId").GetString()}}"}""")).Is(HttpStatusCode.OK);
        Assert.Equal("end", (await ReadEventsUntilEndAsync(id))[^1]);
        Assert.Equal("completed", (await Client.GetAsync($"/v1/batches/{id}")).Str("status"));
    }

    [Fact]
    public async Task Create_WithAnUnknownParent_Is400NamingParentId()
    {
        var reply = (await Client.PostAsync("/v1/batches", $$"""{"runCount":1,"task":"t","queue":"bq-{{Tenant}}","parentId":"nobody","resumeParent":true}"""))
            .Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal("parentId", reply.Str("field"));
    }

    [Fact]
    public async Task Items_UnknownOrOtherTenantsBatch_Is404()
    {
        (await ItemsAsync("bat_nope", Lines(0))).Problem(HttpStatusCode.NotFound, "not_found");
        var id = await CreateBatchAsync(2);
        var other = Client.As(await NewKeyAsync("other" + Tenant, "p", "batches"));
        (await other.SendAsync(HttpMethod.Post, $"/v1/batches/{id}/items", Lines(0), [], "application/x-ndjson")).Problem(HttpStatusCode.NotFound, "not_found");
        (await other.GetAsync($"/v1/batches/{id}")).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(0, (await Client.GetAsync($"/v1/batches/{id}")).Long("enqueuedCount"));
    }

    [Fact]
    public async Task Wait_ParentResumesOnceWithTheBatchSummary()
    {
        var lease = await CreateAndClaimAsync("parent");
        var id = await CreateBatchAsync(1);
        var waiting = (await Client.PostAsync("/v1/executions/parent/wait", $$"""{"leaseId":"{{lease}}","batchId":"{{id}}"}""")).Is(HttpStatusCode.OK);
        Assert.Equal("waiting", waiting.Str("status"));
        Assert.Equal("batch", waiting.Body.GetProperty("waitingFor").GetProperty("kind").GetString());

        await ItemsAsync(id, Lines(0));
        var child = (await ClaimAsync($"bq-{Tenant}", waitMs: 5000)).Body.GetProperty("claims")[0];
        await Client.PostAsync($"/v1/executions/{id}.0/complete", $$"""{"leaseId":"{{child.GetProperty("leaseId").GetString()}}"}""");

        var resumed = (await ClaimAsync(QueueOf("parent"), waitMs: 20_000)).Body.GetProperty("claims")[0];
        Assert.Equal("completed", resumed.GetProperty("execution").GetProperty("batchSummary").GetProperty("status").GetString());
        var events = await Client.GetAsync("/v1/executions/parent/events", ("Accept", "application/json"));
        Assert.Single(events.Body.GetProperty("items").EnumerateArray(), e => e.GetProperty("type").GetString() == "queued");
    }

    [Fact]
    public async Task Wait_OnFinishedBatch_ResumesAtOnce()
    {
        var id = await CreateBatchAsync(1);
        await ItemsAsync(id, Lines(0));
        (await Client.PostAsync($"/v1/batches/{id}/cancel", "{}")).Is(HttpStatusCode.OK);
        var lease = await CreateAndClaimAsync("late-parent");
        (await Client.PostAsync("/v1/executions/late-parent/wait", $$"""{"leaseId":"{{lease}}","batchId":"{{id}}"}""")).Is(HttpStatusCode.OK);
        var resumed = (await ClaimAsync(QueueOf("late-parent"), waitMs: 20_000)).Body.GetProperty("claims")[0];
        Assert.Equal("aborted", resumed.GetProperty("execution").GetProperty("batchSummary").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Events_ResumedAfterTheTerminalEventOfAFinishedBatch_EndEvenWhenAWaiterWasLoggedAfterIt()
    {
        var id = await CreateBatchAsync(1);
        (await Client.PostAsync($"/v1/batches/{id}/cancel", "{}")).Is(HttpStatusCode.OK);
        var lease = await CreateAndClaimAsync("after-end");
        (await Client.PostAsync("/v1/executions/after-end/wait", $$"""{"leaseId":"{{lease}}","batchId":"{{id}}"}""")).Is(HttpStatusCode.OK);
        await ClaimAsync(QueueOf("after-end"), waitMs: 20_000); // resumed: the batch has logged the waiter after its terminal event
        var page = (await Client.GetAsync($"/v1/batches/{id}/events", ("Accept", "application/json"))).Is(HttpStatusCode.OK);
        var types = page.Body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        var aborted = types.IndexOf("aborted") + 1;
        Assert.True(aborted < types.Count, string.Join(",", types));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var request = Client.Request(HttpMethod.Get, $"/v1/batches/{id}/events", ("Last-Event-ID", aborted.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await Client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new Streams.SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var resumed = new List<string>();
        while (await reader.NextAsync(timeout.Token) is { } e)
        {
            resumed.Add(e.Event);
        }
        Assert.Equal("parent_attached", resumed[0]);
        Assert.Equal("end", resumed[^1]);
    }

    [Fact]
    public async Task Wait_ParentAttachedAtCreateAndBatchFinishedWhileItRan_ResumesWhenItWaits()
    {
        var lease = await CreateAndClaimAsync("early-parent");
        var id = await CreateBatchAsync(1, extra: ""","parentId":"early-parent","resumeParent":true""");
        await ItemsAsync(id, Lines(0));
        var child = (await ClaimAsync($"bq-{Tenant}", waitMs: 5000)).Body.GetProperty("claims")[0];
        await Client.PostAsync($"/v1/executions/{id}.0/complete", $$"""{"leaseId":"{{child.GetProperty("leaseId").GetString()}}"}""");
        await ReadEventsUntilEndAsync(id); // finished while the parent was still running: its resume message found nothing to resume

        (await Client.PostAsync("/v1/executions/early-parent/wait", $$"""{"leaseId":"{{lease}}","batchId":"{{id}}"}""")).Is(HttpStatusCode.OK);

        var resumed = (await ClaimAsync(QueueOf("early-parent"), waitMs: 20_000)).Body.GetProperty("claims")[0];
        Assert.Equal("completed", resumed.GetProperty("execution").GetProperty("batchSummary").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Child_LookedUpBeforeItsItemArrived_IsStillClaimable()
    {
        var id = await CreateBatchAsync(1);
        // Activates the child's grain while it does not exist yet.
        (await Client.GetAsync($"/v1/executions/{id}.0")).Problem(HttpStatusCode.NotFound, "not_found");
        await ItemsAsync(id, Lines(0));

        var claim = (await ClaimAsync($"bq-{Tenant}", waitMs: 10_000)).Body.GetProperty("claims");
        Assert.Equal($"{id}.0", Assert.Single(claim.EnumerateArray()).GetProperty("execution").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Wait_UnknownBatchOrStaleLease_IsRejected()
    {
        var lease = await CreateAndClaimAsync("w-parent");
        (await Client.PostAsync("/v1/executions/w-parent/wait", $$"""{"leaseId":"{{lease}}","batchId":"bat_none"}""")).Problem(HttpStatusCode.NotFound, "not_found");
        var id = await CreateBatchAsync(1);
        (await Client.PostAsync("/v1/executions/w-parent/wait", $$"""{"leaseId":"lease_old","batchId":"{{id}}"}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
    }

    private async Task<List<string>> ReadEventsUntilEndAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var request = Client.Request(HttpMethod.Get, $"/v1/batches/{id}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await Client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new Streams.SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var types = new List<string>();
        while (await reader.NextAsync(timeout.Token) is { } e)
        {
            types.Add(e.Event);
        }
        return types;
    }
}

public sealed class BatchesApiTests(LeveeFactory factory) : BatchesApiTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneBatchesApiTests(StandaloneGatewayFactory factory) : BatchesApiTestsBase(factory);
