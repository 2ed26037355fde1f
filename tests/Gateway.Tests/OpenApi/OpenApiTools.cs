using System.Diagnostics;
using System.Text;

namespace Levee.Gateway.Tests.OpenApi;

/// <summary>The npm package in <c>tests/openapi</c>: @redocly/cli, openapi-typescript and TypeScript, pinned in its lock file.</summary>
public static class OpenApiTools
{
    /// <summary><c>tests/openapi</c> of the repository these tests were built from.</summary>
    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "tests", "openapi");

    /// <summary>True once <c>npm ci</c> has run there.</summary>
    public static bool Installed => System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@redocly", "cli"));

    /// <summary>True under CI (<c>CI=true</c>), where a check that cannot run must fail.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs <c>npm run --silent &lt;script&gt;</c> there; its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunScriptAsync(string script, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("npm", ["run", "--silent", script])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Node's colour codes would only clutter an assertion message.
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"npm run {script} did not finish within {timeout}.\n{output}");
        }
        process.WaitForExit(); // drains the redirected streams
        return (process.ExitCode, output.ToString());
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
