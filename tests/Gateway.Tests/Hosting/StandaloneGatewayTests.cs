using System.Net;
using Levee.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Levee.Gateway.Tests.Hosting;

/// <summary>The standalone gateway is an Orleans client with no storage and no key of its own.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class StandaloneGatewayTests(StandaloneGatewayFactory factory)
{
    [Fact]
    public void Gateway_IsAnOrleansClientNotASilo()
    {
        Assert.NotNull(factory.GatewayServices.GetService<IClusterClient>());
        Assert.Null(factory.GatewayServices.GetService<Orleans.Runtime.ILocalSiloDetails>());
        var registered = factory.GatewayServices.GetRequiredService<IServiceProviderIsService>();
        Assert.False(registered.IsService(typeof(Levee.Grains.Storage.ICommitStore)));
        Assert.False(registered.IsService(typeof(Levee.Grains.Storage.IApiKeyStore)));
    }

    [Fact]
    public async Task Readyz_WithTheClusterReachable_Is200()
    {
        using var http = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
    }
}
