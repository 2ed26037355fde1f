using Levee.Cluster;
using Levee.Gateway.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Levee.Gateway.Hosting;

/// <summary>
/// <c>Levee.Gateway</c>: the REST API as a storage-free Orleans client of a running cluster
/// (<c>Levee:Cluster:Gateways</c>, default <c>127.0.0.1:30000</c>), on <c>--urls</c> (default
/// <c>http://127.0.0.1:5081</c>). Every key, the admin key included, is checked by the cluster.
/// </summary>
public sealed class GatewayProgram
{
    /// <summary>The default listen address.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5081";

    private GatewayProgram()
    {
    }

    /// <summary>Starts the gateway.</summary>
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        // Defaults in code: this project ships no appsettings.json (see Gateway.csproj).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.WebHost.UseLeveeKestrel(builder.Configuration);
        IReadOnlyList<System.Net.IPEndPoint> gateways;
        var cluster = builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
        try
        {
            gateways = cluster.GatewayEndpoints();
            _ = TelemetrySettings.Endpoint(builder.Configuration);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"levee-gateway: {ex.Message}");
            return 1;
        }
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(gateways.ToArray());
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            client.Services.AddLeveeSerialization();
            if (client.Services.AddLeveeTelemetry(builder.Configuration, "levee-gateway"))
            {
                client.AddActivityPropagation();
            }
        });
        builder.Services.AddLeveeGateway(builder.Configuration);
        var app = builder.Build();
        app.MapLeveeGateway();
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"levee-gateway: invalid configuration: {string.Join("; ", ex.Failures)}");
            return 1;
        }
        catch (IOException ex) when (ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"levee-gateway: the HTTP address is already in use ({ex.Message.TrimEnd('.')}); set --urls to a free address.");
            return 1;
        }
    }
}
