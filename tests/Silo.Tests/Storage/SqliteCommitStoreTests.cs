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

    private SqliteStoreUnderTest Sqlite => (SqliteStoreUnderTest)Store;

    [Fact]
    public async Task GroupCommit_ManyCommandsAtOnce_ShareTransactions()
    {
        var writer = Sqlite.Services.GetRequiredService<SqliteCommitWriter>();
        var before = writer.TransactionsCommitted;

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Store.Commits.CommitAsync(new GrainCommit
        {
            Id = GrainId.Create("exe", $"t/p/gc{i}"), ExpectedVersion = 0, ExpectedLastSeq = 0, State = "{}"u8.ToArray(), Events = [],
        }, CancellationToken.None)));

        Assert.InRange(writer.TransactionsCommitted - before, 1, 499);
    }

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
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={directory.File("levee.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = SqliteSql.CreateSchemaVersion + ";" + string.Join(";", SqliteSql.Migrations.Take(4))
                + "; INSERT INTO schema_version (version) VALUES (1), (2), (3), (4);"
                + "INSERT INTO events (stream, seq, type, data, time) VALUES ('exe/t/p/a', 1, 'created', X'7B7D', 10), ('exe/t/p/a', 2, 'output', X'31', 11), ('exe/t/p/b', 1, 'created', X'7B7D', 12);";
            command.ExecuteNonQuery();
        }

        await using var services = Open(directory);
        var page = await services.GetRequiredService<ICommitStore>().ReadEventsAsync(GrainId.Create("exe", "t/p/a"), 1, 100, 1 << 20, CancellationToken.None);

        Assert.Equal([(1L, "created"), (2L, "output")], page.Events.Select(e => (e.Seq, e.Type)));
        Assert.Equal("1", System.Text.Encoding.UTF8.GetString(page.Events[1].Data));
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
