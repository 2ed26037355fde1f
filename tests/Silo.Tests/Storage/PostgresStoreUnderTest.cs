using Levee.Silo.Hosting;
using Levee.Silo.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Levee.Silo.Tests.Storage;

/// <summary>The PostgreSQL store on a database of its own (<see cref="TestPostgres"/>), dropped with the last reopened instance.</summary>
public sealed class PostgresStoreUnderTest : IStoreUnderTest
{
    private readonly ServiceProvider _services;
    private bool _reopened;

    private PostgresStoreUnderTest(string connectionString, TimeProvider? clock)
    {
        ConnectionString = connectionString;
        Clock = clock;
        _services = LeveeSiloBuilderExtensions.BuildStorage(Settings(connectionString), clock);
    }

    /// <summary>A store on a new, empty database.</summary>
    public static async Task<PostgresStoreUnderTest> CreateAsync(TimeProvider? clock = null) => new(await TestPostgres.CreateDatabaseAsync(), clock);

    /// <summary>A second store on the same database, as another silo would open it (dispose it before this one).</summary>
    public IStoreUnderTest OpenAnother(TimeProvider? clock = null) => new PostgresStoreUnderTest(ConnectionString, clock) { _reopened = true };

    /// <summary>What a silo on this store is configured with.</summary>
    public static IConfiguration Settings(string connectionString) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Levee:Storage:Provider"] = "postgres", ["Levee:Storage:ConnectionString"] = connectionString })
        .Build();

    public string ConnectionString { get; }
    public TimeProvider? Clock { get; }
    public IServiceProvider Services => _services;

    public async Task<IStoreUnderTest> ReopenAsync()
    {
        _reopened = true;
        await _services.DisposeAsync();
        return new PostgresStoreUnderTest(ConnectionString, Clock);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (!_reopened)
        {
            await TestPostgres.DropDatabaseAsync(ConnectionString);
        }
    }
}
