using System.Globalization;
using System.Net;

namespace Levee.Cluster;

/// <summary>
/// <c>Levee:Cluster</c>: how silos, gateways and clients find each other. Silos, standalone
/// gateways and users' Orleans clients of one cluster share <see cref="ClusterId"/> and
/// <see cref="ServiceId"/>.
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Levee:Cluster";

    /// <summary>Silo-to-silo port (default 11111).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients (standalone gateways, in-cluster services) connect to (default 30000).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address the silo listens on (default 127.0.0.1: the Orleans ports carry no tenant auth).</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Address the silo tells others to reach it at (default 127.0.0.1).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Orleans cluster id (default <c>levee</c>).</summary>
    public string ClusterId { get; set; } = "levee";

    /// <summary>Orleans service id (default <c>levee</c>); stays the same across deployments of one service.</summary>
    public string ServiceId { get; set; } = "levee";

    /// <summary>A standalone gateway's or client's silos: <c>host:port[,host:port]</c> (default <c>127.0.0.1:30000</c>).</summary>
    public string Gateways { get; set; } = "127.0.0.1:30000";

    /// <summary>Parses <see cref="Gateways"/>; a malformed entry is a <see cref="FormatException"/> naming the setting.</summary>
    public IReadOnlyList<IPEndPoint> GatewayEndpoints()
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var entry in Gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new FormatException($"{Section}:Gateways: '{entry}' is not host:port.");
            }
            var host = entry[..colon].Trim('[', ']');
            var address = IPAddress.TryParse(host, out var ip) ? ip
                : Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new FormatException($"{Section}:Gateways: '{host}' does not resolve.");
            endpoints.Add(new IPEndPoint(address, port));
        }
        return endpoints.Count > 0 ? endpoints : throw new FormatException($"{Section}:Gateways is empty.");
    }
}
