using System.Text;
using Levee.Grains.Storage;
using Levee.Silo.Storage;
using Levee.Silo.Storage.Postgres;
using Levee.Silo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Levee.Silo.Tests.Storage;

/// <summary>The conformance suite on PostgreSQL, plus what several silos on one database rely on.</summary>
[PostgresTests]
public sealed class PostgresCommitStoreTests : CommitStoreConformance
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    protected override async Task<IStoreUnderTest> CreateStoreAsync() => await PostgresStoreUnderTest.CreateAsync(new ManualClock(Now));

    private PostgresStoreUnderTest Postgres => (PostgresStoreUnderTest)Store;

    private static GrainCommit Create(string key) => new()
    {
        Id = GrainId.Create("exe", key), ExpectedVersion = 0, ExpectedLastSeq = 0, State = "{}"u8.ToArray(), Events = [],
    };

    [PostgresFact]
    public async Task Migrate_TwoSilosStartingAtOnce_BothOpenAndEachVersionIsAppliedOnce()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        try
        {
            var start = new TaskCompletionSource();
            var opening = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                return new PostgresDatabase(Options.Create(new PostgresOptions { ConnectionString = connectionString }), NullLogger<PostgresDatabase>.Instance);
            })).ToArray();
            start.SetResult();
            var databases = await Task.WhenAll(opening);

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var versions = new NpgsqlCommand("SELECT version FROM schema_version ORDER BY version", connection);
            var applied = new List<int>();
            await using (var reader = await versions.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    applied.Add(reader.GetInt32(0));
                }
            }
            Assert.Equal(Enumerable.Range(1, PostgresSql.Migrations.Length), applied);
            foreach (var database in databases)
            {
                database.Dispose();
            }
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    [PostgresFact]
    public async Task Timers_ClaimedByOneSilo_AreSkippedByAnother_UntilTheLeaseRunsOut()
    {
        await Store.Commits.CommitAsync(Create("t/p/timer") with { Timers = [new TimerChange("lease", Now)] }, CancellationToken.None);
        await using var other = Postgres.OpenAnother();
        var lease = Postgres.Services.GetRequiredService<PostgresDatabase>().Options.ClaimLease;

        var first = await Store.Timers.ReadDueAsync(Now, 10, CancellationToken.None);
        var meanwhile = await other.Timers.ReadDueAsync(Now.AddSeconds(1), 10, CancellationToken.None);
        var again = await Store.Timers.ReadDueAsync(Now.AddSeconds(1), 10, CancellationToken.None);
        // Reading again renewed the holder's lease; the other silo takes the timer once that one runs out.
        var takenOver = await other.Timers.ReadDueAsync(Now.AddSeconds(2) + lease, 10, CancellationToken.None);

        Assert.Single(first);
        Assert.Empty(meanwhile);
        Assert.Single(again); // the holder reads its own again until it removes it
        Assert.Equal(first, takenOver);
        Assert.Empty(await Store.Timers.ReadDueAsync(Now.AddSeconds(3) + lease, 10, CancellationToken.None));
    }

    [PostgresFact]
    public async Task Timers_SetAgainByTheGrain_AreFreeForAnySilo()
    {
        var id = GrainId.Create("exe", "t/p/reset");
        await Store.Commits.CommitAsync(Create("t/p/reset") with { Timers = [new TimerChange("lease", Now)] }, CancellationToken.None);
        await using var other = Postgres.OpenAnother();
        Assert.Single(await Store.Timers.ReadDueAsync(Now, 10, CancellationToken.None));

        await Store.Commits.CommitAsync(Create("t/p/reset") with { ExpectedVersion = 1, Timers = [new TimerChange("lease", Now.AddSeconds(1))] }, CancellationToken.None);

        Assert.Equal([(id, "lease")], (await other.Timers.ReadDueAsync(Now.AddSeconds(1), 10, CancellationToken.None)).Select(t => (t.Grain, t.Name)));
    }

    [PostgresFact]
    public async Task Outbox_ClaimedByOneSilo_IsSkippedByAnother_UntilTheLeaseRunsOut()
    {
        await Store.Commits.CommitAsync(Create("t/p/sender") with { Outbox = [new OutboxMessage(GrainId.Create("exe", "t/p/x"), "cancel", "m")] },
            CancellationToken.None);
        var clock = new ManualClock(Now);
        await using var other = Postgres.OpenAnother(clock);
        var lease = Postgres.Services.GetRequiredService<PostgresDatabase>().Options.ClaimLease;

        var first = await Store.Outbox.ReadAsync(10, CancellationToken.None);
        var meanwhile = await other.Outbox.ReadAsync(10, CancellationToken.None);
        clock.Now = Now + lease + TimeSpan.FromSeconds(1);
        var takenOver = await other.Outbox.ReadAsync(10, CancellationToken.None);

        Assert.Equal("m", Assert.Single(first).Message.Payload);
        Assert.Empty(meanwhile);
        Assert.Equal(first, takenOver);
    }

    [PostgresFact]
    public async Task Quota_TwoSilosCreatingAtOnce_AdmitExactlyTheLimit()
    {
        await using var other = Postgres.OpenAnother();
        var quota = new QuotaCheck(MaxExecutions: 10, MaxEventBytes: null);
        var stores = new[] { Store.Commits, other.Commits };

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            try
            {
                await stores[i % 2].CommitAsync(Create($"t/p/q{i}") with
                {
                    Tenant = "t", Quota = quota,
                    ExecutionIndex = new ExecutionIndexRow("t", "p", $"q{i}", Levee.Executions.ExecutionStatus.Queued, "job", "q", null, Now, Now),
                }, CancellationToken.None);
                return true;
            }
            catch (QuotaExceededException)
            {
                return false;
            }
        }));

        Assert.Equal(10, results.Count(admitted => admitted));
        Assert.Equal(10, (await Store.Usage.ReadAsync("t", CancellationToken.None)).Executions);
    }

    [Fact]
    public void Open_ServerNotAnswering_IsOneSentenceNamingTheServerAndTheSetting()
    {
        var port = FreePort.Next();
        var options = new PostgresOptions { ConnectionString = $"Host=127.0.0.1;Port={port};Database=levee;Username=levee;Password=s3cret;Timeout=5" };

        var refused = Assert.Throws<StorageUnavailableException>(() => new PostgresDatabase(Options.Create(options), NullLogger<PostgresDatabase>.Instance));

        Assert.Contains($"127.0.0.1:{port}/levee", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Levee:Storage:ConnectionString", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public void Open_ConnectionStringThatDoesNotParse_NamesTheSetting()
    {
        var options = new PostgresOptions { ConnectionString = "Hots=db;Password=s3cret" };

        var refused = Assert.Throws<StorageUnavailableException>(() => new PostgresDatabase(Options.Create(options), NullLogger<PostgresDatabase>.Instance));

        Assert.Contains("Levee:Storage:ConnectionString is not a valid PostgreSQL connection string", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", refused.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task CommitAsync_ABatchOfAThousandChildren_IsOneCommandWithEveryRow()
    {
        var batch = GrainId.Create("bat", "t/p/big");
        var children = Enumerable.Range(0, 1000).ToArray();

        var outcome = await Store.Commits.CommitAsync(Create("t/p/big") with
        {
            Id = batch, BatchChildren = children,
            Spawns = children.Select(i => Create($"t/p/big.{i}") with
            {
                Events = [new NewEvent("created", Encoding.UTF8.GetBytes("{}"), Now)],
                ExecutionIndex = new ExecutionIndexRow("t", "p", $"big.{i}", Levee.Executions.ExecutionStatus.Queued, "job", "q", null, Now, Now, "big"),
            }).ToArray(),
        }, CancellationToken.None);

        Assert.Equal(CommitStatus.Committed, outcome.Status);
        Assert.Equal(children, await Store.Children.ChildrenAsync(batch, 0, 2000, CancellationToken.None));
        Assert.Empty(await Store.Children.MissingAsync(batch, 1000, 10, CancellationToken.None));
        Assert.Equal([1000, 1001], await Store.Children.MissingAsync(batch, 1002, 10, CancellationToken.None));
        Assert.Equal(1000, (await Store.Index.CountBatchAsync("t", "p", "big", CancellationToken.None))[Levee.Executions.ExecutionStatus.Queued]);
    }
}
