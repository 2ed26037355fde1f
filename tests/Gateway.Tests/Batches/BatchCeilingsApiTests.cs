using System.Net;
using System.Text.Json;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Batches;

/// <summary>Ceilings over real HTTP on the co-hosted silo (its timer poller and outbox run): each one aborts the batch with its reason.</summary>
public sealed class BatchCeilingsApiTests(LeveeFactory factory) : GatewayTest(factory)
{
    private string Queue => $"cq-{Tenant}";

    private async Task<string> CreateSealedAsync(int runCount, string ceilings)
    {
        var created = (await Client.PostAsync("/v1/batches", $$"""{"runCount":{{runCount}},"task":"t","queue":"{{Queue}}","ceilings":{{ceilings}}}"""))
            .Is(HttpStatusCode.Created);
        var id = created.Str("id")!;
        var lines = string.Concat(Enumerable.Range(0, runCount).Select(i => "{\"index\":" + i + "}\n"));
        (await Client.SendAsync(HttpMethod.Post, $"/v1/batches/{id}/items", lines, [], "application/x-ndjson")).Is(HttpStatusCode.OK);
        return id;
    }

    private async Task<(string Id, string Lease)> ClaimChildAsync()
    {
        var claim = (await ClaimAsync(Queue, waitMs: 5000)).Is(HttpStatusCode.OK).Body.GetProperty("claims")[0];
        return (claim.GetProperty("execution").GetProperty("id").GetString()!, claim.GetProperty("leaseId").GetString()!);
    }

    /// <summary>Reads the batch until <paramref name="done"/> holds (the outbox and timers deliver in the background).</summary>
    private async Task<Reply> BatchWhenAsync(string id, Func<Reply, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var batch = (await Client.GetAsync($"/v1/batches/{id}")).Is(HttpStatusCode.OK);
            if (done(batch) || DateTime.UtcNow > deadline)
            {
                return batch;
            }
            await Task.Delay(50);
        }
    }

    [Theory]
    [InlineData("""{"deadlineMs":0}""", "ceilings.deadlineMs")]
    [InlineData("""{"maxFailureRate":1.5}""", "ceilings.maxFailureRate")]
    [InlineData("""{"maxFailureRate":0.5,"minFinished":3}""", "ceilings.minFinished")]
    [InlineData("""{"maxConsecutiveFailures":-1}""", "ceilings.maxConsecutiveFailures")]
    [InlineData("""{"maxConcurrency":0}""", "ceilings.maxConcurrency")]
    [InlineData("""{"maxConcurrency":10001}""", "ceilings.maxConcurrency")]
    [InlineData("""{"budget":{"limit":10}}""", "ceilings.budget.unit")]
    [InlineData("""{"budget":{"limit":0,"unit":"usd"}}""", "ceilings.budget.limit")]
    public async Task Create_BadCeiling_Is400NamingTheField(string ceilings, string field)
    {
        var reply = (await Client.PostAsync("/v1/batches", $$"""{"runCount":2,"task":"t","ceilings":{{ceilings}}}"""))
            .Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(field, reply.Str("field"));
    }

    [Fact]
    public async Task ConsecutiveFailures_AbortTheRest_WithReasonFailureRate()
    {
        var id = await CreateSealedAsync(4, """{"maxConsecutiveFailures":2}""");
        for (var i = 0; i < 2; i++)
        {
            var (child, lease) = await ClaimChildAsync();
            (await Client.PostAsync($"/v1/executions/{child}/fail", $$"""{"leaseId":"{{lease}}","error":{"message":"boom"},"retryable":false}"""))
                .Is(HttpStatusCode.OK);
        }

        var batch = await BatchWhenAsync(id, b => b.Body.GetProperty("counts").GetProperty("cancelled").GetInt64() == 2);

        Assert.Equal(("aborted", "failure_rate"), (batch.Str("status"), batch.Str("abortReason")));
        Assert.Equal(2, batch.Body.GetProperty("ceilings").GetProperty("maxConsecutiveFailures").GetInt32());
        Assert.Equal((2L, 2L), (batch.Body.GetProperty("counts").GetProperty("failed").GetInt64(), batch.Body.GetProperty("counts").GetProperty("cancelled").GetInt64()));
        // Nothing is handed out after the abort: the rest were cancelled.
        Assert.Equal(0, (await ClaimAsync(Queue)).Body.GetProperty("claims").GetArrayLength());
    }

    [Fact]
    public async Task FailureRate_AfterMinFinished_AbortsWithReasonFailureRate_AndTheLogSaysWhy()
    {
        var id = await CreateSealedAsync(6, """{"maxFailureRate":0.5,"minFinished":3}""");
        var claims = (await ClaimAsync(Queue, max: 3, waitMs: 5000)).Is(HttpStatusCode.OK).Body.GetProperty("claims");
        var outcomes = new[] { "complete", "fail", "fail" };
        for (var i = 0; i < 3; i++)
        {
            var child = claims[i].GetProperty("execution").GetProperty("id").GetString();
            var lease = claims[i].GetProperty("leaseId").GetString();
            var body = outcomes[i] == "fail" ? $$"""{"leaseId":"{{lease}}","error":{"message":"x"},"retryable":false}""" : $$"""{"leaseId":"{{lease}}"}""";
            (await Client.PostAsync($"/v1/executions/{child}/{outcomes[i]}", body)).Is(HttpStatusCode.OK);
        }

        var batch = await BatchWhenAsync(id, b => b.Str("status") == "aborted");

        Assert.Equal(("aborted", "failure_rate"), (batch.Str("status"), batch.Str("abortReason")));
        var events = (await Client.GetAsync($"/v1/batches/{id}/events?limit=20", ("Accept", "application/json"))).Is(HttpStatusCode.OK).Body.GetProperty("items");
        var aborted = events.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "aborted").GetProperty("data");
        Assert.Equal(("failure_rate", "2 of 3 finished children failed (maxFailureRate 0.5)"),
            (aborted.GetProperty("reason").GetString(), aborted.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Budget_CostOnCompleteAndFail_SumsIntoSpent_AndAbortsAtTheLimit()
    {
        var id = await CreateSealedAsync(3, """{"budget":{"limit":2.5,"unit":"usd"}}""");
        var claims = (await ClaimAsync(Queue, max: 3, waitMs: 5000)).Is(HttpStatusCode.OK).Body.GetProperty("claims");
        var (first, lease1) = (claims[0].GetProperty("execution").GetProperty("id").GetString()!, claims[0].GetProperty("leaseId").GetString()!);
        var (second, lease2) = (claims[1].GetProperty("execution").GetProperty("id").GetString()!, claims[1].GetProperty("leaseId").GetString()!);
        // A retryable failure's cost counts too: cost sums over attempts.
        (await Client.PostAsync($"/v1/executions/{first}/fail", $$"""{"leaseId":"{{lease1}}","error":{"message":"x"},"retryAfterMs":0,"cost":0.5}"""))
            .Is(HttpStatusCode.OK);
        var (again, lease3) = await ClaimChildAsync();
        Assert.Equal(first, again);
        var done = (await Client.PostAsync($"/v1/executions/{first}/complete", $$"""{"leaseId":"{{lease3}}","cost":1.25}""")).Is(HttpStatusCode.OK);
        Assert.Equal(1.75m, done.Body.GetProperty("cost").GetDecimal());
        var batch = await BatchWhenAsync(id, b => b.Body.GetProperty("spent").GetDecimal() > 0);
        Assert.Equal(("processing", 1.75m), (batch.Str("status"), batch.Body.GetProperty("spent").GetDecimal()));

        (await Client.PostAsync($"/v1/executions/{second}/complete", $$"""{"leaseId":"{{lease2}}","cost":1}""")).Is(HttpStatusCode.OK);

        batch = await BatchWhenAsync(id, b => b.Str("status") == "aborted");
        Assert.Equal(("aborted", "budget", 2.75m), (batch.Str("status"), batch.Str("abortReason"), batch.Body.GetProperty("spent").GetDecimal()));
        // The child still running is asked to stop.
        var third = claims[2].GetProperty("execution").GetProperty("id").GetString();
        var running = await Client.GetAsync($"/v1/executions/{third}");
        for (var i = 0; i < 200 && !running.Body.GetProperty("cancelRequested").GetBoolean(); i++)
        {
            await Task.Delay(50);
            running = await Client.GetAsync($"/v1/executions/{third}");
        }
        Assert.True(running.Body.GetProperty("cancelRequested").GetBoolean());
    }

    [Fact]
    public async Task Deadline_TimerAbortsAProcessingBatch_WithReasonDeadline()
    {
        var id = await CreateSealedAsync(2, """{"deadlineMs":300}""");

        var batch = await BatchWhenAsync(id, b => b.Str("status") == "aborted");

        Assert.Equal(("aborted", "deadline"), (batch.Str("status"), batch.Str("abortReason")));
        Assert.Equal(300, batch.Body.GetProperty("ceilings").GetProperty("deadlineMs").GetInt64());
    }

    [Fact]
    public async Task MaxConcurrency_32ClaimersCap4_NeverMoreThan4LeasesAndEveryChildRuns()
    {
        const int runCount = 24, cap = 4;
        var id = await CreateSealedAsync(runCount, $$"""{"maxConcurrency":{{cap}}}""");
        var holding = 0;
        var maxHolding = 0;
        var maxRunning = 0L;
        var done = 0;
        async Task WorkerAsync(int worker)
        {
            while (Volatile.Read(ref done) < runCount)
            {
                var claims = (await ClaimAsync(Queue, $"w{worker}", waitMs: 500)).Is(HttpStatusCode.OK).Body.GetProperty("claims");
                if (claims.GetArrayLength() == 0)
                {
                    continue;
                }
                var now = Interlocked.Increment(ref holding);
                InterlockedMax(ref maxHolding, now);
                // The live count, as the index (and the cap) sees it, after every claim.
                var running = (await Client.GetAsync($"/v1/batches/{id}")).Body.GetProperty("counts").GetProperty("running").GetInt64();
                InterlockedMax(ref maxRunning, running);
                await Task.Delay(Random.Shared.Next(0, 20));
                Interlocked.Decrement(ref holding);
                var child = claims[0].GetProperty("execution").GetProperty("id").GetString();
                (await Client.PostAsync($"/v1/executions/{child}/complete", $$"""{"leaseId":"{{claims[0].GetProperty("leaseId").GetString()}}"}"""))
                    .Is(HttpStatusCode.OK);
                Interlocked.Increment(ref done);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 32).Select(WorkerAsync)).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.InRange(maxHolding, 1, cap);
        Assert.InRange(maxRunning, 1, cap);
        var batch = await BatchWhenAsync(id, b => b.Str("status") == "completed");
        Assert.Equal(("completed", (long)runCount), (batch.Str("status"), batch.Body.GetProperty("counts").GetProperty("succeeded").GetInt64()));
    }

    [Fact]
    public async Task MaxConcurrency_ASlotFreedByARetryIsTakenAtOnce_OtherWorkOfTheQueueIsNotHeldBack()
    {
        var id = await CreateSealedAsync(3, """{"maxConcurrency":1}""");
        (await Client.PostAsync("/v1/executions", $$"""{"id":"other-{{Tenant}}","task":"t","queue":"{{Queue}}"}""")).Is(HttpStatusCode.Created);

        var first = (await ClaimAsync(Queue, max: 10)).Is(HttpStatusCode.OK).Body.GetProperty("claims");
        // One child of the batch (its cap) and the execution outside it.
        Assert.Equal(2, first.GetArrayLength());
        Assert.Equal(0, (await ClaimAsync(Queue, max: 10)).Body.GetProperty("claims").GetArrayLength());
        var child = first.EnumerateArray().Single(c => c.GetProperty("execution").GetProperty("id").GetString()!.StartsWith(id, StringComparison.Ordinal));

        var waiting = ClaimAsync(Queue, max: 10, waitMs: 10_000);
        (await Client.PostAsync($"/v1/executions/{child.GetProperty("execution").GetProperty("id").GetString()}/fail",
            $$"""{"leaseId":"{{child.GetProperty("leaseId").GetString()}}","error":{"message":"x"},"retryAfterMs":60000}""")).Is(HttpStatusCode.OK);

        Assert.Equal(1, (await waiting).Is(HttpStatusCode.OK).Body.GetProperty("claims").GetArrayLength());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task NoCeilings_TheBatchShowsNone()
    {
        var created = (await Client.PostAsync("/v1/batches", """{"runCount":1,"task":"t"}""")).Is(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, created.Body.GetProperty("ceilings").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.Body.GetProperty("abortReason").ValueKind);
        Assert.Equal(0m, created.Body.GetProperty("spent").GetDecimal());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("\"x\"")]
    public async Task Complete_BadCost_Is400_AndTheExecutionStaysRunning(string cost)
    {
        var lease = await CreateAndClaimAsync("cost-bad" + cost.Length);
        (await Client.PostAsync($"/v1/executions/cost-bad{cost.Length}/complete", $$"""{"leaseId":"{{lease}}","cost":{{cost}}}"""))
            .Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("running", (await Client.GetAsync($"/v1/executions/cost-bad{cost.Length}")).Str("status"));
    }

    [Fact]
    public async Task Events_BadCostIsDroppedAndCounted_AGoodOneAddsOnce()
    {
        // Claimed, so the reports belong to its running attempt.
        await CreateAndClaimAsync("cost-events");
        var body = """{"events":[{"executionId":"cost-events","seq":1,"type":"step","cost":"x"},{"executionId":"cost-events","seq":2,"cost":0.5},{"executionId":"cost-events","seq":2,"cost":0.5}]}""";

        var accepted = (await Client.PostAsync("/v1/events", body)).Is(HttpStatusCode.Accepted);

        Assert.Equal((2L, 1L, 1L), (accepted.Long("applied"), accepted.Long("ignored"), accepted.Long("costsIgnored")));
        Assert.Equal(0.5m, (await Client.GetAsync("/v1/executions/cost-events")).Body.GetProperty("cost").GetDecimal());
    }
}
