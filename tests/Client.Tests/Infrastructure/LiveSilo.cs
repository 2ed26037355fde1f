using Levee.Silo.Tests.Infrastructure;

namespace Levee.Client.Tests.Infrastructure;

/// <summary>One real silo (child process, real SQLite file) shared by a collection; each test makes its own tenant.</summary>
public sealed class LiveSilo : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public SiloProcess Silo { get; private set; } = null!;

    public Uri Url => Silo.Url;

    public string AdminKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Silo = await SiloProcess.StartAsync(_data.Path);
        AdminKey = (await File.ReadAllTextAsync(Path.Combine(_data.Path, "data", "admin.key"))).Trim();
    }

    /// <summary>A client on <paramref name="url"/> (default: the silo) with <paramref name="key"/>.</summary>
    public static LeveeClient Client(Uri url, string key, int maxRetries = 3) => LeveeClient.Create(new LeveeClientOptions
    {
        BaseAddress = url, ApiKey = key, MaxRetries = maxRetries, RetryDelay = TimeSpan.FromMilliseconds(50),
    });

    /// <summary>A new tenant's full-scope key.</summary>
    public async Task<string> NewTenantKeyAsync()
    {
        var admin = Client(Url, AdminKey);
        var created = await admin.CreateApiKeyAsync("t" + Guid.NewGuid().ToString("N")[..12], "p", ["executions", "workers", "batches"]);
        return created.Key;
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class LiveSiloCollection : ICollectionFixture<LiveSilo>
{
    public const string Name = "live silo";
}
