using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Batches;

/// <summary>Pause and resume over real HTTP: batches (scope <c>batches</c>) and queues (scope <c>workers</c>).</summary>
public sealed class PauseApiTests(LeveeFactory factory) : GatewayTest(factory)
{
    private string Queue => $"pq-{Tenant}";

    private async Task<string> CreateSealedAsync(int runCount)
    {
        var id = (await Client.PostAsync("/v1/batches", $$"""{"runCount":{{runCount}},"task":"t","queue":"{{Queue}}"}""")).Is(HttpStatusCode.Created).Str("id")!;
        var lines = string.Concat(Enumerable.Range(0, runCount).Select(i => "{\"index\":" + i + "}\n"));
        (await Client.SendAsync(HttpMethod.Post, $"/v1/batches/{id}/items", lines, [], "application/x-ndjson")).Is(HttpStatusCode.OK);
        return id;
    }

    private async Task<int> ClaimedAsync(int waitMs = 0) =>
        (await ClaimAsync(Queue, max: 10, waitMs: waitMs)).Is(HttpStatusCode.OK).Body.GetProperty("claims").GetArrayLength();

    [Fact]
    public async Task PausedBatch_HandsOutNothing_ResumeHandsItOutAgain_BothIdempotentAndOnTheLog()
    {
        var id = await CreateSealedAsync(2);
        (await Client.PostAsync("/v1/executions", $$"""{"id":"solo-{{Tenant}}","task":"t","queue":"{{Queue}}"}""")).Is(HttpStatusCode.Created);

        var paused = (await Client.PostAsync($"/v1/batches/{id}/pause", """{"reason":"bad input file"}""")).Is(HttpStatusCode.OK);
        Assert.True(paused.Body.GetProperty("paused").GetBoolean());
        Assert.True((await Client.PostAsync($"/v1/batches/{id}/pause", null)).Is(HttpStatusCode.OK).Body.GetProperty("paused").GetBoolean());

        // Only the execution outside the batch is handed out.
        Assert.Equal(1, await ClaimedAsync());
        Assert.Equal(0, await ClaimedAsync());

        // A long-polling claimer is woken by the resume.
        var waiting = ClaimedAsync(waitMs: 10_000);
        var resumed = (await Client.PostAsync($"/v1/batches/{id}/resume", null)).Is(HttpStatusCode.OK);
        Assert.False(resumed.Body.GetProperty("paused").GetBoolean());
        Assert.Equal(2, await waiting);
        Assert.False((await Client.PostAsync($"/v1/batches/{id}/resume", null)).Is(HttpStatusCode.OK).Body.GetProperty("paused").GetBoolean());
        var events = (await Client.GetAsync($"/v1/batches/{id}/events?limit=10", ("Accept", "application/json"))).Is(HttpStatusCode.OK).Body.GetProperty("items");
        Assert.Equal(["created", "items_accepted", "sealed", "paused", "resumed"], events.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task PauseBatch_UnknownOrAnotherTenants_404_Finished_409_LongReason_400()
    {
        (await Client.PostAsync("/v1/batches/bat_none/pause", null)).Problem(HttpStatusCode.NotFound, "not_found");
        var id = await CreateSealedAsync(1);
        var other = new Api(Server.CreateClient(), await NewKeyAsync("t-other-" + Tenant, "default", "batches"));
        (await other.PostAsync($"/v1/batches/{id}/pause", null)).Problem(HttpStatusCode.NotFound, "not_found");
        var reply = (await Client.PostAsync($"/v1/batches/{id}/pause", $$"""{"reason":"{{new string('r', 1001)}}"}""")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("reason", reply.Str("field"));
        Assert.False((await Client.GetAsync($"/v1/batches/{id}")).Body.GetProperty("paused").GetBoolean());

        (await Client.PostAsync($"/v1/batches/{id}/cancel", null)).Is(HttpStatusCode.OK);
        (await Client.PostAsync($"/v1/batches/{id}/pause", null)).Problem(HttpStatusCode.Conflict, "terminal_state");
    }

    [Fact]
    public async Task PausedQueue_NeverUsedBefore_HandsOutNothingUntilResumed()
    {
        var paused = (await Client.PostAsync($"/v1/queues/{Queue}/pause", """{"reason":"deploy"}""")).Is(HttpStatusCode.OK);
        Assert.Equal((Queue, true), (paused.Str("queue"), paused.Body.GetProperty("paused").GetBoolean()));
        (await Client.PostAsync("/v1/executions", $$"""{"id":"pq-{{Tenant}}","task":"t","queue":"{{Queue}}"}""")).Is(HttpStatusCode.Created);

        Assert.Equal(0, await ClaimedAsync());
        Assert.True((await Client.PostAsync($"/v1/queues/{Queue}/pause", null)).Is(HttpStatusCode.OK).Body.GetProperty("paused").GetBoolean());

        Assert.False((await Client.PostAsync($"/v1/queues/{Queue}/resume", null)).Is(HttpStatusCode.OK).Body.GetProperty("paused").GetBoolean());
        Assert.Equal(1, await ClaimedAsync());
    }

    [Fact]
    public async Task PauseQueue_BadName_400_ThePauseIsPerProject()
    {
        var reply = (await Client.PostAsync("/v1/queues/bad%20name/pause", null)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("queue", reply.Str("field"));

        var other = new Api(Server.CreateClient(), await NewKeyAsync("t-other-" + Tenant, "default", "workers", "executions"));
        (await Client.PostAsync($"/v1/queues/{Queue}/pause", null)).Is(HttpStatusCode.OK);
        (await other.PostAsync("/v1/executions", $$"""{"id":"x-{{Tenant}}","task":"t","queue":"{{Queue}}"}""")).Is(HttpStatusCode.Created);
        var claims = (await other.PostAsync($"/v1/queues/{Queue}/claim", """{"workerId":"w","max":1}""")).Is(HttpStatusCode.OK);
        Assert.Equal(1, claims.Body.GetProperty("claims").GetArrayLength());
    }
}
