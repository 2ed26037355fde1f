using System.Net;
using Levee.Cluster;
using Levee.Gateway.Telemetry;
using Levee.Grains;
using Levee.Grains.Cluster;
using Levee.Grains.Storage;
using Levee.Security;
using Levee.Silo.Diagnostics;
using Levee.Silo.Outbox;
using Levee.Silo.Storage;
using Levee.Silo.Storage.Postgres;
using Levee.Silo.Storage.Sqlite;
using Levee.Silo.Timers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Levee.Silo.Hosting;

/// <summary>Composes a Levee silo on Orleans: the grains' dependencies, the storage provider, the timer poller and the outbox dispatcher.</summary>
public static class LeveeSiloBuilderExtensions
{
    /// <summary>
    /// Listens and advertises as <c>Levee:Cluster</c> says, with Orleans localhost clustering (the
    /// embedded, one-silo deployment: SQLite).
    /// </summary>
    public static ISiloBuilder UseLeveeCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        var cluster = configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
        var name = configuration["Levee:SiloName"];
        silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.AdvertisedIPAddress = ParseAddress(cluster.AdvertisedAddress, "AdvertisedAddress");
            var listen = ParseAddress(cluster.ListenAddress, "ListenAddress");
            endpoints.SiloListeningEndpoint = new IPEndPoint(listen, cluster.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(listen, cluster.GatewayPort);
        });
        if (!string.IsNullOrEmpty(name))
        {
            silo.Configure<Orleans.Configuration.SiloOptions>(options => options.SiloName = name);
        }
        return silo;
    }

    /// <summary>Adds Levee's grains' services, configured from the <c>Levee</c> section, with the configured storage provider.</summary>
    public static ISiloBuilder AddLevee(this ISiloBuilder silo, IConfiguration configuration) => AddLevee(silo, configuration, sharedStorage: null);

    /// <summary>
    /// As <see cref="AddLevee(ISiloBuilder, IConfiguration)"/>, for tests. With
    /// <paramref name="sharedStorage"/> (from <see cref="BuildStorage"/>) the silo uses that store
    /// instead of opening its own: several silos in one process on one SQLite file, which has one
    /// writer. <paramref name="runPollers"/>: whether this silo delivers timers and outbox messages
    /// (one silo per store should; none, and a test delivers them by hand).
    /// </summary>
    internal static ISiloBuilder AddLevee(this ISiloBuilder silo, IConfiguration configuration, IServiceProvider? sharedStorage, bool runPollers = true)
    {
        var services = silo.Services;
        var levee = configuration.GetSection("Levee");
        services.AddLeveeSerialization();
        // Spans follow a request through grain calls only when they are exported (propagation costs per call).
        if (services.AddLeveeTelemetry(configuration, "levee-silo"))
        {
            silo.AddActivityPropagation();
        }
        if (OrleansDashboard.IsEnabled(configuration))
        {
            // The silo's side of the Orleans Dashboard (its grain service and profiling filter).
            silo.AddDashboard();
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GrainOptions>()
            .Bind(levee.GetSection("Grains"))
            .Configure<IConfiguration>((options, config) =>
                options.AdminKeyHash = config["Levee:AdminKey"] is { Length: > 0 } admin ? ApiKeySecrets.Hash(admin) : null)
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<GrainOptions>, GrainOptionsValidation>();

        var runtime = levee.GetSection("Runtime").Get<RuntimeOptions>() ?? new RuntimeOptions();
        services.Configure<RuntimeOptions>(levee.GetSection("Runtime"));
        silo.Configure<GrainCollectionOptions>(collection =>
        {
            collection.CollectionQuantum = runtime.CollectionInterval;
            collection.CollectionAge = runtime.IdleTimeout - runtime.CollectionInterval > runtime.CollectionInterval
                ? runtime.IdleTimeout - runtime.CollectionInterval
                : runtime.CollectionInterval + TimeSpan.FromMilliseconds(1);
            collection.EnableActivationSheddingOnMemoryPressure = true;
        });
        // Orleans caches the address of up to 1,000,000 grains by default and keeps entries of
        // long-gone activations until evicted: after a million executions that alone held ~150 MB
        // of an idle silo. Levee's grains are short-lived and placed where they are called first,
        // so a far smaller cache serves the live ones.
        silo.Configure<GrainDirectoryOptions>(directory => directory.CacheSize = runtime.DirectoryCacheSize);
        services.AddHostedService<ActivationGovernor>();

        if (sharedStorage is null)
        {
            AddStorage(services, levee.GetSection("Storage"));
            AddCommitListeners(services);
        }
        else
        {
            ShareStorage(services, sharedStorage);
        }
        if (runPollers)
        {
            services.AddHostedService<TimerPoller>();
            services.AddHostedService<OutboxDispatcher>();
        }
        return silo;
    }

    /// <summary>
    /// A store on its own, for several test silos to share (see <see cref="AddLevee(ISiloBuilder, IConfiguration, IServiceProvider?, bool)"/>),
    /// on <paramref name="clock"/> (the system clock by default).
    /// </summary>
    internal static ServiceProvider BuildStorage(IConfiguration configuration, TimeProvider? clock = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(clock ?? TimeProvider.System);
        AddStorage(services, configuration.GetSection("Levee:Storage"));
        AddCommitListeners(services);
        return services.BuildServiceProvider();
    }

    private static void AddCommitListeners(IServiceCollection services)
    {
        services.AddSingleton<ActivityMeter>();
        services.AddSingleton<ICommitListener>(sp => sp.GetRequiredService<ActivityMeter>());
        services.AddSingleton<TimerSchedule>();
        services.AddSingleton<ICommitListener>(sp => sp.GetRequiredService<TimerSchedule>());
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<ICommitListener>(sp => sp.GetRequiredService<OutboxSignal>());
    }

    /// <summary>The configured storage provider's services (<c>Levee:Storage</c>).</summary>
    internal static void AddStorage(IServiceCollection services, IConfiguration section)
    {
        switch (StorageOptions.ProviderOf(section))
        {
            case StorageProvider.Sqlite:
                AddSqlite(services, section);
                break;
            case StorageProvider.Postgres:
                AddPostgres(services, section);
                break;
            default:
                throw new InvalidOperationException("Unexpected storage provider — a bug.");
        }
        // What every dialect's group-commit writer shares: its counters, and the activity the cluster view samples from them.
        services.AddSingleton<GroupCommitStats>();
        services.AddSingleton<ISiloActivity, CommitActivity>();
    }

    private static void AddSqlite(IServiceCollection services, IConfiguration section)
    {
        // Levee:Storage:ConnectionString, plus tuning under Levee:Storage:Sqlite.
        services.Configure<SqliteOptions>(section);
        services.Configure<SqliteOptions>(section.GetSection("Sqlite"));
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IStorageStartup>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.AddSingleton<SqliteCommitWriter>();
        services.AddSingleton<ICommitStore, SqliteCommitStore>();
        services.AddSingleton<IExecutionIndex, SqliteExecutionIndex>();
        services.AddSingleton<IBatchChildren, SqliteBatchChildren>();
        services.AddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        services.AddSingleton<ITenantUsageStore, SqliteTenantUsageStore>();
        services.AddSingleton<IStorageHealth, SqliteHealth>();
        services.AddSingleton<ITimerStore, SqliteTimerStore>();
        services.AddSingleton<IOutboxStore, SqliteOutboxStore>();
    }

    private static void AddPostgres(IServiceCollection services, IConfiguration section)
    {
        // Levee:Storage:ConnectionString, plus tuning under Levee:Storage:Postgres.
        services.Configure<PostgresOptions>(section);
        services.Configure<PostgresOptions>(section.GetSection("Postgres"));
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<IStorageStartup>(sp => sp.GetRequiredService<PostgresDatabase>());
        services.AddSingleton<PostgresCommitWriter>();
        services.AddSingleton<ICommitStore, PostgresCommitStore>();
        services.AddSingleton<IExecutionIndex, PostgresExecutionIndex>();
        services.AddSingleton<IBatchChildren, PostgresBatchChildren>();
        services.AddSingleton<IApiKeyStore, PostgresApiKeyStore>();
        services.AddSingleton<ITenantUsageStore, PostgresTenantUsageStore>();
        services.AddSingleton<IStorageHealth, PostgresHealth>();
        services.AddSingleton<ITimerStore, PostgresTimerStore>();
        services.AddSingleton<IOutboxStore, PostgresOutboxStore>();
    }

    private static void ShareStorage(IServiceCollection services, IServiceProvider storage)
    {
        services.AddSingleton(storage.GetRequiredService<ICommitStore>());
        services.AddSingleton(storage.GetRequiredService<IExecutionIndex>());
        services.AddSingleton(storage.GetRequiredService<IBatchChildren>());
        services.AddSingleton(storage.GetRequiredService<IApiKeyStore>());
        services.AddSingleton(storage.GetRequiredService<ITenantUsageStore>());
        services.AddSingleton(storage.GetRequiredService<ISiloActivity>());
        services.AddSingleton(storage.GetRequiredService<IStorageHealth>());
        services.AddSingleton(storage.GetRequiredService<ITimerStore>());
        services.AddSingleton(storage.GetRequiredService<IOutboxStore>());
        services.AddSingleton(storage.GetRequiredService<TimerSchedule>());
        services.AddSingleton(storage.GetRequiredService<OutboxSignal>());
        services.AddSingleton(storage.GetRequiredService<ActivityMeter>());
    }

    private static IPAddress ParseAddress(string text, string setting) =>
        IPAddress.TryParse(text, out var address) ? address
        : Dns.GetHostAddresses(text).FirstOrDefault() ?? throw new FormatException($"Levee:Cluster:{setting} '{text}' is not an address.");
}
