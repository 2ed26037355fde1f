using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.OpenApi;

/// <summary>The API reference page at /reference: public like the document, and self-contained (nothing loads from outside).</summary>
public sealed class ApiReferenceTests(LeveeFactory factory) : GatewayTest(factory)
{
    [Fact]
    public async Task Page_IsServedWithoutAKey_AndNamesNoAbsoluteUrl()
    {
        var page = (await Admin.As(null).GetAsync("/reference/")).Is(HttpStatusCode.OK);

        Assert.Equal("text/html", page.MediaType);
        Assert.DoesNotContain("http://", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page.Text, StringComparison.Ordinal);
        Assert.Contains("\"withDefaultFonts\":false", page.Text, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", page.Text, StringComparison.Ordinal);
        Assert.Contains("openapi/v1.json", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ItsScript_IsServedFromTheGateway()
    {
        var script = await Admin.As(null).Http.GetAsync(new Uri("/reference/scalar.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ItIsNotInTheOpenApiDocument()
    {
        var document = (await Admin.As(null).GetAsync("/openapi/v1.json")).Is(HttpStatusCode.OK);

        Assert.DoesNotContain(document.Body.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/reference", StringComparison.Ordinal));
    }
}
