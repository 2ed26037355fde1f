using System.Net;
using System.Reflection;
using System.Text.Json;
using Levee.Errors;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.OpenApi;

/// <summary>
/// The served OpenAPI document is complete: every operation named, summarized, its body and its
/// problems declared. Run against the co-hosted silo (<see cref="OpenApiDocumentTests"/>) and a
/// standalone gateway (<see cref="StandaloneOpenApiDocumentTests"/>).
/// </summary>
public abstract class OpenApiDocumentTestsBase(ILeveeServer server) : GatewayTest(server)
{
    /// <summary>The operations the gateway answers without a key.</summary>
    private static readonly string[] Anonymous = ["GET /healthz", "GET /readyz", "GET /openapi/v1.json", "POST /v1/admin/session", "DELETE /v1/admin/session"];

    private async Task<JsonElement> DocumentAsync() => (await Client.As(null).GetAsync("/openapi/v1.json")).Is(HttpStatusCode.OK).Body;

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where method.Name is "get" or "post" or "put" or "patch" or "delete"
        select ($"{method.Name.ToUpperInvariant()} {path.Name}", method.Value);

    [Fact]
    public async Task Document_EveryOperation_HasAUniqueOperationIdAndASummary()
    {
        var operations = Operations(await DocumentAsync()).ToList();

        Assert.True(operations.Count >= 30, $"only {operations.Count} operations");
        foreach (var (name, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("operationId", out var id) && id.GetString() is { Length: > 0 }, $"{name} has an operationId");
            Assert.True(operation.TryGetProperty("summary", out var summary) && summary.GetString() is { Length: > 0 }, $"{name} has a summary");
        }
        var ids = operations.Select(o => o.Operation.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Document_EveryPost_DeclaresItsRequestBody()
    {
        foreach (var (name, operation) in Operations(await DocumentAsync()).Where(o => o.Name.StartsWith("POST ", StringComparison.Ordinal)))
        {
            Assert.True(operation.TryGetProperty("requestBody", out var body), $"{name} declares a request body");
            var content = body.GetProperty("content").EnumerateObject().Single();
            Assert.True(content.Value.TryGetProperty("schema", out _), $"{name}'s {content.Name} body has a schema");
        }
    }

    [Fact]
    public async Task Document_EveryKeyedOperation_Documents401And403_AndTheAnonymousOnesNeedNoKey()
    {
        var document = await DocumentAsync();

        Assert.Equal(JsonValueKind.Array, document.GetProperty("security").ValueKind);
        Assert.True(document.GetProperty("security")[0].TryGetProperty("bearer", out _), "the bearer scheme is required globally");
        foreach (var (name, operation) in Operations(document))
        {
            var responses = operation.GetProperty("responses");
            if (Anonymous.Contains(name))
            {
                Assert.Equal(0, operation.GetProperty("security").GetArrayLength());
                continue;
            }
            Assert.False(operation.TryGetProperty("security", out _), $"{name} keeps the global bearer requirement");
            foreach (var status in new[] { "401", "403" })
            {
                Assert.True(responses.TryGetProperty(status, out _), $"{name} documents {status}");
            }
        }
        Assert.All(Anonymous, name => Assert.Contains(name, Operations(document).Select(o => o.Name)));
    }

    [Fact]
    public async Task Document_SecuritySchemes_HaveTheBearerApiKey()
    {
        var scheme = (await DocumentAsync()).GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");

        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task Document_ProblemCodeEnum_HoldsEveryErrorCode()
    {
        var code = (await DocumentAsync()).GetProperty("components").GetProperty("schemas").GetProperty("Problem")
            .GetProperty("properties").GetProperty("code");
        var documented = code.GetProperty("enum").EnumerateArray().Select(c => c.GetString()).ToHashSet(StringComparer.Ordinal);
        var defined = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.True(defined.Count >= 20, $"only {defined.Count} codes found by reflection");
        Assert.All(defined, c => Assert.Contains(c, documented));
    }

    [Fact]
    public async Task Document_EveryErrorResponse_IsAProblemWithItsCodes()
    {
        foreach (var (name, operation) in Operations(await DocumentAsync()))
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] == '4'))
            {
                var media = response.Value.GetProperty("content").GetProperty("application/problem+json");
                Assert.Equal("#/components/schemas/Problem", media.GetProperty("schema").GetProperty("$ref").GetString());
                Assert.Contains("`", response.Value.GetProperty("description").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Document_IntegerQueryParameters_AreIntegersWithTheirBounds()
    {
        var operations = Operations(await DocumentAsync()).ToList();
        var numeric = (from o in operations
                       from p in o.Operation.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray() : Enumerable.Empty<JsonElement>()
                       where p.GetProperty("in").GetString() == "query" && p.GetProperty("name").GetString() is "limit" or "from" or "waitMs"
                       select (o.Name, Parameter: p.GetProperty("name").GetString()!, Schema: p.GetProperty("schema"))).ToList();

        Assert.True(numeric.Count >= 6, $"only {numeric.Count} limit/from/waitMs parameters");
        Assert.All(numeric, n => Assert.Equal("integer", n.Schema.GetProperty("type").GetString()));
        var limit = numeric.Single(n => n.Name == "GET /v1/executions" && n.Parameter == "limit").Schema;
        Assert.Equal((1, 500), (limit.GetProperty("minimum").GetInt32(), limit.GetProperty("maximum").GetInt32()));
        var wait = numeric.Single(n => n.Name == "GET /v1/executions/{id}/result").Schema;
        Assert.Equal(0, wait.GetProperty("minimum").GetInt32());
    }

    [Fact]
    public async Task Document_StreamsAndNdjson_DeclareTheirMediaTypes()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        foreach (var path in new[] { "/v1/executions/{id}/events", "/v1/batches/{id}/events" })
        {
            var content = paths.GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
            Assert.True(content.TryGetProperty("text/event-stream", out _), $"{path} documents SSE");
            Assert.True(content.TryGetProperty("application/json", out _), $"{path} documents its JSON page");
        }
        var items = paths.GetProperty("/v1/batches/{id}/items").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal("#/components/schemas/BatchItemLine", items.GetProperty("application/x-ndjson").GetProperty("schema").GetProperty("$ref").GetString());
    }
}

public sealed class OpenApiDocumentTests(LeveeFactory factory) : OpenApiDocumentTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneOpenApiDocumentTests(StandaloneGatewayFactory factory) : OpenApiDocumentTestsBase(factory);
