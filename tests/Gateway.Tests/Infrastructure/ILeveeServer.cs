namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>A running REST API the HTTP tests talk to: a co-hosted silo, or a standalone gateway in front of one.</summary>
public interface ILeveeServer
{
    /// <summary>A client of the API (no key set).</summary>
    HttpClient CreateClient();
}
