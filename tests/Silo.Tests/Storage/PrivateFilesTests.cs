using System.Runtime.Versioning;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Storage;

/// <summary>The data folder is 0700 and every file in it 0600, on a real silo's real files (the umask here allows 0755/0644).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests : IDisposable
{
    private static readonly string[] Files = ["admin.key", "dev-tenant.key", "levee.db", "levee.db-shm", "levee.db-wal", "levee.db.lock"];
    private readonly TempDirectory _dir = new();

    private string Data => _dir.File("data");

    [UnixFact]
    public async Task FirstStart_AfterWrites_DataFolderIs0700AndEveryFileInIt0600()
    {
        await using var silo = await SiloProcess.StartAsync(_dir.Path);
        using var client = silo.CreateClient();
        await client.PostJsonAsync("/v1/executions", """{"id":"private-1","task":"t"}""");

        // While the silo runs, so the WAL and its shared-memory index exist.
        Assert.Equal(Expected("700", "600"), Modes());
    }

    [UnixFact]
    public async Task Start_OnFilesAnOlderSiloLeftOpen_RestrictsEachWithOneWarningOnce()
    {
        await (await SiloProcess.StartAsync(_dir.Path)).DisposeAsync(); // killed: the WAL and shared memory stay
        File.SetUnixFileMode(Data, Mode("755"));
        foreach (var file in Directory.EnumerateFiles(Data))
        {
            File.SetUnixFileMode(file, Mode("644"));
        }

        await using (var silo = await SiloProcess.StartAsync(_dir.Path))
        {
            await silo.KillAsync();
            Assert.Equal(Expected("700", "600"), Modes());
            foreach (var path in Files.Select(name => Path.Combine(Data, name)).Prepend(Data))
            {
                Assert.Single(silo.StandardOutput, line => line.Contains($"{path} was open to other users (mode ", StringComparison.Ordinal));
            }
        }

        await using var again = await SiloProcess.StartAsync(_dir.Path);
        await again.KillAsync();
        Assert.DoesNotContain(again.StandardOutput, line => line.Contains("was open to other users", StringComparison.Ordinal));
    }

    [UnixFact]
    public async Task Start_InAnOpenFolderHoldingOtherFiles_LeavesTheFolderWithAWarningAndRestrictsItsOwnFiles()
    {
        Directory.CreateDirectory(Data);
        File.SetUnixFileMode(Data, Mode("755"));
        await File.WriteAllTextAsync(Path.Combine(Data, "notes.txt"), "not the silo's");

        await using var silo = await SiloProcess.StartAsync(_dir.Path);
        await silo.KillAsync();

        var modes = Modes();
        Assert.Equal("755", modes["data/"]);
        Assert.Equal(Files.Select(name => (name, "600")), Files.Select(name => (name, modes[name])));
        Assert.Single(silo.StandardOutput, line => line.Contains($"The data folder {Data} is open to other users (mode 0755)", StringComparison.Ordinal));
    }

    /// <summary>The data folder's mode under "data/" and each file's under its name, in octal.</summary>
    private SortedDictionary<string, string> Modes()
    {
        var modes = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["data/"] = Octal(Data) };
        foreach (var file in Directory.EnumerateFiles(Data))
        {
            modes[Path.GetFileName(file)] = Octal(file);
        }
        return modes;
    }

    private static SortedDictionary<string, string> Expected(string folder, string file)
    {
        var modes = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["data/"] = folder };
        foreach (var name in Files)
        {
            modes[name] = file;
        }
        return modes;
    }

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    private static string Octal(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);

    public void Dispose() => _dir.Dispose();
}
