using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Approvals;

/// <summary>Run against the co-hosted silo (<see cref="ApprovalsApiTests"/>) and a standalone gateway (<see cref="StandaloneApprovalsApiTests"/>).</summary>
public abstract class ApprovalsApiTestsBase(ILeveeServer server) : GatewayTest(server)
{
    private Task<Reply> RequestAsync(string id, string lease, string toolCallId = "c1", string extra = "") =>
        Client.PostAsync($"/v1/executions/{id}/approvals", $$"""{"leaseId":"{{lease}}","toolCallId":"{{toolCallId}}","tool":"refund","input":{"amount":5}{{extra}}}""");

    [Fact]
    public async Task Request_ByLeaseHolder_SuspendsAndRepeatReturnsSameApproval()
    {
        var lease = await CreateAndClaimAsync("ask");
        var created = (await RequestAsync("ask", lease)).Is(HttpStatusCode.Created);
        Assert.Equal("ask:c1", created.Str("token"));
        Assert.Equal("pending", created.Body.GetProperty("approval").GetProperty("status").GetString());
        var again = (await RequestAsync("ask", lease)).Is(HttpStatusCode.OK);
        Assert.Equal(created.Body.GetProperty("approval").GetRawText(), again.Body.GetProperty("approval").GetRawText());

        var view = await Client.GetAsync("/v1/executions/ask");
        Assert.Equal("waiting", view.Str("status"));
        Assert.Equal("c1", view.Body.GetProperty("waitingFor").GetProperty("id").GetString());
        // The lease was released: the worker must stop.
        (await Client.PostAsync("/v1/executions/ask/complete", $$"""{"leaseId":"{{lease}}"}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
    }

    [Fact]
    public async Task Decide_ThenReclaim_CarriesTheDecision()
    {
        var lease = await CreateAndClaimAsync("resume");
        await RequestAsync("resume", lease);
        var decided = (await Client.PostAsync("/v1/hooks/resume:c1", """{"approved":true,"reason":"fine"}""")).Is(HttpStatusCode.OK);
        Assert.False(decided.Body.GetProperty("alreadyDecided").GetBoolean());

        var claim = (await ClaimAsync(QueueOf("resume"), waitMs: 5000)).Body.GetProperty("claims")[0];
        var approval = claim.GetProperty("execution").GetProperty("approvals")[0];
        Assert.Equal("approved", approval.GetProperty("status").GetString());
        Assert.Equal("fine", approval.GetProperty("reason").GetString());
        // Resuming continues the attempt that suspended (under a new lease): approvals are not failures.
        Assert.Equal(1, claim.GetProperty("attempt").GetInt32());
        Assert.NotEqual(lease, claim.GetProperty("leaseId").GetString());
    }

    [Fact]
    public async Task Decide_SameDecisionAgain_IsAlreadyDecided_ConflictingIs409WithRecordedDecision()
    {
        var lease = await CreateAndClaimAsync("twice");
        await RequestAsync("twice", lease);
        (await Client.PostAsync("/v1/executions/twice/approvals/c1", """{"approved":false,"reason":"no"}""")).Is(HttpStatusCode.OK);

        var same = (await Client.PostAsync("/v1/executions/twice/approvals/c1", """{"approved":false}""")).Is(HttpStatusCode.OK);
        Assert.True(same.Body.GetProperty("alreadyDecided").GetBoolean());
        Assert.Equal("no", same.Body.GetProperty("approval").GetProperty("reason").GetString());
        var conflict = (await Client.PostAsync("/v1/hooks/twice:c1", """{"approved":true}""")).Problem(HttpStatusCode.Conflict, "approval_conflict");
        Assert.Equal("denied", conflict.Body.GetProperty("decision").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Decide_OneHundredConcurrentConflictingDecisions_RecordExactlyOne()
    {
        var lease = await CreateAndClaimAsync("race");
        await RequestAsync("race", lease);

        var replies = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Client.PostAsync(i % 2 == 0 ? "/v1/executions/race/approvals/c1" : "/v1/hooks/race:c1", $$"""{"approved":{{(i % 3 == 0 ? "true" : "false")}}}""")));

        var recorded = (await Client.GetAsync("/v1/executions/race")).Body.GetProperty("approvals")[0].GetProperty("status").GetString();
        Assert.Single(replies, r => r.Status == HttpStatusCode.OK && !r.Body.GetProperty("alreadyDecided").GetBoolean());
        foreach (var reply in replies)
        {
            var decision = reply.Status == HttpStatusCode.OK
                ? reply.Body.GetProperty("approval").GetProperty("status").GetString()
                : reply.Problem(HttpStatusCode.Conflict, "approval_conflict").Body.GetProperty("decision").GetProperty("status").GetString();
            Assert.Equal(recorded, decision);
        }
        var events = await Client.GetAsync("/v1/executions/race/events", ("Accept", "application/json"));
        Assert.Single(events.Body.GetProperty("items").EnumerateArray(), e => e.GetProperty("type").GetString() == "approval_decided");
    }

    [Fact]
    public async Task Approval_Timeout_ExpiresAsDeniedAndRequeues()
    {
        var lease = await CreateAndClaimAsync("expire");
        await RequestAsync("expire", lease, extra: ""","timeoutMs":200""");
        var claim = (await ClaimAsync(QueueOf("expire"), waitMs: 20_000)).Body.GetProperty("claims")[0];
        Assert.Equal("expired", claim.GetProperty("execution").GetProperty("approvals")[0].GetProperty("status").GetString());
        (await Client.PostAsync("/v1/hooks/expire:c1", """{"approved":true}""")).Problem(HttpStatusCode.Conflict, "approval_conflict");
    }

    [Fact]
    public async Task Decide_OnTerminalExecution_Is409TerminalState()
    {
        var lease = await CreateAndClaimAsync("gone");
        await RequestAsync("gone", lease);
        (await Client.PostAsync("/v1/executions/gone/cancel", "{}")).Is(HttpStatusCode.OK);
        (await Client.PostAsync("/v1/hooks/gone:c1", """{"approved":true}""")).Problem(HttpStatusCode.Conflict, "terminal_state");
    }

    [Fact]
    public async Task Request_WithoutLiveLease_Is409LeaseLost()
    {
        await CreateAsync("idle");
        (await RequestAsync("idle", "lease_forged")).Problem(HttpStatusCode.Conflict, "lease_lost");
        Assert.Equal("queued", (await Client.GetAsync("/v1/executions/idle")).Str("status"));
    }

    [Theory]
    [InlineData("""{"toolCallId":"c1","tool":"t"}""", "leaseId")]
    [InlineData("""{"leaseId":"l","tool":"t"}""", "toolCallId")]
    [InlineData("""{"leaseId":"l","toolCallId":"a:b","tool":"t"}""", "toolCallId")]
    [InlineData("""{"leaseId":"l","toolCallId":"c1"}""", "tool")]
    [InlineData("""{"leaseId":"l","toolCallId":"c1","tool":"t","timeoutMs":0}""", "timeoutMs")]
    public async Task Request_InvalidBody_Is400(string body, string field)
    {
        await CreateAsync("bad-ask");
        var reply = (await Client.PostAsync("/v1/executions/bad-ask/approvals", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(field, reply.Body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Decide_UnknownToolCallOrToken_Is404()
    {
        var lease = await CreateAndClaimAsync("known");
        await RequestAsync("known", lease);
        (await Client.PostAsync("/v1/executions/known/approvals/other", """{"approved":true}""")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Client.PostAsync("/v1/hooks/no-colon", """{"approved":true}""")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Client.PostAsync("/v1/hooks/nobody:c1", """{"approved":true}""")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Decide_MissingApproved_Is400() =>
        (await Client.PostAsync("/v1/hooks/x:c1", """{"reason":"?"}""")).Problem(HttpStatusCode.BadRequest, "validation_failed");
}

public sealed class ApprovalsApiTests(LeveeFactory factory) : ApprovalsApiTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneApprovalsApiTests(StandaloneGatewayFactory factory) : ApprovalsApiTestsBase(factory);
