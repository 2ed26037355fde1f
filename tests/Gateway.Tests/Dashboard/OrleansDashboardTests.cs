using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Dashboard;

/// <summary>The Orleans Dashboard at /dashboard: the admin key's only — 401 or 403 for anyone else, never a redirect.</summary>
[Collection(OrleansDashboardCollection.Name)]
public sealed class OrleansDashboardTests(OrleansDashboardFactory factory) : GatewayTest(factory)
{
    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/index.min.js")]
    public async Task Anonymous_Is401ProblemJson_NeverARedirect(string path)
    {
        var reply = (await Admin.As(null).GetAsync(path)).Problem(HttpStatusCode.Unauthorized, "unauthorized");

        Assert.Null(reply.Headers.Location);
        Assert.DoesNotContain("<html", reply.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ATenantKey_Is403()
    {
        var reply = (await Client.GetAsync("/dashboard/")).Problem(HttpStatusCode.Forbidden, "forbidden");

        Assert.DoesNotContain("<html", reply.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheAdminKey_GetsThePageAndItsScript()
    {
        var page = (await Admin.GetAsync("/dashboard/")).Is(HttpStatusCode.OK);
        Assert.Equal("text/html", page.MediaType);
        (await Admin.GetAsync("/dashboard/index.min.js")).Is(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ItIsNotInTheOpenApiDocument()
    {
        var document = (await Admin.As(null).GetAsync("/openapi/v1.json")).Is(HttpStatusCode.OK);

        Assert.DoesNotContain(document.Body.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/dashboard", StringComparison.Ordinal));
    }
}

/// <summary>Off (the default), there is no /dashboard at all.</summary>
public sealed class OrleansDashboardOffTests(LeveeFactory factory) : GatewayTest(factory)
{
    [Fact]
    public async Task Off_DashboardIs404() =>
        (await Admin.GetAsync("/dashboard/")).Problem(HttpStatusCode.NotFound, "not_found");
}
