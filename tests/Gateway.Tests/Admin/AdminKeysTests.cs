using System.Net;
using System.Text.Json;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Admin;

/// <summary>Run against the co-hosted silo (<see cref="AdminKeysTests"/>) and a standalone gateway (<see cref="StandaloneAdminKeysTests"/>).</summary>
public abstract class AdminKeysTestsBase(ILeveeServer server) : GatewayTest(server)
{
    [Fact]
    public async Task CreateKey_Valid_Returns201WithSecretOnce()
    {
        var created = (await Admin.PostAsync("/v1/admin/keys", $$"""{"tenant":"{{Tenant}}","project":"p","scopes":["executions"]}""")).Is(HttpStatusCode.Created);
        var id = created.Str("id")!;
        Assert.StartsWith("lv_", created.Str("key"), StringComparison.Ordinal);

        var list = (await Admin.GetAsync("/v1/admin/keys")).Is(HttpStatusCode.OK);
        var listed = list.Body.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.False(listed.TryGetProperty("key", out _), "the secret is never listed");
        Assert.Equal(Tenant, listed.GetProperty("tenant").GetString());
    }

    [Fact]
    public async Task DeleteKey_Existing_StopsWorkingAtOnce()
    {
        var created = (await Admin.PostAsync("/v1/admin/keys", $$"""{"tenant":"{{Tenant}}","project":"p","scopes":["executions"]}""")).Is(HttpStatusCode.Created);
        var key = Client.As(created.Str("key"));
        (await key.GetAsync("/v1/executions")).Is(HttpStatusCode.OK);

        (await Admin.DeleteAsync($"/v1/admin/keys/{created.Str("id")}")).Is(HttpStatusCode.NoContent);

        (await key.GetAsync("/v1/executions")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        (await Admin.DeleteAsync($"/v1/admin/keys/{created.Str("id")}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("""{"tenant":"has space","project":"p"}""", "tenant")]
    [InlineData("""{"tenant":"a/b","project":"p"}""", "tenant")]
    [InlineData("""{"tenant":"ok","project":""}""", "project")]
    [InlineData("""{"tenant":"ok","project":"p","scopes":["root"]}""", "scopes")]
    [InlineData("""{"tenant":"ok","project":"p","scopes":[]}""", "scopes")]
    [InlineData("""{"tenant":"ok","project":"p","scopes":["admin"]}""", "scopes")]
    public async Task CreateKey_Invalid_Is400NamingTheField(string body, string field)
    {
        var reply = (await Admin.PostAsync("/v1/admin/keys", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(field, reply.Body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task CreateKey_MalformedJson_Is400() =>
        (await Admin.PostAsync("/v1/admin/keys", "{\"tenant\":")).Problem(HttpStatusCode.BadRequest, "validation_failed");

    [Fact]
    public async Task ListKeys_DefaultScopes_AreTheTenantScopes()
    {
        var created = (await Admin.PostAsync("/v1/admin/keys", $$"""{"tenant":"{{Tenant}}","project":"p"}""")).Is(HttpStatusCode.Created);
        Assert.Equal(["executions", "workers", "batches"], created.Body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!));
        Assert.Equal(JsonValueKind.String, created.Body.GetProperty("createdAt").ValueKind);
    }
}

public sealed class AdminKeysTests(LeveeFactory factory) : AdminKeysTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneAdminKeysTests(StandaloneGatewayFactory factory) : AdminKeysTestsBase(factory);
