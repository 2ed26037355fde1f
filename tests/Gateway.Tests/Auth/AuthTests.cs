using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Auth;

/// <summary>Run against the co-hosted silo (<see cref="AuthTests"/>) and a standalone gateway (<see cref="StandaloneAuthTests"/>).</summary>
public abstract class AuthTestsBase(ILeveeServer server) : GatewayTest(server)
{
    [Fact]
    public async Task Request_WithoutKey_Is401Unauthorized()
    {
        var reply = (await Client.As(null).GetAsync("/v1/executions/x")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("Bearer", reply.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithUnknownKey_Is401Unauthorized() =>
        (await Client.As("lv_not-a-key").PostAsync("/v1/executions", """{"task":"x"}""")).Problem(HttpStatusCode.Unauthorized, "unauthorized");

    [Fact]
    public async Task Request_WithKeyLackingScope_Is403Forbidden()
    {
        var workerOnly = Client.As(await NewKeyAsync(Tenant, "p", "workers"));
        (await workerOnly.PostAsync("/v1/executions", """{"task":"x"}""")).Problem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task TenantKey_OnAdminEndpoint_Is403Forbidden() =>
        (await Client.GetAsync("/v1/admin/keys")).Problem(HttpStatusCode.Forbidden, "forbidden");

    [Fact]
    public async Task AdminKey_OnTenantEndpoint_Is403Forbidden() =>
        (await Admin.GetAsync("/v1/executions")).Problem(HttpStatusCode.Forbidden, "forbidden");

    [Fact]
    public async Task OtherTenantsExecution_IsNotFoundAndUntouched()
    {
        (await CreateAsync("shared-id")).Is(HttpStatusCode.Created);
        var other = Client.As(await NewKeyAsync("other" + Tenant, "p", "executions"));

        (await other.GetAsync("/v1/executions/shared-id")).Problem(HttpStatusCode.NotFound, "not_found");
        (await other.PostAsync("/v1/executions/shared-id/status", """{"status":"failed"}""")).Problem(HttpStatusCode.NotFound, "not_found");
        (await other.PostAsync("/v1/executions/shared-id/cancel", "{}")).Problem(HttpStatusCode.NotFound, "not_found");
        (await other.GetAsync("/v1/executions/shared-id/events", ("Accept", "application/json"))).Problem(HttpStatusCode.NotFound, "not_found");

        // The same id is free in the other tenant, and the first tenant's execution did not change.
        (await other.PostAsync("/v1/executions", """{"id":"shared-id","task":"other"}""")).Is(HttpStatusCode.Created);
        var mine = (await Client.GetAsync("/v1/executions/shared-id")).Is(HttpStatusCode.OK);
        Assert.Equal("queued", mine.Str("status"));
        Assert.Equal(1, mine.Long("version"));
    }

    [Fact]
    public async Task OtherProjectOfSameTenant_IsNotFound()
    {
        (await CreateAsync("proj-id")).Is(HttpStatusCode.Created);
        var otherProject = Client.As(await NewKeyAsync(Tenant, "other-project", "executions"));
        (await otherProject.GetAsync("/v1/executions/proj-id")).Problem(HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class AuthTests(LeveeFactory factory) : AuthTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneAuthTests(StandaloneGatewayFactory factory) : AuthTestsBase(factory);
