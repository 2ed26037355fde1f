using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Executions;

/// <summary><c>DELETE /v1/executions/{id}</c>: a terminal execution goes with its log; anything else is refused and left as it was.</summary>
public abstract class DeleteExecutionTestsBase(ILeveeServer server) : GatewayTest(server)
{
    [Fact]
    public async Task Delete_Terminal_Is204_ThenEverythingOfItIs404_AndTheIdCanBeUsedAgain()
    {
        (await CreateAsync("del-done")).Is(HttpStatusCode.Created);
        (await Client.PostAsync("/v1/executions/del-done/cancel", "{}")).Is(HttpStatusCode.OK);

        (await Client.DeleteAsync("/v1/executions/del-done")).Is(HttpStatusCode.NoContent);

        (await Client.GetAsync("/v1/executions/del-done")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Client.GetAsync("/v1/executions/del-done/events")).Problem(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(0, (await Client.GetAsync("/v1/executions?limit=500")).Body.GetProperty("items").EnumerateArray()
            .Count(e => e.GetProperty("id").GetString() == "del-done"));
        (await Client.DeleteAsync("/v1/executions/del-done")).Problem(HttpStatusCode.NotFound, "not_found");
        var again = (await CreateAsync("del-done")).Is(HttpStatusCode.Created);
        Assert.Equal((1L, "queued"), (again.Long("version"), again.Str("status")));
    }

    [Fact]
    public async Task Delete_NotTerminal_Is409NotTerminal_AndTheExecutionRunsOn()
    {
        var lease = await CreateAndClaimAsync("del-running");

        var refused = (await Client.DeleteAsync("/v1/executions/del-running")).Problem(HttpStatusCode.Conflict, "not_terminal");

        Assert.Equal("running", refused.Str("currentStatus"));
        (await Client.PostAsync("/v1/executions/del-running/complete", $$"""{"leaseId":"{{lease}}"}""")).Is(HttpStatusCode.OK);
        (await Client.DeleteAsync("/v1/executions/del-running")).Is(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Delete_UnknownOrOtherTenantsOrInvalidId_Is404()
    {
        (await CreateAsync("del-mine")).Is(HttpStatusCode.Created);
        (await Client.PostAsync("/v1/executions/del-mine/cancel", "{}")).Is(HttpStatusCode.OK);
        var stranger = Client.As(await NewKeyAsync("other" + Tenant, "p", "executions"));

        (await stranger.DeleteAsync("/v1/executions/del-mine")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Client.DeleteAsync("/v1/executions/del-nobody")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Client.DeleteAsync("/v1/executions/bad%20id")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Client.GetAsync("/v1/executions/del-mine")).Is(HttpStatusCode.OK);
    }
}

public sealed class DeleteExecutionTests(LeveeFactory factory) : DeleteExecutionTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneDeleteExecutionTests(StandaloneGatewayFactory factory) : DeleteExecutionTestsBase(factory);
