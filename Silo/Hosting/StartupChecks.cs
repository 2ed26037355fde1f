using System.Net;
using System.Net.Sockets;
using Levee.Cluster;
using Levee.Silo.Storage;
using Microsoft.Extensions.Configuration;

namespace Levee.Silo.Hosting;

/// <summary>Start-up failures an operator can fix, each reported as one line that names the setting.</summary>
internal static class StartupChecks
{
    /// <summary>The Orleans ports, checked before the silo starts: a taken port is one clear line instead of a stack trace.</summary>
    public static string? PortsInUse(IConfiguration configuration)
    {
        var cluster = configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
        foreach (var (setting, port) in new[] { ("SiloPort", cluster.SiloPort), ("GatewayPort", cluster.GatewayPort) })
        {
            if (!IPAddress.TryParse(cluster.ListenAddress, out var address))
            {
                return null; // a host name: let Orleans resolve and report it
            }
            try
            {
                using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(address, port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return $"levee: {ClusterSettings.Section}:{setting} {port} is already in use on {address}; stop what uses it or set {ClusterSettings.Section}:{setting} to a free port.";
            }
        }
        return null;
    }

    /// <summary>A one-line error for a telemetry endpoint that is not a URL (checked before the host is built), or null.</summary>
    public static string? InvalidTelemetry(IConfiguration configuration)
    {
        try
        {
            _ = Levee.Gateway.Telemetry.TelemetrySettings.Endpoint(configuration);
            return null;
        }
        catch (FormatException ex)
        {
            return $"levee: {ex.Message}";
        }
    }

    /// <summary>A one-line error for a <c>Levee:Storage:Provider</c> that is not one Levee has (checked before the host is built), or null.</summary>
    public static string? InvalidStorage(IConfiguration configuration)
    {
        try
        {
            _ = StorageOptions.ProviderOf(configuration.GetSection("Levee:Storage"));
            return null;
        }
        catch (FormatException ex)
        {
            return $"levee: {ex.Message}";
        }
    }

    /// <summary>A known start-up failure as one line, or null for anything else (which keeps its stack trace).</summary>
    public static string? Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StorageInUseException inUse:
                    return $"levee: {inUse.Message}";
                case StorageUnavailableException unavailable:
                    return $"levee: {unavailable.Message}";
                case Microsoft.Extensions.Options.OptionsValidationException invalid:
                    return $"levee: invalid configuration: {string.Join("; ", invalid.Failures)}";
                case IOException io when io.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                                         || io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase):
                    return $"levee: the HTTP address is already in use ({io.Message.TrimEnd('.')}); set --urls to a free address.";
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } socket:
                    return $"levee: an Orleans port is already in use ({socket.Message}); set {ClusterSettings.Section}:SiloPort and GatewayPort to free ports.";
            }
        }
        return null;
    }
}
