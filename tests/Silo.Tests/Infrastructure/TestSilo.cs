using Levee.Runtime;
using Levee.Silo.Hosting;
using Levee.Silo.Runtime;
using Levee.Silo.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Levee.Silo.Tests.Infrastructure;

/// <summary>
/// A silo's runtime and storage without HTTP, on a real SQLite file. Two of them on one file
/// behave like two silos of a cluster: separate activations, one database.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public TestSilo(string databasePath, IReadOnlyDictionary<Type, Type>? extraGrains = null, Action<RuntimeOptions>? runtime = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Levee:Storage:ConnectionString"] = $"Data Source={databasePath}" })
            .Build();
        var services = new ServiceCollection().AddLogging().AddLeveeSilo(configuration);
        if (extraGrains is not null)
        {
            services.AddSingleton(sp => new GrainRuntime(
                Levee.Grains.GrainCatalog.Implementations.Concat(extraGrains).ToDictionary(),
                sp, Microsoft.Extensions.Options.Options.Create(Configure(runtime))));
        }
        else if (runtime is not null)
        {
            services.Configure(runtime);
        }
        _services = services.BuildServiceProvider();
    }

    public IGrainFactory Grains => _services.GetRequiredService<IGrainFactory>();
    internal GrainRuntime Runtime => _services.GetRequiredService<GrainRuntime>();
    public IGrainStorage Storage => _services.GetRequiredService<IGrainStorage>();
    internal SqliteDatabase Database => _services.GetRequiredService<SqliteDatabase>();
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    private static RuntimeOptions Configure(Action<RuntimeOptions>? configure)
    {
        var options = new RuntimeOptions();
        configure?.Invoke(options);
        return options;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
