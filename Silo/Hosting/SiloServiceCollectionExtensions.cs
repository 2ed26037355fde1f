using Levee.Batches;
using Levee.Executions;
using Levee.Grains;
using Levee.Idempotency;
using Levee.Runtime;
using Levee.Security;
using Levee.Silo.Runtime;
using Levee.Silo.Security;
using Levee.Silo.Storage.Sqlite;
using Levee.Silo.Outbox;
using Levee.Silo.Queues;
using Levee.Silo.Streams;
using Levee.Silo.Timers;
using Levee.Streams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Levee.Silo.Hosting;

/// <summary>Composes the grain runtime, the grains and the storage provider.</summary>
public static class SiloServiceCollectionExtensions
{
    /// <summary>Adds everything a silo runs, configured from the <c>Levee</c> section.</summary>
    public static IServiceCollection AddLeveeSilo(this IServiceCollection services, IConfiguration configuration)
    {
        var levee = configuration.GetSection("Levee");
        services.Configure<SiloOptions>(levee);
        services.Configure<RuntimeOptions>(levee.GetSection("Runtime"));
        services.Configure<GrainOptions>(levee.GetSection("Grains"));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<GrainOptions>>().Value);
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(sp => new GrainRuntime(GrainCatalog.Implementations, sp, sp.GetRequiredService<IOptions<RuntimeOptions>>()));
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddHostedService<ActivationCollector>();
        services.AddSingleton<StreamNotifier>();
        services.AddSingleton<TimerSchedule>();
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddHostedService<TimerPoller>();
        services.AddSingleton<QueueSignals>();
        services.AddSingleton<IQueueNotifier>(sp => sp.GetRequiredService<QueueSignals>());
        services.AddSingleton<IExecutionQueue, ExecutionQueue>();

        var storage = levee.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        switch (storage.Provider.ToUpperInvariant())
        {
            case "SQLITE":
                AddSqlite(services, levee.GetSection("Storage"));
                break;
            default:
                throw new InvalidOperationException($"Levee:Storage:Provider '{storage.Provider}' is not supported; use 'sqlite'.");
        }
        services.AddSingleton<IApiKeyStore>(sp => new CachingApiKeyStore(sp.GetRequiredService<SqliteApiKeyStore>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static void AddSqlite(IServiceCollection services, IConfiguration section)
    {
        // Levee:Storage:ConnectionString, plus tuning under Levee:Storage:Sqlite.
        services.Configure<SqliteOptions>(section);
        services.Configure<SqliteOptions>(section.GetSection("Sqlite"));
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<SqliteCommitWriter>();
        services.AddSingleton<IGrainStorage, SqliteGrainStorage>();
        services.AddSingleton<IEventLog, SqliteEventLog>();
        services.AddSingleton<IIdempotencyStore, SqliteIdempotencyStore>();
        services.AddSingleton<IExecutionQuery, SqliteExecutionQuery>();
        services.AddSingleton<IStorageHealth, SqliteHealth>();
        services.AddSingleton<SqliteApiKeyStore>();
        services.AddSingleton<ITimerStore, SqliteTimerStore>();
        services.AddSingleton<IQueueStore, SqliteQueueStore>();
        services.AddSingleton<IOutboxStore, SqliteOutboxStore>();
        services.AddSingleton<IBatchStore, SqliteBatchStore>();
        services.AddSingleton<SqliteIdempotencyPurger>();
        services.AddHostedService(sp => sp.GetRequiredService<SqliteIdempotencyPurger>());
    }
}
