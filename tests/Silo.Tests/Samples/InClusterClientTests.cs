using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Samples;

/// <summary>samples/InClusterClient against a running silo: an Orleans client's view of an execution is the REST resource.</summary>
public sealed class InClusterClientTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Sample_AgainstARunningSilo_PrintsExactlyTheRestResourceAndExitsZero()
    {
        await using var silo = await SiloProcess.StartAsync(_dir.Path);

        var (exitCode, stdout, stderr) = await RunSampleAsync("--gateway", $"127.0.0.1:{silo.GatewayPort.ToString(CultureInfo.InvariantCulture)}",
            "--tenant", "acme", "--project", "prod");

        Assert.True(exitCode == 0, stderr);
        var last = stdout.TrimEnd('\n').Split('\n')[^1];
        var id = JsonDocument.Parse(last).RootElement.GetProperty("id").GetString()!;
        Assert.StartsWith("exe_", id, StringComparison.Ordinal);
        Assert.Contains("running", stderr, StringComparison.Ordinal);
        Assert.Contains("succeeded", stderr, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = silo.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AcmeKeyAsync(http));
        var rest = await http.GetStringAsync(new Uri($"/v1/executions/{id}", UriKind.Relative));
        Assert.Equal(rest, last);
        Assert.Equal("succeeded", JsonDocument.Parse(rest).RootElement.GetProperty("status").GetString());
        // It followed the log live through EventFollower, from the first event to the terminal one.
        var lastSeq = JsonDocument.Parse(rest).RootElement.GetProperty("lastEventSeq").GetInt64();
        Assert.Contains("event 1 created", stderr, StringComparison.Ordinal);
        Assert.Contains($"event {lastSeq.ToString(CultureInfo.InvariantCulture)} succeeded", stderr, StringComparison.Ordinal);
        Assert.Contains($"its log ends at event {lastSeq.ToString(CultureInfo.InvariantCulture)}", stderr, StringComparison.Ordinal);
    }

    private async Task<string> AcmeKeyAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/admin/keys", UriKind.Relative))
        {
            Content = new StringContent("""{"tenant":"acme","project":"prod","scopes":["executions"]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(_dir.File("data/admin.key"))).Trim());
        using var response = await http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunSampleAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(SampleDll());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The sample as its own build left it: samples/InClusterClient/bin/{this test's configuration}/net10.0.</summary>
    private static string SampleDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Orleans.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        return Path.Combine(root.FullName, "samples", "InClusterClient", "bin", configuration, output.Name, "InClusterClient.dll");
    }

    public void Dispose() => _dir.Dispose();
}
