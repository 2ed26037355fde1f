using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Dashboard;

/// <summary>The page at <c>/</c>: the same sign-in shell for anyone, everything from this origin.</summary>
public sealed class DashboardPageTests(LeveeFactory factory) : GatewayTest(factory)
{
    [Fact]
    public async Task Root_Anonymous_Is200HtmlWithTheSignInForm()
    {
        var page = (await Admin.As(null).GetAsync("/")).Is(HttpStatusCode.OK);

        Assert.Equal("text/html", page.MediaType);
        Assert.Contains("id=\"signin\"", page.Text, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ui/app.js")]
    [InlineData("/ui/app.css")]
    public async Task EveryServedFile_HasNoAbsoluteHttpsUrl(string path)
    {
        var file = (await Admin.As(null).GetAsync(path)).Is(HttpStatusCode.OK);

        Assert.DoesNotContain("https://", file.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", file.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnUnknownAsset_Is404() =>
        (await Admin.As(null).GetAsync("/ui/nope.js")).Is(HttpStatusCode.NotFound);
}
