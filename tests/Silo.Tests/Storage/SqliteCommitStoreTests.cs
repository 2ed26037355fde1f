using Levee.Executions;
using Levee.Grains.Storage;
using Levee.Silo.Storage;
using Levee.Silo.Storage.Sqlite;
using Levee.Silo.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Levee.Silo.Tests.Storage;

/// <summary>The conformance suite on SQLite, plus what only the embedded dialect promises.</summary>
public sealed class SqliteCommitStoreTests : CommitStoreConformance
{
    protected override Task<IStoreUnderTest> CreateStoreAsync() => Task.FromResult<IStoreUnderTest>(SqliteStoreUnderTest.Create());

    [Fact]
    public async Task SecondStoreOnTheSameFile_IsRefusedWithTheFileNamed()
    {
        using var directory = new TempDirectory();
        await using var first = Open(directory);

        var refused = Assert.Throws<StorageInUseException>(() => Open(directory).GetRequiredService<SqliteDatabase>());

        Assert.Contains(directory.File("levee.db"), refused.Message, StringComparison.Ordinal);
        Assert.Contains("Levee:Storage:ConnectionString", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migration_FromSchema4_KeepsEveryEventOfTheLog()
    {
        using var directory = new TempDirectory();
        AtSchema(directory, 4,
            "INSERT INTO events (stream, seq, type, data, time) VALUES ('exe/t/p/a', 1, 'created', X'7B7D', 10), ('exe/t/p/a', 2, 'output', X'31', 11), ('exe/t/p/b', 1, 'created', X'7B7D', 12);");

        await using var services = Open(directory);
        var page = await services.GetRequiredService<ICommitStore>().ReadEventsAsync(GrainId.Create("exe", "t/p/a"), 1, 100, 1 << 20, CancellationToken.None);

        Assert.Equal([(1L, "created"), (2L, "output")], page.Events.Select(e => (e.Seq, e.Type)));
        Assert.Equal("1", System.Text.Encoding.UTF8.GetString(page.Events[1].Data));
    }

    [Fact]
    public async Task Migration_FromSchema5_KeepsStateIndexRowsAndBatchChildren()
    {
        using var directory = new TempDirectory();
        AtSchema(directory, 5,
            "INSERT INTO grains VALUES ('exe', 't/p/b.0', 3, 2, X'7B7D', 10), ('bat', 't/p/b', 2, 1, X'7B7D', 10);"
            + "INSERT INTO execution_index (grain_key, tenant, project, id, status, task, queue, parent_id, created_at, available_at, batch_id)"
            + " VALUES ('t/p/b.0', 't', 'p', 'b.0', 'queued', 'job', 'q', NULL, 5, 7, 'b');"
            + "INSERT INTO batch_children (batch_key, idx, child_id, reported) VALUES ('t/p/b', 0, 'b.0', 1), ('t/p/b', 2, 'b.2', 0);");

        await using var services = Open(directory);
        var store = services.GetRequiredService<ICommitStore>();
        var children = services.GetRequiredService<IBatchChildren>();
        var index = services.GetRequiredService<IExecutionIndex>();
        var batch = GrainId.Create("bat", "t/p/b");

        Assert.Equal(3, (await store.ReadAsync(GrainId.Create("exe", "t/p/b.0"), CancellationToken.None))!.Version);
        Assert.Equal(["b.0"], (await index.NextClaimsAsync("t", "p", "q", DateTimeOffset.FromUnixTimeMilliseconds(7), 10, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal(new Dictionary<ExecutionStatus, long> { [ExecutionStatus.Queued] = 1 }, await index.CountBatchAsync("t", "p", "b", CancellationToken.None));
        Assert.Equal([0, 2], await children.ChildrenAsync(batch, 0, 10, CancellationToken.None));
        Assert.Equal(new Dictionary<int, bool> { [0] = true, [2] = false }, await children.CountedAsync(batch, [0, 2], CancellationToken.None));
    }

    [Fact]
    public async Task Migration_FromSchema8_CountsWhatEachTenantAlreadyStores()
    {
        using var directory = new TempDirectory();
        AtSchema(directory, 8,
            "INSERT INTO execution_index (tenant, project, id, status, task, queue, parent_id, created_at, available_at, batch_id)"
            + " VALUES ('t', 'p', 'a', 'queued', 'job', 'q', NULL, 5, 7, NULL), ('t', 'p2', 'b', 'queued', 'job', 'q', NULL, 5, 7, NULL),"
            + " ('u', 'p', 'c', 'queued', 'job', 'q', NULL, 5, 7, NULL);"
            + "INSERT INTO events (stream, seq, type, data, time) VALUES ('exe/t/p/a', 1, 'created', X'7B7D', 10), ('exe/t/p/a', 2, 'output', X'313233', 11),"
            + " ('bat/t/p/x', 1, 'created', X'7B7D', 12), ('exe/u/p/c', 1, 'created', X'7B7D', 12);");

        await using var services = Open(directory);
        var usage = await services.GetRequiredService<ITenantUsageStore>().ReadAllAsync(CancellationToken.None);

        Assert.Equal(new TenantUsage(2, 7), usage["t"]);
        Assert.Equal(new TenantUsage(1, 2), usage["u"]);
    }

    /// <summary>A database file as an older silo left it: the first <paramref name="version"/> migrations, then <paramref name="rows"/>.</summary>
    private static void AtSchema(TempDirectory directory, int version, string rows)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={directory.File("levee.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SqliteSql.CreateSchemaVersion + ";" + string.Join(";", SqliteSql.Migrations.Take(version)) + ";"
            + string.Concat(Enumerable.Range(1, version).Select(v => $"INSERT INTO schema_version (version) VALUES ({v});")) + rows;
        command.ExecuteNonQuery();
    }

    private static ServiceProvider Open(TempDirectory directory)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Levee:Storage:ConnectionString"] = $"Data Source={directory.File("levee.db")}" })
            .Build();
        var services = Levee.Silo.Hosting.LeveeSiloBuilderExtensions.BuildStorage(configuration);
        _ = services.GetRequiredService<SqliteDatabase>();
        return services;
    }
}
