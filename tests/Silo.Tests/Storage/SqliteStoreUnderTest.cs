using Levee.Silo.Hosting;
using Levee.Silo.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Levee.Silo.Tests.Storage;

/// <summary>The SQLite store on a real file in a temporary folder (deleted with the last reopened instance).</summary>
public sealed class SqliteStoreUnderTest : IStoreUnderTest
{
    private readonly TempDirectory _directory;
    private readonly ServiceProvider _services;
    private bool _reopened;

    private SqliteStoreUnderTest(TempDirectory directory)
    {
        _directory = directory;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Levee:Storage:ConnectionString"] = $"Data Source={directory.File("levee.db")}" })
            .Build();
        _services = LeveeSiloBuilderExtensions.BuildStorage(configuration);
    }

    public static SqliteStoreUnderTest Create() => new(new TempDirectory());

    public IServiceProvider Services => _services;

    public async Task<IStoreUnderTest> ReopenAsync()
    {
        _reopened = true;
        await _services.DisposeAsync();
        return new SqliteStoreUnderTest(_directory);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (!_reopened)
        {
            _directory.Dispose();
        }
    }
}
