using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.RateLimits;

/// <summary>The suite's silo sets no <c>Levee:Gateway:RateLimit</c>: nothing is limited.</summary>
public sealed class RateLimitDefaultsTests(LeveeFactory factory) : GatewayTest(factory)
{
    [Fact]
    public async Task Requests_ManyQuickOnesByOneKey_AreNeverLimited()
    {
        for (var i = 0; i < 50; i++)
        {
            (await Client.GetAsync("/v1/executions?limit=1")).Is(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task LongPolls_SeveralAtOnceByOneKey_AreNeverLimited()
    {
        var polls = Enumerable.Range(0, 3).Select(_ => Client.PostAsync("/v1/queues/idle/claim", """{"workerId":"w","waitMs":200}"""));

        foreach (var reply in await Task.WhenAll(polls))
        {
            reply.Is(HttpStatusCode.OK);
        }
    }
}
