using System.Net;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Hosting;

/// <summary>The development keys are printed to stdout on the start that creates them, never logged, and the admin key rotates as the README says.</summary>
public sealed class DevelopmentKeysTests : IDisposable
{
    /// <summary>Every log entry is one JSON line, so a line that is not JSON was written to the console, not through a logger.</summary>
    private static readonly Dictionary<string, string> JsonLogsAtTrace = new()
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace", // requests, where a bearer key would show
        ["Logging:Console:FormatterName"] = "json",
    };

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Keys_OverTwoStarts_PrintedOnStdoutOnlyAtTheFirstAndNeverLogged()
    {
        var first = await StartUseAndStopAsync();
        var (admin, tenant) = (ReadKey("admin.key"), ReadKey("dev-tenant.key"));
        var second = await StartUseAndStopAsync();

        Assert.Equal($"  admin key:  {admin}", Assert.Single(first.StandardOutput, line => line.Contains(admin, StringComparison.Ordinal)));
        Assert.StartsWith($"  tenant key: {tenant} ", Assert.Single(first.StandardOutput, line => line.Contains(tenant, StringComparison.Ordinal)),
            StringComparison.Ordinal);
        Assert.DoesNotContain(first.StandardError, line => line.Contains(admin, StringComparison.Ordinal) || line.Contains(tenant, StringComparison.Ordinal));
        Assert.DoesNotContain(second.StandardOutput.Concat(second.StandardError),
            line => line.Contains(admin, StringComparison.Ordinal) || line.Contains(tenant, StringComparison.Ordinal));
        // The logs were there to leak into: the later start logs where the key is kept.
        Assert.Contains(second.StandardOutput, line => IsLogEntry(line) && line.Contains("The development admin key is kept in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminKeyFile_DeletedBeforeARestart_ANewKeyIsPrintedAndTheOldOneIsRefused()
    {
        await StartUseAndStopAsync();
        var (old, tenant) = (ReadKey("admin.key"), ReadKey("dev-tenant.key"));
        File.Delete(Path.Combine(_dir.Path, "data", "admin.key"));

        await using var silo = await SiloProcess.StartAsync(_dir.Path, JsonLogsAtTrace);
        var rotated = ReadKey("admin.key");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(silo, old, "/v1/admin/keys"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(silo, rotated, "/v1/admin/keys"));
        await silo.KillAsync();

        Assert.NotEqual(old, rotated);
        Assert.Equal($"  admin key:  {rotated}", Assert.Single(silo.StandardOutput, line => line.Contains(rotated, StringComparison.Ordinal)));
        Assert.DoesNotContain(silo.StandardOutput, line => line.Contains(tenant, StringComparison.Ordinal));
    }

    /// <summary>Starts a silo on the data folder, calls it with the admin key and the tenant key, and kills it.</summary>
    private async Task<SiloProcess> StartUseAndStopAsync()
    {
        var silo = await SiloProcess.StartAsync(_dir.Path, JsonLogsAtTrace);
        await using (silo)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(silo, silo.TenantKey, "/v1/executions"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(silo, ReadKey("admin.key"), "/v1/admin/keys"));
        }
        return silo; // killed: its output is complete
    }

    private static async Task<HttpStatusCode> StatusAsync(SiloProcess silo, string key, string path)
    {
        using var client = silo.CreateClient(key);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private string ReadKey(string file) => File.ReadAllText(Path.Combine(_dir.Path, "data", file)).Trim();

    private static bool IsLogEntry(string line) => line.StartsWith('{');

    public void Dispose() => _dir.Dispose();
}
