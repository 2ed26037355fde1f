using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Executions;

/// <summary>Run against the co-hosted silo (<see cref="ExecutionStatusTests"/>) and a standalone gateway (<see cref="StandaloneExecutionStatusTests"/>).</summary>
public abstract class ExecutionStatusTestsBase(ILeveeServer server) : GatewayTest(server)
{
    [Fact]
    public async Task Status_Lifecycle_MovesForwardAndRecordsOutput()
    {
        await CreateAsync("life");
        var running = (await StatusAsync("life", """{"status":"running"}""")).Is(HttpStatusCode.OK);
        Assert.Equal("running", running.Str("status"));
        Assert.Equal(1, running.Body.GetProperty("attempt").GetInt32());
        var done = (await StatusAsync("life", """{"status":"succeeded","output":{"sent":true}}""")).Is(HttpStatusCode.OK);
        Assert.Equal("succeeded", done.Str("status"));
        Assert.True(done.Body.GetProperty("output").GetProperty("sent").GetBoolean());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, done.Body.GetProperty("completedAt").ValueKind);
    }

    [Fact]
    public async Task Status_SameTerminalAgain_Is200Unchanged()
    {
        await CreateAsync("again");
        var first = (await StatusAsync("again", """{"status":"succeeded","output":1}""")).Is(HttpStatusCode.OK);
        var second = (await StatusAsync("again", """{"status":"succeeded","output":2}""")).Is(HttpStatusCode.OK);
        Assert.Equal(first.Long("version"), second.Long("version"));
        Assert.Equal(1, second.Body.GetProperty("output").GetInt32());
    }

    [Theory]
    [InlineData("failed")]
    [InlineData("running")]
    [InlineData("queued")]
    [InlineData("cancelled")]
    public async Task Status_OnTerminal_Is409TerminalStateAndUntouched(string status)
    {
        await CreateAsync("term");
        await StatusAsync("term", """{"status":"succeeded"}""");
        var reply = (await StatusAsync("term", $$"""{"status":"{{status}}"}""")).Problem(HttpStatusCode.Conflict, "terminal_state");
        Assert.Equal("succeeded", reply.Str("currentStatus"));
        var view = (await Client.GetAsync("/v1/executions/term")).Is(HttpStatusCode.OK);
        Assert.Equal("succeeded", view.Str("status"));
        Assert.Equal(2, view.Long("version"));
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("waiting")]
    public async Task Status_BackwardsOrReservedTarget_Is409IllegalTransition(string status)
    {
        await CreateAsync("back");
        await StatusAsync("back", """{"status":"running"}""");
        var reply = (await StatusAsync("back", $$"""{"status":"{{status}}"}""")).Problem(HttpStatusCode.Conflict, "illegal_transition");
        Assert.Equal("running", reply.Str("currentStatus"));
    }

    [Fact]
    public async Task Status_WithLeaseThatDoesNotExist_Is409LeaseLost()
    {
        await CreateAsync("lease");
        (await StatusAsync("lease", """{"status":"running","leaseId":"lease_stale"}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
        Assert.Equal("queued", (await Client.GetAsync("/v1/executions/lease")).Str("status"));
    }

    [Theory]
    [InlineData("""{"status":"done"}""")]
    [InlineData("""{"status":"SUCCEEDED"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"status":1}""")]
    public async Task Status_UnknownOrMissingStatus_Is400(string body)
    {
        await CreateAsync("unknown-status");
        (await StatusAsync("unknown-status", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(1, (await Client.GetAsync("/v1/executions/unknown-status")).Long("version"));
    }

    [Fact]
    public async Task Status_UnknownExecution_Is404() =>
        (await StatusAsync("ghost", """{"status":"running"}""")).Problem(HttpStatusCode.NotFound, "not_found");

    [Fact]
    public async Task Cancel_NonTerminal_IsTerminalAndIdempotent()
    {
        await CreateAsync("cancel-me");
        var cancelled = (await Client.PostAsync("/v1/executions/cancel-me/cancel", """{"reason":"user"}""")).Is(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.True(cancelled.Body.GetProperty("cancelRequested").GetBoolean());
        var again = (await Client.PostAsync("/v1/executions/cancel-me/cancel", null)).Is(HttpStatusCode.OK);
        Assert.Equal(cancelled.Long("version"), again.Long("version"));
    }

    [Fact]
    public async Task Cancel_Succeeded_Is409TerminalState()
    {
        await CreateAsync("cancel-late");
        await StatusAsync("cancel-late", """{"status":"succeeded"}""");
        (await Client.PostAsync("/v1/executions/cancel-late/cancel", "{}")).Problem(HttpStatusCode.Conflict, "terminal_state");
    }

    [Fact]
    public async Task Output_Chunks_AppendInOrderAndReturnTheirSeqs()
    {
        await CreateAsync("tokens");
        var first = (await Client.PostAsync("/v1/executions/tokens/output", """{"chunks":["Hel","lo"]}""")).Is(HttpStatusCode.Accepted);
        Assert.Equal(2, first.Long("firstSeq"));
        Assert.Equal(3, first.Long("lastSeq"));
        var second = (await Client.PostAsync("/v1/executions/tokens/output", """{"chunks":[{"p":0.5}]}""")).Is(HttpStatusCode.Accepted);
        Assert.Equal(4, second.Long("firstSeq"));
    }

    [Fact]
    public async Task Output_OnTerminalOrEmptyOrUnknown_IsRejected()
    {
        await CreateAsync("closed");
        (await Client.PostAsync("/v1/executions/closed/output", """{"chunks":[]}""")).Problem(HttpStatusCode.BadRequest, "validation_failed");
        await StatusAsync("closed", """{"status":"failed","error":{"message":"boom"}}""");
        (await Client.PostAsync("/v1/executions/closed/output", """{"chunks":["x"]}""")).Problem(HttpStatusCode.Conflict, "terminal_state");
        (await Client.PostAsync("/v1/executions/none/output", """{"chunks":["x"]}""")).Problem(HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class ExecutionStatusTests(LeveeFactory factory) : ExecutionStatusTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneExecutionStatusTests(StandaloneGatewayFactory factory) : ExecutionStatusTestsBase(factory);
