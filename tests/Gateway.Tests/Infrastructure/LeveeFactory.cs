using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>
/// One silo for the whole gateway suite: the real host (<c>Program</c>) on real Kestrel and a
/// real SQLite file. Tests isolate themselves by using a fresh tenant each.
/// </summary>
public class LeveeFactory : WebApplicationFactory<Program>, ILeveeServer
{
    public const string AdminKey = "test-admin-key-0123456789";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "levee-gateway-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The silo's Orleans gateway port (what a standalone gateway connects to).</summary>
    public int GatewayPort { get; } = FreePort.Next();

    public LeveeFactory()
    {
        Directory.CreateDirectory(_directory);
        UseKestrel(0);
    }

    /// <summary>Settings this silo has beyond the suite's (a fixture's own limits).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Levee:Storage:ConnectionString", $"Data Source={Path.Combine(_directory, "levee.db")}");
        // Parallel test assemblies each run a silo: every one on ports of its own.
        builder.UseSetting("Levee:Cluster:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Levee:Cluster:GatewayPort", GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Levee:AdminKey", AdminKey);
        builder.UseSetting("Levee:Gateway:SseKeepAlive", "00:00:00.200");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Orleans", "Error");
        builder.ConfigureLogging(logging => logging.AddProvider(new ServerErrors()));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LeveeCollection : ICollectionFixture<LeveeFactory>
{
    public const string Name = "silo";
}
