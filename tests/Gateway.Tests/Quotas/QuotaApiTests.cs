using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Quotas;

/// <summary>
/// Storage quotas per tenant (<see cref="QuotaFactory"/>: 3 executions, 20,000 event bytes): what
/// would cross one is refused with nothing stored, what was admitted always finishes, and deletes
/// give the room back. Each test is a fresh tenant, so each starts with nothing stored.
/// </summary>
[Collection(QuotaCollection.Name)]
public sealed class QuotaApiTests(QuotaFactory factory) : GatewayTest(factory)
{
    private static readonly string Kilobytes8 = new('x', 8_000);

    private async Task<Reply> UsageAsync() => (await Admin.GetAsync($"/v1/admin/tenants/{Tenant}/usage")).Is(HttpStatusCode.OK);

    /// <summary>The execution's log as a JSON page.</summary>
    private Task<Reply> EventsAsync(string id) => Client.GetAsync($"/v1/executions/{id}/events", ("Accept", "application/json"));

    private async Task CreateUpToTheLimitAsync(string prefix)
    {
        for (var i = 0; i < QuotaFactory.MaxExecutions; i++)
        {
            (await CreateAsync($"{prefix}{i}")).Is(HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task Create_PastMaxExecutions_Is429QuotaExceeded_AndNothingIsStored()
    {
        await CreateUpToTheLimitAsync("q");
        var before = await UsageAsync();

        var refused = (await CreateAsync("q-over")).Problem(HttpStatusCode.TooManyRequests, "quota_exceeded");

        Assert.Equal((3L, 3L), (refused.Long("limit"), refused.Long("usage")));
        Assert.Contains("Levee:Grains:Quota:MaxExecutions", refused.Str("detail"), StringComparison.Ordinal);
        Assert.False(refused.Headers.Contains("Retry-After"));
        (await Client.GetAsync("/v1/executions/q-over")).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(3, (await Client.GetAsync("/v1/executions")).Body.GetProperty("items").GetArrayLength());
        Assert.Equal(before.Text, (await UsageAsync()).Text);
    }

    [Fact]
    public async Task AtTheLimit_AdmittedWorkStillRunsToTheEnd()
    {
        await CreateUpToTheLimitAsync("run");
        var claim = (await ClaimAsync("default", max: 1)).Is(HttpStatusCode.OK).Body.GetProperty("claims")[0];
        var (id, lease) = (claim.GetProperty("execution").GetProperty("id").GetString(), claim.GetProperty("leaseId").GetString());

        (await Client.PostAsync($"/v1/executions/{id}/heartbeat", $$"""{"leaseId":"{{lease}}"}""")).Is(HttpStatusCode.OK);
        var done = (await Client.PostAsync($"/v1/executions/{id}/complete", $$$"""{"leaseId":"{{{lease}}}","output":{"ok":true}}""")).Is(HttpStatusCode.OK);

        Assert.Equal("succeeded", done.Str("status"));
    }

    [Fact]
    public async Task Delete_GivesTheRoomBack_AndAnIdempotentRetryThenSucceeds()
    {
        await CreateUpToTheLimitAsync("del");
        (await Client.PostAsync("/v1/executions", """{"task":"t"}""", ("Idempotency-Key", "k-1"))).Problem(HttpStatusCode.TooManyRequests, "quota_exceeded");
        (await Client.PostAsync("/v1/executions/del0/cancel", "{}")).Is(HttpStatusCode.OK);

        (await Client.DeleteAsync("/v1/executions/del0")).Is(HttpStatusCode.NoContent);

        Assert.Equal(2, (await UsageAsync()).Long("executions"));
        var retried = (await Client.PostAsync("/v1/executions", """{"task":"t"}""", ("Idempotency-Key", "k-1"))).Is(HttpStatusCode.Created);
        Assert.Equal("queued", retried.Str("status"));
        Assert.Equal(3, (await UsageAsync()).Long("executions"));
    }

    [Fact]
    public async Task Batch_WhoseRunCountIsMoreThanTheRoomLeft_Is413_AndOneThatFitsSealsWithEveryChild()
    {
        (await CreateAsync("solo")).Is(HttpStatusCode.Created);

        var refused = (await Client.PostAsync("/v1/batches", """{"runCount":3,"task":"t"}""")).Problem(HttpStatusCode.RequestEntityTooLarge, "batch_exceeds_quota");

        Assert.Equal(("runCount", 3L, 1L, 3L), (refused.Str("field"), refused.Long("runCount"), refused.Long("usage"), refused.Long("limit")));
        Assert.Equal(1, (await UsageAsync()).Long("executions"));

        var batch = (await Client.PostAsync("/v1/batches", """{"runCount":2,"task":"t"}""")).Is(HttpStatusCode.Created).Str("id");
        var items = (await Client.SendAsync(HttpMethod.Post, $"/v1/batches/{batch}/items", "{\"index\":0}\n{\"index\":1}\n", [], "application/x-ndjson"))
            .Is(HttpStatusCode.OK);
        Assert.True(items.Body.GetProperty("sealed").GetBoolean());
        Assert.Equal(3, (await UsageAsync()).Long("executions"));
        (await CreateAsync("after-batch")).Problem(HttpStatusCode.TooManyRequests, "quota_exceeded");
        (await Client.PostAsync("/v1/batches", """{"runCount":1,"task":"t"}""")).Problem(HttpStatusCode.TooManyRequests, "quota_exceeded");
    }

    [Fact]
    public async Task EventBytes_ACreateOrOutputThatWouldCrossMaxEventBytes_Is429_AndTheLogIsUnchanged()
    {
        (await CreateAsync("big0", extra: $$""","input":"{{Kilobytes8}}" """)).Is(HttpStatusCode.Created);
        (await CreateAsync("big1", extra: $$""","input":"{{Kilobytes8}}" """)).Is(HttpStatusCode.Created);

        var refused = (await CreateAsync("big2", extra: $$""","input":"{{Kilobytes8}}" """)).Problem(HttpStatusCode.TooManyRequests, "quota_exceeded");
        Assert.Equal(QuotaFactory.MaxEventBytes, refused.Long("limit"));
        Assert.Contains("Levee:Grains:Quota:MaxEventBytes", refused.Str("detail"), StringComparison.Ordinal);

        var events = (await EventsAsync("big0")).Text;
        (await Client.PostAsync("/v1/executions/big0/output", $$"""{"chunks":["{{Kilobytes8}}"]}""")).Problem(HttpStatusCode.TooManyRequests, "quota_exceeded");
        Assert.Equal(events, (await EventsAsync("big0")).Text);
        (await Client.PostAsync("/v1/executions/big0/output", """{"chunks":["small"]}""")).Is(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Usage_IsReadByTheAdminOnly_WithTheQuotas()
    {
        (await CreateAsync("u0")).Is(HttpStatusCode.Created);

        var usage = await UsageAsync();
        Assert.Equal((Tenant, 1L, 3L, 20_000L), (usage.Str("tenant"), usage.Long("executions"), usage.Long("maxExecutions"), usage.Long("maxEventBytes")));
        Assert.InRange(usage.Long("eventBytes"), 1, 20_000);
        var all = (await Admin.GetAsync("/v1/admin/usage")).Is(HttpStatusCode.OK);
        Assert.Contains(all.Body.GetProperty("items").EnumerateArray(), t => t.GetProperty("tenant").GetString() == Tenant);
        Assert.Equal(0, (await Admin.GetAsync("/v1/admin/tenants/nobody-here/usage")).Is(HttpStatusCode.OK).Long("executions"));

        (await Client.GetAsync($"/v1/admin/tenants/{Tenant}/usage")).Problem(HttpStatusCode.Forbidden, "forbidden");
        (await Admin.GetAsync("/v1/admin/tenants/bad%20name/usage")).Problem(HttpStatusCode.BadRequest, "validation_failed");
    }
}
