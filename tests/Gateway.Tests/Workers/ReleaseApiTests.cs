using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Workers;

/// <summary><c>POST /v1/executions/{id}/release</c>: a worker shutting down gives its claim back, co-hosted and standalone.</summary>
public abstract class ReleaseApiTestsBase(ILeveeServer server) : GatewayTest(server)
{
    private Task<Reply> ReleaseAsync(string id, string lease) => Client.PostAsync($"/v1/executions/{id}/release", $$"""{"leaseId":"{{lease}}"}""");

    [Fact]
    public async Task Release_LiveLease_Is200QueuedAndTheNextClaimContinuesTheAttempt()
    {
        var lease = await CreateAndClaimAsync("rel", extra: ""","retry":{"maxAttempts":1}""");

        var released = (await ReleaseAsync("rel", lease)).Is(HttpStatusCode.OK);

        Assert.Equal("queued", released.Str("status"));
        Assert.Equal(1, released.Body.GetProperty("attempt").GetInt32());
        var claim = (await ClaimAsync(QueueOf("rel"), "w2", waitMs: 5000)).Is(HttpStatusCode.OK).Body.GetProperty("claims")[0];
        Assert.Equal(1, claim.GetProperty("attempt").GetInt32());
        Assert.NotEqual(lease, claim.GetProperty("leaseId").GetString());
        // The released lease is fenced off from then on.
        (await Client.PostAsync("/v1/executions/rel/heartbeat", $$"""{"leaseId":"{{lease}}"}""")).Problem(HttpStatusCode.Conflict, "lease_lost");
        (await ReleaseAsync("rel", lease)).Problem(HttpStatusCode.Conflict, "lease_lost");
    }

    [Fact]
    public async Task Release_SameLeaseAgain_Is200Unchanged()
    {
        var lease = await CreateAndClaimAsync("twice");
        var first = (await ReleaseAsync("twice", lease)).Is(HttpStatusCode.OK);

        var again = (await ReleaseAsync("twice", lease)).Is(HttpStatusCode.OK);

        Assert.Equal(first.Long("version"), again.Long("version"));
        Assert.Equal("queued", again.Str("status"));
    }

    [Fact]
    public async Task Release_LogsAReleasedEventWithoutTheLease()
    {
        var lease = await CreateAndClaimAsync("logged");
        (await ReleaseAsync("logged", lease)).Is(HttpStatusCode.OK);

        var page = (await Client.GetAsync("/v1/executions/logged/events", ("Accept", "application/json"))).Is(HttpStatusCode.OK);

        var types = page.Body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString() ?? "").ToArray();
        Assert.Equal(["created", "claimed", "released"], types);
        Assert.DoesNotContain(lease, page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_StaleLease_Is409LeaseLostAndChangesNothing()
    {
        var lease = await CreateAndClaimAsync("stale-rel");
        var version = (await Client.GetAsync("/v1/executions/stale-rel")).Long("version");

        (await ReleaseAsync("stale-rel", "lease_nope")).Problem(HttpStatusCode.Conflict, "lease_lost");

        var after = (await Client.GetAsync("/v1/executions/stale-rel")).Is(HttpStatusCode.OK);
        Assert.Equal((version, "running"), (after.Long("version"), after.Str("status")));
        (await Client.PostAsync("/v1/executions/stale-rel/heartbeat", $$"""{"leaseId":"{{lease}}"}""")).Is(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Release_LeaseOfAnEarlierAttempt_Is409LeaseLost()
    {
        var lease = await CreateAndClaimAsync("old-rel", extra: ""","retry":{"maxAttempts":2,"initialDelayMs":0}""");
        (await Client.PostAsync("/v1/executions/old-rel/fail", $$$"""{"leaseId":"{{{lease}}}","error":{"message":"boom"}}""")).Is(HttpStatusCode.OK);
        (await ClaimAsync(QueueOf("old-rel"), "w2", waitMs: 5000)).Is(HttpStatusCode.OK);

        var reply = (await ReleaseAsync("old-rel", lease)).Problem(HttpStatusCode.Conflict, "lease_lost");

        Assert.Equal("running", reply.Str("currentStatus"));
    }

    [Theory]
    [InlineData("{}", "leaseId")]
    [InlineData("""{"leaseId":""}""", "leaseId")]
    public async Task Release_NoLease_Is400NamingLeaseIdAndChangesNothing(string body, string field)
    {
        await CreateAndClaimAsync("bad-rel");
        var version = (await Client.GetAsync("/v1/executions/bad-rel")).Long("version");

        var reply = (await Client.PostAsync("/v1/executions/bad-rel/release", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(field, reply.Str("field"));
        var after = (await Client.GetAsync("/v1/executions/bad-rel")).Is(HttpStatusCode.OK);
        Assert.Equal((version, "running"), (after.Long("version"), after.Str("status")));
    }

    [Theory]
    [InlineData("{\"leaseId\":")]
    [InlineData("{\"leaseId\":\"l\",\"surprise\":1}")]
    [InlineData("{\"leaseId\":7}")]
    public async Task Release_MalformedBody_Is400AndChangesNothing(string body)
    {
        await CreateAndClaimAsync("junk-rel");
        var version = (await Client.GetAsync("/v1/executions/junk-rel")).Long("version");

        (await Client.PostAsync("/v1/executions/junk-rel/release", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(version, (await Client.GetAsync("/v1/executions/junk-rel")).Long("version"));
    }

    [Fact]
    public async Task Release_TerminalExecution_Is409TerminalState()
    {
        var lease = await CreateAndClaimAsync("done-rel");
        (await Client.PostAsync("/v1/executions/done-rel/complete", $$"""{"leaseId":"{{lease}}"}""")).Is(HttpStatusCode.OK);

        var reply = (await ReleaseAsync("done-rel", lease)).Problem(HttpStatusCode.Conflict, "terminal_state");

        Assert.Equal("succeeded", reply.Str("currentStatus"));
    }

    [Fact]
    public async Task Release_UnknownExecution_Is404() =>
        (await ReleaseAsync("nobody", "l")).Problem(HttpStatusCode.NotFound, "not_found");

    [Fact]
    public async Task Release_WithoutTheWorkersScope_Is403()
    {
        var executionsOnly = Client.As(await NewKeyAsync(Tenant, "p", "executions"));
        (await executionsOnly.PostAsync("/v1/executions/any/release", """{"leaseId":"l"}""")).Problem(HttpStatusCode.Forbidden, "forbidden");
    }
}

public sealed class ReleaseApiTests(LeveeFactory factory) : ReleaseApiTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneReleaseApiTests(StandaloneGatewayFactory factory) : ReleaseApiTestsBase(factory);
