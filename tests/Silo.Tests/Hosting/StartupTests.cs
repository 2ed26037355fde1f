using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Hosting;

/// <summary>Start-up failures an operator can fix end the process with one line naming what to change.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task SecondSilo_OnTheSameSqliteFile_ExitsWithOneLineNamingTheFile()
    {
        await using var first = await SiloProcess.StartAsync(_dir.Path);

        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains("levee.db is in use by another silo", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task Postgres_NotAnswering_ExitsWithOneLineNamingTheServerAndTheSetting()
    {
        var port = FreePort.Next();
        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Levee:Storage:Provider"] = "postgres",
            ["Levee:Storage:ConnectionString"] = $"Host=127.0.0.1;Port={port};Database=levee;Username=levee;Password=s3cret;Timeout=5",
        });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains($"PostgreSQL 127.0.0.1:{port}/levee cannot be used", line, StringComparison.Ordinal);
        Assert.Contains("Levee:Storage:ConnectionString", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_ConnectionStringThatDoesNotParse_ExitsWithOneLineNamingTheSetting()
    {
        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Levee:Storage:Provider"] = "postgres", ["Levee:Storage:ConnectionString"] = "Data Source=./data/levee.db",
        });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains("Levee:Storage:ConnectionString is not a valid PostgreSQL connection string", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageProvider_Unknown_ExitsWithOneLineNamingTheSetting()
    {
        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path, new Dictionary<string, string> { ["Levee:Storage:Provider"] = "oracle" });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains("Levee:Storage:Provider 'oracle' is not supported; use 'sqlite' or 'postgres'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HouseCeiling_ThatNoRequestCouldHave_ExitsWithOneLineNamingTheSetting()
    {
        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path, new Dictionary<string, string> { ["Levee:Grains:Batch:MaxFailureRate"] = "2" });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains("Levee:Grains:Batch:MaxFailureRate: ceilings.maxFailureRate must be between 0 and 1", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-1.00:00:00")]
    public async Task Retention_ZeroOrNegative_ExitsWithOneLineNamingTheSetting(string retention)
    {
        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path, new Dictionary<string, string> { ["Levee:Grains:Retention"] = retention });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains("Levee:Grains:Retention must be a positive time span", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TelemetryEndpoint_NotAUrl_ExitsWithOneLineNamingTheSetting()
    {
        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path, new Dictionary<string, string> { ["Levee:Telemetry:Otlp:Endpoint"] = "collector:4317" });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains("Levee:Telemetry:Otlp:Endpoint 'collector:4317' is not an absolute http:// or https:// URL", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxExecutions", "0")]
    [InlineData("MaxEventBytes", "-5")]
    public async Task Quota_BelowOne_ExitsWithOneLineNamingTheSetting(string setting, string value)
    {
        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path, new Dictionary<string, string> { [$"Levee:Grains:Quota:{setting}"] = value });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains($"Levee:Grains:Quota:{setting} must be at least 1", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:05:00")]
    public async Task DrainDelay_NegativeOrAboveAMinute_ExitsWithOneLineNamingTheSetting(string delay)
    {
        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path, new Dictionary<string, string> { ["Levee:Gateway:DrainDelay"] = delay });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains("Levee:Gateway:DrainDelay must be from 00:00:00 to 00:01:00", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HouseCeilings_FromConfiguration_ApplyToABatchCreatedWithoutThem()
    {
        await using var silo = await SiloProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Levee:Grains:Batch:DeadlineMs"] = "3600000", ["Levee:Grains:Batch:Budget:Limit"] = "50", ["Levee:Grains:Batch:Budget:Unit"] = "usd",
        });
        using var client = silo.CreateClient();

        var batch = await client.PostJsonAsync("/v1/batches", """{"runCount":2,"task":"t","ceilings":{"deadlineMs":1000}}""");

        var ceilings = batch.GetProperty("ceilings");
        Assert.Equal(1000, ceilings.GetProperty("deadlineMs").GetInt64());
        Assert.Equal((50m, "usd"), (ceilings.GetProperty("budget").GetProperty("limit").GetDecimal(), ceilings.GetProperty("budget").GetProperty("unit").GetString()));
    }

    [Theory]
    [InlineData("SiloPort")]
    [InlineData("GatewayPort")]
    public async Task OrleansPort_InUse_ExitsWithOneLineNamingTheSetting(string setting)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path, new Dictionary<string, string> { [$"Levee:Cluster:{setting}"] = port });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains($"Levee:Cluster:{setting} {port} is already in use", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpAddress_InUse_ExitsWithOneLineNamingUrls()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, output) = await SiloProcess.RunToExitAsync(_dir.Path, new Dictionary<string, string> { ["urls"] = $"http://127.0.0.1:{port}" });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("levee:", StringComparison.Ordinal));
        Assert.Contains("--urls", line, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
