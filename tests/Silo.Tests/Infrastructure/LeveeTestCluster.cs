using Levee.Silo.Hosting;
using Levee.Silo.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Levee.Silo.Tests.Infrastructure;

/// <summary>
/// Levee on Orleans' <see cref="InProcessTestCluster"/>: real silos (in-memory transport) on a real
/// SQLite file. SQLite has one writer, so the store is built once and every silo uses that
/// instance; the first silo runs the timer poller and the outbox dispatcher.
/// </summary>
public sealed class LeveeTestCluster : IAsyncDisposable
{
    private readonly ServiceProvider? _ownStorage;

    private LeveeTestCluster(InProcessTestCluster cluster, IServiceProvider storage, ServiceProvider? ownStorage) =>
        (Cluster, Storage, _ownStorage) = (cluster, storage, ownStorage);

    public InProcessTestCluster Cluster { get; }

    /// <summary>The store's services (shared by every silo).</summary>
    public IServiceProvider Storage { get; }

    /// <summary>An Orleans client of the cluster (what an in-cluster .NET service uses).</summary>
    public IClusterClient Client => Cluster.Client;

    internal SqliteDatabase Database => Storage.GetRequiredService<SqliteDatabase>();

    /// <summary>The grain factory of silo <paramref name="index"/> (calls made from inside that silo).</summary>
    public IGrainFactory GrainsOn(int index) => Cluster.Silos[index].SiloHost.Services.GetRequiredService<IGrainFactory>();

    public T Get<T>() where T : notnull => Storage.GetRequiredService<T>();

    /// <summary>
    /// Starts <paramref name="silos"/> silos on <paramref name="databasePath"/>. With
    /// <paramref name="storageOf"/> (another test cluster) the silos use that cluster's store and
    /// run no pollers: two independent clusters on one database, each with its own activation of
    /// a grain. Without <paramref name="pollers"/> nothing delivers timers or outbox messages.
    /// </summary>
    public static async Task<LeveeTestCluster> StartAsync(string databasePath, short silos = 2, bool pollers = true, LeveeTestCluster? storageOf = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Levee:Storage:ConnectionString"] = $"Data Source={databasePath}",
            ["Levee:AdminKey"] = "test-admin-key",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var ownStorage = storageOf is null ? LeveeSiloBuilderExtensions.BuildStorage(configuration) : null;
        var storage = storageOf?.Storage ?? ownStorage!;
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddConfiguration(configuration));
        builder.ConfigureSilo((options, silo) =>
            silo.AddLevee(configuration, storage, runPollers: pollers && storageOf is null && options.SiloName == "Silo_0"));
        builder.ConfigureClient(client => client.Services.AddLeveeSerialization());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new LeveeTestCluster(cluster, storage, ownStorage);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (_ownStorage is not null)
        {
            await _ownStorage.DisposeAsync();
        }
    }
}
