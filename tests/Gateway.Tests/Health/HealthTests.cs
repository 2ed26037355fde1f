using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Health;

/// <summary>Run against the co-hosted silo (<see cref="HealthTests"/>) and a standalone gateway (<see cref="StandaloneHealthTests"/>).</summary>
public abstract class HealthTestsBase(ILeveeServer server) : GatewayTest(server)
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Probe_WithoutKey_Is200(string path) => (await Client.As(null).GetAsync(path)).Is(HttpStatusCode.OK);

    [Fact]
    public async Task OpenApi_Document_ListsTheExecutionEndpoints()
    {
        var reply = (await Client.As(null).GetAsync("/openapi/v1.json")).Is(HttpStatusCode.OK);
        var paths = reply.Body.GetProperty("paths");
        foreach (var path in new[] { "/v1/executions", "/v1/executions/{id}", "/v1/executions/{id}/status", "/v1/events", "/v1/executions/{id}/events", "/v1/admin/keys" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is documented");
        }
    }

    [Fact]
    public async Task OpenApi_CreateExecution_Documents201And200WithTheExecutionSchema()
    {
        var reply = (await Client.As(null).GetAsync("/openapi/v1.json")).Is(HttpStatusCode.OK);
        var responses = reply.Body.GetProperty("paths").GetProperty("/v1/executions").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "201", "200" })
        {
            var schema = responses.GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.Equal("#/components/schemas/ExecutionView", schema.GetProperty("$ref").GetString());
        }
    }
}

public sealed class HealthTests(LeveeFactory factory) : HealthTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneHealthTests(StandaloneGatewayFactory factory) : HealthTestsBase(factory);
