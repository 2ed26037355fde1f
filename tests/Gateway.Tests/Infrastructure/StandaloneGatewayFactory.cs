using Levee.Gateway.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>
/// A standalone <c>Levee.Gateway</c> (an Orleans client, storage-free) in front of its own silo:
/// the same HTTP tests run through it. The gateway has no key of its own; the admin key is the
/// silo's.
/// </summary>
public sealed class StandaloneGatewayFactory : ILeveeServer, IDisposable
{
    private readonly LeveeFactory _silo = new();
    private readonly GatewayHost _gateway;

    public StandaloneGatewayFactory()
    {
        // Start the silo first: the gateway's Orleans client connects to it when it starts.
        _silo.CreateClient().Dispose();
        _gateway = new GatewayHost(_silo.GatewayPort);
    }

    public HttpClient CreateClient() => _gateway.CreateClient();

    /// <summary>The gateway process's services.</summary>
    public IServiceProvider GatewayServices => _gateway.Services;

    public void Dispose()
    {
        _gateway.Dispose();
        _silo.Dispose();
    }

    private sealed class GatewayHost : WebApplicationFactory<GatewayProgram>
    {
        private readonly int _siloGatewayPort;

        public GatewayHost(int siloGatewayPort)
        {
            _siloGatewayPort = siloGatewayPort;
            UseKestrel(0);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Levee:Cluster:Gateways", $"127.0.0.1:{_siloGatewayPort}");
            builder.UseSetting("Levee:Gateway:SseKeepAlive", "00:00:00.200");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Orleans", "Error");
            builder.ConfigureLogging(logging => logging.AddProvider(new ServerErrors()));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StandaloneCollection : ICollectionFixture<StandaloneGatewayFactory>
{
    public const string Name = "standalone gateway";
}
