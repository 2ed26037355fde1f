using System.Net;
using Levee.Gateway.Hosting;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Hosting;

/// <summary>
/// Over the gateway's head limits and under Kestrel's raised ones, the answer is problem+json
/// (Kestrel's own 414/431 would be empty). Run against the co-hosted silo and a standalone gateway.
/// </summary>
public abstract class RequestHeadLimitTestsBase(ILeveeServer server) : GatewayTest(server)
{
    private const string Probe = "/healthz?pad=";

    [Fact]
    public async Task Target_10KiBQuery_Is414ProblemWithCode()
    {
        var reply = (await Client.GetAsync(Probe + new string('a', 10 * 1024))).Problem(HttpStatusCode.RequestUriTooLong, "uri_too_long");

        Assert.Contains($"at most {RequestHeadLimits.MaxTargetBytes}", reply.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Target_AtTheLimit_IsServed() =>
        (await Client.GetAsync(Probe + new string('a', RequestHeadLimits.MaxTargetBytes - Probe.Length))).Is(HttpStatusCode.OK);

    [Fact]
    public async Task Headers_20KiBHeader_Is431ProblemNamingIt()
    {
        var reply = (await Client.GetAsync("/healthz", ("X-Pad", new string('a', 20 * 1024))))
            .Problem(HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");

        Assert.Equal("X-Pad", reply.Str("field"));
    }

    [Fact]
    public async Task Headers_12KiBHeader_AreServed() =>
        (await Client.GetAsync("/healthz", ("X-Pad", new string('a', 12 * 1024)))).Is(HttpStatusCode.OK);

    [Fact]
    public async Task Headers_OverTheLimitOnAnUnknownRoute_Are431NotA404() =>
        (await Client.GetAsync("/nope", ("X-Pad", new string('a', 20 * 1024)))).Problem(HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");
}

public sealed class RequestHeadLimitTests(LeveeFactory factory) : RequestHeadLimitTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneRequestHeadLimitTests(StandaloneGatewayFactory factory) : RequestHeadLimitTestsBase(factory);
