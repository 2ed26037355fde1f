using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Executions;

/// <summary>Run against the co-hosted silo (<see cref="ListAndResultTests"/>) and a standalone gateway (<see cref="StandaloneListAndResultTests"/>).</summary>
public abstract class ListAndResultTestsBase(ILeveeServer server) : GatewayTest(server)
{
    [Fact]
    public async Task List_PagesNewestFirstWithCursorAndFilters()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync($"l{i}", task: i % 2 == 0 ? "even" : "odd");
        }
        await StatusAsync("l4", """{"status":"running"}""");

        var first = (await Client.GetAsync("/v1/executions?limit=2")).Is(HttpStatusCode.OK);
        var cursor = first.Str("nextCursor");
        Assert.NotNull(cursor);
        var second = (await Client.GetAsync($"/v1/executions?limit=2&cursor={cursor}")).Is(HttpStatusCode.OK);
        var third = (await Client.GetAsync($"/v1/executions?limit=2&cursor={second.Str("nextCursor")}")).Is(HttpStatusCode.OK);
        var ids = new[] { first, second, third }.SelectMany(p => p.Body.GetProperty("items").EnumerateArray()).Select(e => e.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(["l4", "l3", "l2", "l1", "l0"], ids);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, third.Body.GetProperty("nextCursor").ValueKind);

        var even = (await Client.GetAsync("/v1/executions?task=even")).Body.GetProperty("items").GetArrayLength();
        Assert.Equal(3, even);
        var running = (await Client.GetAsync("/v1/executions?status=running")).Body.GetProperty("items");
        Assert.Equal("l4", Assert.Single(running.EnumerateArray()).GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=501")]
    [InlineData("?limit=x")]
    [InlineData("?status=finished")]
    [InlineData("?cursor=%%%")]
    [InlineData("?cursor=bm90LWEtY3Vyc29y")]
    public async Task List_InvalidQuery_Is400(string query) =>
        (await Client.GetAsync($"/v1/executions{query}")).Problem(HttpStatusCode.BadRequest, "validation_failed");

    [Theory]
    [InlineData("?limit=", "limit")]
    [InlineData("?limit=x", "limit")]
    [InlineData("?limit=1&limit=2", "limit")]
    [InlineData("?status=", "status")]
    [InlineData("?status=finished", "status")]
    public async Task List_InvalidLimitOrStatus_Is400NamingTheField(string query, string field)
    {
        var reply = (await Client.GetAsync($"/v1/executions{query}")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(field, reply.Str("field"));
    }

    [Fact]
    public async Task Result_WaitsUntilTerminal()
    {
        await CreateAsync("wait");
        var waiting = Client.GetAsync("/v1/executions/wait/result?waitMs=30000");
        await Task.Delay(100);
        await StatusAsync("wait", """{"status":"succeeded","output":"done"}""");
        var reply = (await waiting).Is(HttpStatusCode.OK);
        Assert.Equal("succeeded", reply.Str("status"));
        Assert.Equal("true", reply.Headers.GetValues("Levee-Terminal").Single());
    }

    [Fact]
    public async Task Result_NotTerminalWhenWaitPasses_ReturnsCurrentState()
    {
        await CreateAsync("slow");
        var reply = (await Client.GetAsync("/v1/executions/slow/result?waitMs=50")).Is(HttpStatusCode.OK);
        Assert.Equal("queued", reply.Str("status"));
        Assert.Equal("false", reply.Headers.GetValues("Levee-Terminal").Single());
    }

    [Theory]
    [InlineData("?waitMs=-1")]
    [InlineData("?waitMs=60001")]
    [InlineData("?waitMs=soon")]
    [InlineData("?waitMs=")]
    public async Task Result_InvalidWait_Is400(string query)
    {
        await CreateAsync("wait-bad");
        var reply = (await Client.GetAsync($"/v1/executions/wait-bad/result{query}")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("waitMs", reply.Str("field"));
    }

    [Fact]
    public async Task Result_UnknownExecution_Is404() =>
        (await Client.GetAsync("/v1/executions/none/result")).Problem(HttpStatusCode.NotFound, "not_found");
}

public sealed class ListAndResultTests(LeveeFactory factory) : ListAndResultTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneListAndResultTests(StandaloneGatewayFactory factory) : ListAndResultTestsBase(factory);
