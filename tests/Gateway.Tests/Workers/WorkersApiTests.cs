using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Workers;

/// <summary>Run against the co-hosted silo (<see cref="WorkersApiTests"/>) and a standalone gateway (<see cref="StandaloneWorkersApiTests"/>).</summary>
public abstract class WorkersApiTestsBase(ILeveeServer server) : GatewayTest(server)
{
    [Fact]
    public async Task Claim_QueuedExecution_StartsAttemptWithLease()
    {
        await CreateAsync("c1", extra: ""","queue":"jobs" """);
        var reply = (await ClaimAsync("jobs")).Is(HttpStatusCode.OK);
        var claim = reply.Body.GetProperty("claims")[0];
        Assert.Equal(1, claim.GetProperty("attempt").GetInt32());
        Assert.StartsWith("lease_", claim.GetProperty("leaseId").GetString(), StringComparison.Ordinal);
        Assert.Equal("running", claim.GetProperty("execution").GetProperty("status").GetString());
        Assert.Equal(0, (await ClaimAsync("jobs")).Body.GetProperty("claims").GetArrayLength());
    }

    [Fact]
    public async Task Claim_LongPoll_IsWokenByACreate()
    {
        var waiting = ClaimAsync("wake", waitMs: 20_000);
        await Task.Delay(100);
        await CreateAsync("woken", extra: ""","queue":"wake" """);
        var reply = (await waiting).Is(HttpStatusCode.OK);
        Assert.Equal("woken", reply.Body.GetProperty("claims")[0].GetProperty("execution").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Claim_ManyConcurrentClaimers_NeverShareAnExecution()
    {
        for (var i = 0; i < 30; i++)
        {
            await CreateAsync($"share-{i}", extra: ""","queue":"shared" """);
        }
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(w => ClaimAsync("shared", $"w{w}", max: 5, waitMs: 200)));
        var ids = replies.SelectMany(r => r.Body.GetProperty("claims").EnumerateArray()).Select(c => c.GetProperty("execution").GetProperty("id").GetString()).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(30, ids.Length);
    }

    [Fact]
    public async Task Claim_DelayedExecution_IsClaimableOnlyWhenDue()
    {
        await CreateAsync("later", extra: ""","queue":"delayed","delayMs":300""");
        Assert.Equal(0, (await ClaimAsync("delayed")).Body.GetProperty("claims").GetArrayLength());
        var reply = (await ClaimAsync("delayed", waitMs: 10_000)).Is(HttpStatusCode.OK);
        Assert.Equal("later", reply.Body.GetProperty("claims")[0].GetProperty("execution").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Heartbeat_LiveLease_ExtendsIt()
    {
        var lease = await CreateAndClaimAsync("hb");
        var reply = (await Client.PostAsync("/v1/executions/hb/heartbeat", $$"""{"leaseId":"{{lease}}"}""")).Is(HttpStatusCode.OK);
        Assert.False(reply.Body.GetProperty("cancelRequested").GetBoolean());
    }

    [Fact]
    public async Task Complete_WithLease_SucceedsAndRepeatReturnsSameResult()
    {
        var lease = await CreateAndClaimAsync("done");
        var first = (await Client.PostAsync("/v1/executions/done/complete", $$$"""{"leaseId":"{{{lease}}}","output":{"n":1}}""")).Is(HttpStatusCode.OK);
        var again = (await Client.PostAsync("/v1/executions/done/complete", $$$"""{"leaseId":"{{{lease}}}","output":{"n":2}}""")).Is(HttpStatusCode.OK);
        Assert.Equal("succeeded", first.Str("status"));
        Assert.Equal(first.Long("version"), again.Long("version"));
        Assert.Equal(1, again.Body.GetProperty("output").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Fail_Retryable_RequeuesWithBackoffThenFailsWhenAttemptsRunOut()
    {
        var lease = await CreateAndClaimAsync("flaky", extra: ""","retry":{"maxAttempts":2,"initialDelayMs":0}""");
        var retry = (await Client.PostAsync("/v1/executions/flaky/fail", $$$"""{"leaseId":"{{{lease}}}","error":{"message":"boom"}}""")).Is(HttpStatusCode.OK);
        Assert.Equal("queued", retry.Str("status"));
        var second = (await ClaimAsync(QueueOf("flaky"), waitMs: 5000)).Body.GetProperty("claims")[0];
        Assert.Equal(2, second.GetProperty("attempt").GetInt32());
        var lease2 = second.GetProperty("leaseId").GetString();
        var final = (await Client.PostAsync("/v1/executions/flaky/fail", $$$"""{"leaseId":"{{{lease2}}}","error":{"message":"again"}}""")).Is(HttpStatusCode.OK);
        Assert.Equal("failed", final.Str("status"));
        Assert.Equal("again", final.Body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Fail_NotRetryable_FailsAtOnce()
    {
        var lease = await CreateAndClaimAsync("fatal");
        var reply = (await Client.PostAsync("/v1/executions/fatal/fail", $$"""{"leaseId":"{{lease}}","error":{"message":"bad input"},"retryable":false}""")).Is(HttpStatusCode.OK);
        Assert.Equal("failed", reply.Str("status"));
    }

    [Fact]
    public async Task Cancel_RunningExecution_WorkerLearnsOnHeartbeatAndLateWritesAreTerminal()
    {
        var lease = await CreateAndClaimAsync("stop");
        (await Client.PostAsync("/v1/executions/stop/cancel", "{}")).Is(HttpStatusCode.OK);

        var beat = (await Client.PostAsync("/v1/executions/stop/heartbeat", $$"""{"leaseId":"{{lease}}"}""")).Is(HttpStatusCode.OK);
        Assert.True(beat.Body.GetProperty("cancelRequested").GetBoolean());
        (await Client.PostAsync("/v1/executions/stop/complete", $$"""{"leaseId":"{{lease}}"}""")).Problem(HttpStatusCode.Conflict, "terminal_state");
        (await Client.PostAsync("/v1/executions/stop/fail", $$$"""{"leaseId":"{{{lease}}}","error":{"message":"x"}}""")).Problem(HttpStatusCode.Conflict, "terminal_state");
        Assert.Equal("cancelled", (await Client.GetAsync("/v1/executions/stop")).Str("status"));
    }

    [Fact]
    public async Task ZombieWorker_LateCompleteAfterLeaseExpired_IsRejectedAndOutputIsTheNewWorkers()
    {
        var zombieLease = await CreateAndClaimAsync("zombie", extra: ""","timeouts":{"heartbeatMs":1000},"retry":{"initialDelayMs":0}""", worker: "A");
        // A stops heartbeating; its lease expires (durable timer) and the execution is retried.
        var second = (await ClaimAsync(QueueOf("zombie"), "B", waitMs: 20_000)).Body.GetProperty("claims")[0];
        Assert.Equal(2, second.GetProperty("attempt").GetInt32());
        var lease = second.GetProperty("leaseId").GetString();
        (await Client.PostAsync("/v1/executions/zombie/complete", $$"""{"leaseId":"{{lease}}","output":"from B"}""")).Is(HttpStatusCode.OK);

        (await Client.PostAsync("/v1/executions/zombie/complete", $$"""{"leaseId":"{{zombieLease}}","output":"from A"}""")).Problem(HttpStatusCode.Conflict, "terminal_state");
        (await Client.PostAsync("/v1/executions/zombie/heartbeat", $$"""{"leaseId":"{{zombieLease}}"}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
        var view = await Client.GetAsync("/v1/executions/zombie");
        Assert.Equal("from B", view.Body.GetProperty("output").GetString());
        var events = await Client.GetAsync("/v1/executions/zombie/events", ("Accept", "application/json"));
        Assert.Contains(events.Body.GetProperty("items").EnumerateArray(), e => e.GetProperty("type").GetString() == "lease_expired");
    }

    [Fact]
    public async Task ZombieWorker_WritesBeforeTheNewWorkerFinishes_AreLeaseLost()
    {
        var zombieLease = await CreateAndClaimAsync("zombie2", extra: ""","timeouts":{"heartbeatMs":1000},"retry":{"initialDelayMs":0}""", worker: "A");
        var lease = (await ClaimAsync(QueueOf("zombie2"), "B", waitMs: 20_000)).Body.GetProperty("claims")[0].GetProperty("leaseId").GetString();

        // B heartbeats between steps, as a live worker does; A's writes are fenced throughout.
        await HeartbeatAsync("zombie2", lease!);
        (await Client.PostAsync("/v1/executions/zombie2/complete", $$"""{"leaseId":"{{zombieLease}}","output":"from A"}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
        await HeartbeatAsync("zombie2", lease!);
        (await Client.PostAsync("/v1/executions/zombie2/fail", $$$"""{"leaseId":"{{{zombieLease}}}","error":{"message":"x"}}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
        await HeartbeatAsync("zombie2", lease!);
        (await Client.PostAsync("/v1/executions/zombie2/output", $$"""{"leaseId":"{{zombieLease}}","chunks":["x"]}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
        await HeartbeatAsync("zombie2", lease!);
        (await Client.PostAsync("/v1/executions/zombie2/complete", $$"""{"leaseId":"{{lease}}","output":"from B"}""")).Is(HttpStatusCode.OK);
        Assert.Equal("from B", (await Client.GetAsync("/v1/executions/zombie2")).Body.GetProperty("output").GetString());
    }

    private async Task HeartbeatAsync(string id, string lease) =>
        (await Client.PostAsync($"/v1/executions/{id}/heartbeat", $$"""{"leaseId":"{{lease}}"}""")).Is(HttpStatusCode.OK);

    [Theory]
    [InlineData("""{"workerId":"w","max":0}""", "max")]
    [InlineData("""{"workerId":"w","max":101}""", "max")]
    [InlineData("""{"workerId":"w","waitMs":30001}""", "waitMs")]
    [InlineData("""{"workerId":"w","waitMs":-1}""", "waitMs")]
    [InlineData("""{"max":1}""", "workerId")]
    [InlineData("""{"workerId":"w","max":"5"}""", "max")]
    public async Task Claim_InvalidBody_Is400(string body, string field)
    {
        var reply = (await Client.PostAsync("/v1/queues/jobs/claim", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(field, reply.Body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Claim_InvalidQueueName_Is400() =>
        (await Client.PostAsync("/v1/queues/bad%20queue/claim", """{"workerId":"w"}""")).Problem(HttpStatusCode.BadRequest, "validation_failed");

    [Fact]
    public async Task WorkerWrites_UnknownOrStaleLease_Are409AndChangeNothing()
    {
        var lease = await CreateAndClaimAsync("stale");
        var version = (await Client.GetAsync("/v1/executions/stale")).Long("version");
        (await Client.PostAsync("/v1/executions/stale/heartbeat", """{"leaseId":"lease_nope"}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
        (await Client.PostAsync("/v1/executions/stale/complete", """{"leaseId":"lease_nope"}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
        (await Client.PostAsync("/v1/executions/stale/fail", """{"leaseId":"lease_nope","error":{"message":"x"}}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
        Assert.Equal(version, (await Client.GetAsync("/v1/executions/stale")).Long("version"));
        Assert.NotEmpty(lease);
    }

    [Theory]
    [InlineData("heartbeat", "{}", "leaseId")]
    [InlineData("complete", """{"output":1}""", "leaseId")]
    [InlineData("fail", """{"leaseId":"l"}""", "error.message")]
    [InlineData("fail", """{"leaseId":"l","error":{"message":""}}""", "error.message")]
    [InlineData("fail", """{"leaseId":"l","error":{"message":"x"},"retryAfterMs":-5}""", "retryAfterMs")]
    public async Task WorkerWrites_InvalidBody_Are400(string action, string body, string field)
    {
        await CreateAsync("bodies");
        var reply = (await Client.PostAsync($"/v1/executions/bodies/{action}", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(field, reply.Body.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("/v1/queues/jobs/claim")]
    [InlineData("/v1/executions/any/heartbeat")]
    [InlineData("/v1/executions/any/complete")]
    [InlineData("/v1/executions/any/fail")]
    [InlineData("/v1/executions/any/approvals")]
    [InlineData("/v1/executions/any/approvals/c1")]
    [InlineData("/v1/hooks/any:c1")]
    public async Task WorkerAndApprovalEndpoints_MalformedJson_Are400(string path)
    {
        (await Client.PostAsync(path, "{\"leaseId\":")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        (await Client.PostAsync(path, "{\"leaseId\":\"l\",\"surprise\":1}")).Problem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task WorkerWrites_UnknownExecution_Are404() =>
        (await Client.PostAsync("/v1/executions/nobody/heartbeat", """{"leaseId":"l"}""")).Problem(HttpStatusCode.NotFound, "not_found");

    [Fact]
    public async Task WorkerEndpoints_NeedTheWorkersScope()
    {
        var executionsOnly = Client.As(await NewKeyAsync(Tenant, "p", "executions"));
        (await executionsOnly.PostAsync("/v1/queues/jobs/claim", """{"workerId":"w"}""")).Problem(HttpStatusCode.Forbidden, "forbidden");
    }
}

public sealed class WorkersApiTests(LeveeFactory factory) : WorkersApiTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneWorkersApiTests(StandaloneGatewayFactory factory) : WorkersApiTestsBase(factory);
