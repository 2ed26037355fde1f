using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Executions;

/// <summary>Run against the co-hosted silo (<see cref="ReportEventsTests"/>) and a standalone gateway (<see cref="StandaloneReportEventsTests"/>).</summary>
public abstract class ReportEventsTestsBase(ILeveeServer server) : GatewayTest(server)
{
    [Fact]
    public async Task Events_OutOfOrderAndDuplicated_NeverRegressAndCountEachOutcome()
    {
        await CreateAsync("ff");
        // Terminal first, then the late 'running', a duplicate, and an unknown execution.
        var reply = (await Client.PostAsync("/v1/events", """
            {"events":[
              {"executionId":"ff","status":"succeeded","seq":3,"output":{"ok":true}},
              {"executionId":"ff","status":"running","seq":1},
              {"executionId":"ff","status":"succeeded","seq":3},
              {"executionId":"nobody","status":"running"}
            ]}
            """)).Is(HttpStatusCode.Accepted);
        Assert.Equal(1, reply.Long("applied"));
        Assert.Equal(2, reply.Long("ignored"));
        Assert.Equal(1, reply.Long("unknown"));
        var view = await Client.GetAsync("/v1/executions/ff");
        Assert.Equal("succeeded", view.Str("status"));
        Assert.True(view.Body.GetProperty("output").GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Events_ANullItem_Is400NamingIt_AndNothingIsApplied()
    {
        await CreateAsync("ff-null");

        var reply = (await Client.PostAsync("/v1/events", """{"events":[{"executionId":"ff-null","status":"running","seq":1},null]}"""))
            .Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal("events[1]", reply.Str("field"));
        Assert.Equal("queued", (await Client.GetAsync("/v1/executions/ff-null")).Str("status"));
    }

    [Fact]
    public async Task Events_ALoneSurrogateInData_Is400NamingIt_AndNothingIsApplied()
    {
        await CreateAsync("ff-sur");

        var reply = (await Client.PostAsync("/v1/events", """{"events":[{"executionId":"ff-sur","status":"running","seq":1},{"executionId":"ff-sur","type":"t","seq":2,"data":{"s":"\ud800"}}]}"""))
            .Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal("events[1].data", reply.Str("field"));
        Assert.Equal("queued", (await Client.GetAsync("/v1/executions/ff-sur")).Str("status"));
    }

    [Fact]
    public async Task Events_CustomTypes_AreAppendedToTheLog()
    {
        await CreateAsync("progress");
        var reply = (await Client.PostAsync("/v1/events", """{"events":[{"executionId":"progress","type":"progress","seq":1,"data":{"pct":50}}]}""")).Is(HttpStatusCode.Accepted);
        Assert.Equal(1, reply.Long("applied"));
        var page = await Client.GetAsync("/v1/executions/progress/events", ("Accept", "application/json"));
        var last = page.Body.GetProperty("items")[1];
        Assert.Equal("report", last.GetProperty("type").GetString());
        Assert.Equal(50, last.GetProperty("data").GetProperty("data").GetProperty("pct").GetInt32());
    }

    [Theory]
    [InlineData("{\"events\":[")]
    [InlineData("""{"events":[{"executionId":"x","status":"nope"}]}""")]
    [InlineData("""{"events":[{"status":"running"}]}""")]
    [InlineData("""{"events":"x"}""")]
    public async Task Events_Malformed_Is400(string body) =>
        (await Client.PostAsync("/v1/events", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");
}

public sealed class ReportEventsTests(LeveeFactory factory) : ReportEventsTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneReportEventsTests(StandaloneGatewayFactory factory) : ReportEventsTestsBase(factory);
