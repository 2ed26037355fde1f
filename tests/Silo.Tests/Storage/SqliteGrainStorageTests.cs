using Levee.Errors;
using Levee.Executions;
using Levee.Runtime;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Storage;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Db => _dir.File("levee.db");

    private static GrainCommit Commit(GrainId id, long version, long lastSeq, string state, params string[] events) => new()
    {
        Id = id, ExpectedVersion = version, ExpectedLastSeq = lastSeq, State = System.Text.Encoding.UTF8.GetBytes(state),
        Events = events.Select(e => new NewEvent(e, "{}"u8.ToArray(), DateTimeOffset.UtcNow)).ToArray(),
    };

    [Fact]
    public async Task CommitAsync_TwoSilosSameExpectedVersion_ExactlyOneWins()
    {
        await using var a = new TestSilo(Db);
        await using var b = new TestSilo(Db);
        var id = new GrainId("exe", "t/p/race");
        Assert.Equal(CommitStatus.Committed, (await a.Storage.CommitAsync(Commit(id, 0, 0, "v1", "created"), default)).Status);

        var outcomes = await Task.WhenAll(
            a.Storage.CommitAsync(Commit(id, 1, 1, "from-a", "status"), default),
            b.Storage.CommitAsync(Commit(id, 1, 1, "from-b", "status"), default));

        Assert.Single(outcomes, o => o.Status == CommitStatus.Committed);
        Assert.Single(outcomes, o => o.Status == CommitStatus.VersionConflict);
        var stored = await b.Storage.ReadAsync(id, default);
        Assert.Equal(2, stored!.Version);
        Assert.Equal(2, stored.LastSeq);
        AssertLogMatchesState(a, id);
    }

    [Fact]
    public async Task CommitAsync_CreateOfExistingGrain_IsVersionConflict()
    {
        await using var silo = new TestSilo(Db);
        var id = new GrainId("exe", "t/p/dup");
        await silo.Storage.CommitAsync(Commit(id, 0, 0, "first", "created"), default);
        var second = await silo.Storage.CommitAsync(Commit(id, 0, 0, "second", "created"), default);
        Assert.Equal(CommitStatus.VersionConflict, second.Status);
        AssertLogMatchesState(silo, id);
    }

    [Fact]
    public async Task ExecutionGrain_StaleActivationInOtherSilo_ReloadsAndDecidesAgain()
    {
        await using var a = new TestSilo(Db);
        await using var b = new TestSilo(Db);
        const string key = "t/p/stale";
        Assert.Equal(OutcomeKind.Applied, (await a.Grains.GetGrain<IExecutionGrain>(key).CreateAsync(new CreateExecution { Id = "stale", Task = "x" })).Kind);
        // Silo B activates the grain and caches 'queued'.
        Assert.Equal(ExecutionStatus.Queued, (await b.Grains.GetGrain<IExecutionGrain>(key).GetAsync())!.Status);

        await a.Grains.GetGrain<IExecutionGrain>(key).WriteStatusAsync(new WriteStatus(ExecutionStatus.Succeeded));
        // B still believes 'queued': its cancel loses the compare-and-set, reloads, and is re-decided against 'succeeded'.
        var cancel = await b.Grains.GetGrain<IExecutionGrain>(key).CancelAsync(new CancelExecution("late"));

        Assert.Equal(ErrorCodes.TerminalState, cancel.Rejection?.Code);
        Assert.Equal("succeeded", cancel.Rejection?.CurrentStatus);
        var view = await b.Grains.GetGrain<IExecutionGrain>(key).GetAsync();
        Assert.Equal(ExecutionStatus.Succeeded, view!.Status);
        Assert.Equal(2, view.Version);
        AssertLogMatchesState(a, new GrainId("exe", key));
    }

    [Fact]
    public async Task ExecutionGrain_ConcurrentReportsFromTwoSilos_EachSeqAppliedOnceWithoutGaps()
    {
        await using var a = new TestSilo(Db);
        await using var b = new TestSilo(Db);
        const string key = "t/p/storm";
        await a.Grains.GetGrain<IExecutionGrain>(key).CreateAsync(new CreateExecution { Id = "storm", Task = "x" });

        // 100 progress reports, each delivered twice (once per silo), all at once.
        var sends = Enumerable.Range(1, 100).SelectMany(seq => new[] { a, b }.Select(silo =>
            silo.Grains.GetGrain<IExecutionGrain>(key).ReportAsync(new ReportEvent { Type = "progress", Seq = seq, Attempt = 1 })));
        var results = await Task.WhenAll(sends);

        Assert.Equal(100, results.Count(r => r == ReportResult.Applied));
        Assert.Equal(100, results.Count(r => r == ReportResult.Ignored));
        var view = await a.Grains.GetGrain<IExecutionGrain>(key).GetAsync();
        Assert.Equal(101, view!.LastEventSeq);
        AssertLogMatchesState(a, new GrainId("exe", key));
    }

    [Fact]
    public async Task GroupCommit_ManyGrainsAtOnce_AllCommittedInFewerTransactions()
    {
        await using var silo = new TestSilo(Db);
        var writer = silo.Get<Levee.Silo.Storage.Sqlite.SqliteCommitWriter>();
        var before = writer.TransactionsCommitted;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 500).Select(i =>
            silo.Grains.GetGrain<IExecutionGrain>($"t/p/g{i}").CreateAsync(new CreateExecution { Id = $"g{i}", Task = "x" })));

        Assert.All(outcomes, o => Assert.Equal(OutcomeKind.Applied, o.Kind));
        var transactions = writer.TransactionsCommitted - before;
        Assert.InRange(transactions, 1, 499);
        for (var i = 0; i < 500; i += 50)
        {
            AssertLogMatchesState(silo, new GrainId("exe", $"t/p/g{i}"));
        }
    }

    [Fact]
    public async Task ReadAsync_AfterReopeningTheFile_ReturnsCommittedState()
    {
        var id = new GrainId("exe", "t/p/durable");
        await using (var first = new TestSilo(Db))
        {
            await first.Storage.CommitAsync(Commit(id, 0, 0, "v1", "created", "status"), default);
        }
        await using var second = new TestSilo(Db);
        var stored = await second.Storage.ReadAsync(id, default);
        Assert.Equal(1, stored!.Version);
        Assert.Equal(2, stored.LastSeq);
    }

    /// <summary>The state row's last_seq equals the log's length, and the log is 1..n without gaps.</summary>
    private static void AssertLogMatchesState(TestSilo silo, GrainId id)
    {
        var (lastSeq, seqs) = silo.Database.Read(session =>
        {
            var last = (long)session.With("SELECT last_seq FROM grains WHERE grain_type = $t AND grain_key = $k", ("$t", id.Type), ("$k", id.Key)).ExecuteScalar()!;
            using var reader = session.With("SELECT seq FROM events WHERE stream = $s ORDER BY seq", ("$s", id.ToString())).ExecuteReader();
            var list = new List<long>();
            while (reader.Read())
            {
                list.Add(reader.GetInt64(0));
            }
            return (last, list);
        });
        Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), seqs);
    }

    public void Dispose() => _dir.Dispose();
}
