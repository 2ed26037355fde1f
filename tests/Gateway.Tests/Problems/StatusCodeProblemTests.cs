using System.Net;
using Levee.Gateway.Problems;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Problems;

/// <summary>Run against the co-hosted silo (<see cref="StatusCodeProblemTests"/>) and a standalone gateway (<see cref="StandaloneStatusCodeProblemTests"/>).</summary>
public abstract class StatusCodeProblemTestsBase(ILeveeServer server) : GatewayTest(server)
{
    [Theory]
    [InlineData("/nope")]
    [InlineData("/v1/executions/x/nope")]
    public async Task UnknownRoute_Get_Is404ProblemWithCode(string path)
    {
        var reply = (await Client.GetAsync(path)).Problem(HttpStatusCode.NotFound, "not_found");

        Assert.Contains(path, reply.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_WithoutKey_Is404ProblemWithCode() =>
        (await Client.As(null).GetAsync("/v2/executions")).Problem(HttpStatusCode.NotFound, "not_found");

    [Fact]
    public async Task KnownRoute_WrongMethod_Is405ProblemWithCodeAndAllow()
    {
        var reply = (await Client.DeleteAsync("/v1/executions/x/result")).Problem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");

        Assert.Equal(["GET"], reply.ContentHeaders.Allow);
        Assert.Equal("https://levee.dev/problems/method-not-allowed", reply.Str("type"));
    }

    [Fact]
    public async Task EndpointProblem_KeepsItsOwnCodeAndDetail()
    {
        var missing = (await Client.GetAsync("/v1/executions/never-created")).Problem(HttpStatusCode.NotFound, "not_found");
        var invalid = (await Client.GetAsync("/v1/executions?limit=abc")).Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Contains("never-created", missing.Str("detail"), StringComparison.Ordinal);
        Assert.DoesNotContain("No endpoint", missing.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("limit", invalid.Str("field"));
    }
}

public sealed class StatusCodeProblemTests(LeveeFactory factory) : StatusCodeProblemTestsBase(factory)
{
    [Theory]
    [InlineData(400, "bad_request")]
    [InlineData(404, "not_found")]
    [InlineData(405, "method_not_allowed")]
    [InlineData(414, "uri_too_long")]
    [InlineData(431, "headers_too_large")]
    [InlineData(503, "unavailable")]
    [InlineData(409, null)]
    [InlineData(418, null)]
    public void CodeOfStatus_EmptyResponse_IsTheStatussOneCode(int status, string? code) => Assert.Equal(code, ProblemCatalog.CodeOfStatus(status));
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneStatusCodeProblemTests(StandaloneGatewayFactory factory) : StatusCodeProblemTestsBase(factory);
