using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Admin;

/// <summary>The admin's cross-tenant reads under <c>/v1/admin/tenants/{tenant}/projects/{project}</c>.</summary>
public sealed class AdminTenantsApiTests(LeveeFactory factory) : GatewayTest(factory)
{
    private string Project => $"/v1/admin/tenants/{Tenant}/projects/p";

    [Fact]
    public async Task Executions_ListOneAndEvents_AreTheTenantsOwn()
    {
        (await CreateAsync("adm-1", extra: ""","metadata":{"who":"ops"}""")).Is(HttpStatusCode.Created);

        var list = (await Admin.GetAsync($"{Project}/executions")).Is(HttpStatusCode.OK);
        var one = (await Admin.GetAsync($"{Project}/executions/adm-1")).Is(HttpStatusCode.OK);
        var events = (await Admin.GetAsync($"{Project}/executions/adm-1/events", ("Accept", "application/json"))).Is(HttpStatusCode.OK);

        Assert.Equal("adm-1", Assert.Single(list.Body.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal((await Client.GetAsync("/v1/executions/adm-1")).Text, one.Text);
        Assert.Equal("created", events.Body.GetProperty("items")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Executions_FilteredByStatus_AsTheTenantRouteFilters()
    {
        await CreateAsync("adm-q");

        var none = (await Admin.GetAsync($"{Project}/executions?status=failed")).Is(HttpStatusCode.OK);

        Assert.Equal(0, none.Body.GetProperty("items").GetArrayLength());
        (await Admin.GetAsync($"{Project}/executions?status=nope")).Problem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task AnIdOfAnotherProject_Is404()
    {
        await CreateAsync("adm-mine");

        (await Admin.GetAsync($"/v1/admin/tenants/{Tenant}/projects/other/executions/adm-mine")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Admin.GetAsync($"{Project}/executions/adm-none")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Admin.GetAsync($"{Project}/executions/adm-none/events")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Admin.GetAsync($"{Project}/batches/bat_none")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Admin.GetAsync($"{Project}/batches/bat_none/events")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("bad*tenant", "p", "tenant")]
    [InlineData("t", "bad*project", "project")]
    public async Task AnInvalidTenantOrProject_Is400NamingIt(string tenant, string project, string field)
    {
        var reply = (await Admin.GetAsync($"/v1/admin/tenants/{tenant}/projects/{project}/executions")).Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Contains(field, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATenantKey_Is403_EvenForItsOwnProject() =>
        (await Client.GetAsync($"{Project}/executions")).Problem(HttpStatusCode.Forbidden, "forbidden");

    [Fact]
    public async Task Anonymous_Is401() =>
        (await Admin.As(null).GetAsync($"{Project}/queues")).Problem(HttpStatusCode.Unauthorized, "unauthorized");

    [Fact]
    public async Task Queues_ShowDepthReadyAndTheOldestReadyAge()
    {
        await CreateAsync("adm-qa", extra: ""","queue":"mail" """);
        await CreateAsync("adm-qb", extra: ""","queue":"mail" """);
        await CreateAsync("adm-qc", extra: ""","queue":"later","delayMs":600000""");

        var queues = (await Admin.GetAsync($"{Project}/queues")).Is(HttpStatusCode.OK).Body.GetProperty("items");

        var later = queues[0];
        var mail = queues[1];
        Assert.Equal(("later", 1L, 0L), (later.GetProperty("queue").GetString(), later.GetProperty("depth").GetInt64(), later.GetProperty("ready").GetInt64()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, later.GetProperty("oldestReadyAgeMs").ValueKind);
        Assert.Equal(("mail", 2L, 2L), (mail.GetProperty("queue").GetString(), mail.GetProperty("depth").GetInt64(), mail.GetProperty("ready").GetInt64()));
        Assert.True(mail.GetProperty("oldestReadyAgeMs").GetInt64() >= 0);
        Assert.Equal(0, mail.GetProperty("claimersWaiting").GetInt32());
    }

    [Fact]
    public async Task Queues_CountClaimersWaitingOnThisGateway()
    {
        // Due in 8 s: until then the claim waits, and the queue is listed (its work is queued, not ready).
        await CreateAsync("adm-cw", extra: ""","queue":"cw","delayMs":8000""");
        var waiting = ClaimAsync("cw", waitMs: 30_000);

        await WaitUntilAsync(async () => (await Admin.GetAsync($"{Project}/queues")).Body.GetProperty("items")[0].GetProperty("claimersWaiting").GetInt32() == 1);

        Assert.Equal(1, (await waiting).Is(HttpStatusCode.OK).Body.GetProperty("claims").GetArrayLength());
        await WaitUntilAsync(async () => (await Admin.GetAsync($"{Project}/queues")).Body.GetProperty("items").GetArrayLength() == 0);
    }

    [Fact]
    public async Task Batches_InFlight_ListsTheSealedBatchWithItsCounts()
    {
        var id = await CreateSealedBatchAsync(2, "bq");

        var batches = (await Admin.GetAsync($"{Project}/batches")).Is(HttpStatusCode.OK).Body.GetProperty("items");
        var batch = Assert.Single(batches.EnumerateArray());

        Assert.Equal(id, batch.GetProperty("id").GetString());
        Assert.Equal(2, batch.GetProperty("runCount").GetInt32());
        (await Admin.GetAsync($"{Project}/batches/{id}")).Is(HttpStatusCode.OK);
        (await Admin.GetAsync($"{Project}/batches/{id}/executions")).Is(HttpStatusCode.OK);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 20 s");
            await Task.Delay(100);
        }
    }
}
