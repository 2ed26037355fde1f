using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;

namespace Levee.Silo.Tests.Infrastructure;

/// <summary>
/// A real silo in a child process on a real SQLite file, reachable over HTTP, that a test can
/// kill with SIGKILL and start again on the same data. Every start takes free ports, HTTP and
/// Orleans alike, so parallel test assemblies never collide.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<(bool IsError, string Text)> _lines = [];

    private SiloProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The silo's Orleans gateway port (what Orleans clients connect to).</summary>
    public int GatewayPort { get; private init; }
    public string TenantKey { get; private set; } = "";
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Starts a silo whose data lives in <paramref name="dataDirectory"/> and waits until it answers.</summary>
    /// <remarks>
    /// A port the OS called free can be taken before the silo binds it — often as the local port
    /// of some other test's outgoing connection, which comes from the same range. The silo then
    /// exits at once saying so (the Orleans ports are checked before the data is opened); the start
    /// is tried again on new ports.
    /// </remarks>
    public static async Task<SiloProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var silo = Launch(dataDirectory, settings);
            try
            {
                await silo.WaitUntilReadyAsync();
            }
            catch (InvalidOperationException) when (attempt < 3 && silo.HasExited && silo.Output.Contains("is already in use on ", StringComparison.Ordinal))
            {
                await silo.DisposeAsync();
                continue;
            }
            silo.TenantKey = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "data", "dev-tenant.key"))).Trim();
            return silo;
        }
    }

    /// <summary>Starts a silo expected to fail at start-up; returns its exit code and output once it exited.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        await using var silo = Launch(dataDirectory, settings);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo._process.WaitForExitAsync(timeout.Token);
        silo._process.WaitForExit(); // drains the redirected output
        return (silo._process.ExitCode, silo.Output);
    }

    private static SiloProcess Launch(string dataDirectory, IReadOnlyDictionary<string, string>? settings)
    {
        var url = new Uri(settings is not null && settings.TryGetValue("urls", out var urls) ? urls : $"http://127.0.0.1:{FreePort.Next()}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Levee.Silo.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url.ToString().TrimEnd('/'));
        info.Environment["Levee__Storage__ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "data", "levee.db")}";
        info.Environment["Levee__Cluster__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var gatewayPort = FreePort.Next();
        info.Environment["Levee__Cluster__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Orleans"] = "Error";
        foreach (var (key, value) in (settings ?? new Dictionary<string, string>()).Where(s => s.Key != "urls"))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var silo = new SiloProcess(Process.Start(info)!, url) { GatewayPort = gatewayPort };
        silo._process.OutputDataReceived += (_, e) => silo.Capture(e.Data, isError: false);
        silo._process.ErrorDataReceived += (_, e) => silo.Capture(e.Data, isError: true);
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>An HTTP client for the silo with <paramref name="key"/> (default: the tenant key).</summary>
    public HttpClient CreateClient(string? key = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? TenantKey);
        return client;
    }

    /// <summary>The silo's resident memory (Linux <c>VmRSS</c>), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush; whatever was not durable is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.WaitForExit(); // drains the redirected output, so the lines below are complete
    }

    /// <summary>SIGTERM, as an orchestrator stops a process: the graceful drain and shutdown run.</summary>
    public void Terminate()
    {
        if (kill(Pid, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill({Pid}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to exit by itself; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    private const int Sigterm = 15;

    [DllImport("libc", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054 // libc's kill(2): a test helper, Linux only like the rest of these tests
    private static extern int kill(int pid, int signal);
#pragma warning restore CA5392, SYSLIB1054

    /// <summary>The last lines of stdout and stderr together, for failure messages.</summary>
    public string Output => string.Join('\n', Lines(_ => true).TakeLast(50));

    /// <summary>Every line the silo wrote to stdout (all of them once it was killed).</summary>
    public IReadOnlyList<string> StandardOutput => Lines(isError => !isError);

    /// <summary>Every line the silo wrote to stderr (all of them once it was killed).</summary>
    public IReadOnlyList<string> StandardError => Lines(isError => isError);

    private List<string> Lines(Func<bool, bool> stream)
    {
        lock (_lines)
        {
            return _lines.Where(l => stream(l.IsError)).Select(l => l.Text).ToList();
        }
    }

    private void Capture(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add((isError, line));
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var probe = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await probe.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow start on a busy machine.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The silo did not become ready:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
