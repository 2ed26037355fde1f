using System.Text;
using Levee.Executions;
using Levee.Grains.Storage;
using Levee.Security;
using Levee.Silo.Storage;
using Levee.Silo.Timers;
using Microsoft.Extensions.DependencyInjection;

namespace Levee.Silo.Tests.Storage;

/// <summary>
/// The commit-store contract, run against every dialect: compare-and-set, gapless logs, atomic
/// side rows, group commit, timers, outbox, index queries, batch children, keys, deletion and
/// durability. A dialect passes by deriving from this class.
/// </summary>
public abstract partial class CommitStoreConformance : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    protected IStoreUnderTest Store { get; private set; } = null!;

    /// <summary>A fresh, empty store of the dialect.</summary>
    protected abstract Task<IStoreUnderTest> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static GrainId Exe(string key) => GrainId.Create("exe", key);

    private static GrainCommit Commit(GrainId id, long version, long lastSeq, string state, params string[] events) => new()
    {
        Id = id, ExpectedVersion = version, ExpectedLastSeq = lastSeq, State = Encoding.UTF8.GetBytes(state),
        Events = events.Select(e => new NewEvent(e, Encoding.UTF8.GetBytes($"{{\"e\":\"{e}\"}}"), Now)).ToArray(),
    };

    private Task<CommitOutcome> CommitAsync(GrainCommit commit) => Store.Commits.CommitAsync(commit, CancellationToken.None);

    private async Task<long[]> SeqsAsync(GrainId id) =>
        (await Store.Commits.ReadEventsAsync(id, 1, 1000, int.MaxValue, CancellationToken.None)).Events.Select(e => e.Seq).ToArray();

    /// <summary>The state row's last_seq equals the log's length, and the log is 1..n without gaps.</summary>
    private async Task AssertLogMatchesStateAsync(GrainId id)
    {
        var stored = await Store.Commits.ReadAsync(id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(Enumerable.Range(1, (int)stored.LastSeq).Select(i => (long)i), await SeqsAsync(id));
    }

    [ConformanceFact]
    public async Task CommitAsync_NewGrain_IsReadBackWithVersionOneAndItsEvents()
    {
        var id = Exe("t/p/new");
        var outcome = await CommitAsync(Commit(id, 0, 0, "v1", "created", "status"));

        Assert.Equal(new CommitOutcome(CommitStatus.Committed, 1, 2), outcome);
        var stored = await Store.Commits.ReadAsync(id, CancellationToken.None);
        Assert.Equal((1L, 2L, "v1"), (stored!.Version, stored.LastSeq, Encoding.UTF8.GetString(stored.State.Span)));
        var page = await Store.Commits.ReadEventsAsync(id, 1, 10, int.MaxValue, CancellationToken.None);
        Assert.Equal(["created", "status"], page.Events.Select(e => e.Type));
        Assert.Equal("{\"e\":\"created\"}", Encoding.UTF8.GetString(page.Events[0].Data));
        Assert.Equal(Now, page.Events[0].Time);
    }

    [ConformanceFact]
    public async Task ReadAsync_NeverWritten_IsNull() => Assert.Null(await Store.Commits.ReadAsync(Exe("t/p/none"), CancellationToken.None));

    [ConformanceFact]
    public async Task CommitAsync_CreateOfExistingGrain_IsVersionConflictAndWritesNothing()
    {
        var id = Exe("t/p/dup");
        await CommitAsync(Commit(id, 0, 0, "first", "created"));

        var second = await CommitAsync(Commit(id, 0, 0, "second", "created", "extra"));

        Assert.Equal(CommitStatus.VersionConflict, second.Status);
        Assert.Equal("first", Encoding.UTF8.GetString((await Store.Commits.ReadAsync(id, CancellationToken.None))!.State.Span));
        await AssertLogMatchesStateAsync(id);
    }

    [ConformanceFact]
    public async Task CommitAsync_StaleVersion_IsConflictAndLeavesNoSideRows()
    {
        var id = Exe("t/p/stale");
        await CommitAsync(Commit(id, 0, 0, "v1", "created"));
        await CommitAsync(Commit(id, 1, 1, "v2", "status"));

        var stale = await CommitAsync(Commit(id, 1, 1, "v2-other", "status") with
        {
            Timers = [new TimerChange("lease", Now)],
            Outbox = [new OutboxMessage(Exe("t/p/other"), "cancel", "x")],
        });

        Assert.Equal(CommitStatus.VersionConflict, stale.Status);
        Assert.Empty(await Store.Timers.ReadDueAsync(Now.AddDays(1), 10, CancellationToken.None));
        Assert.Empty(await Store.Outbox.ReadAsync(10, CancellationToken.None));
        await AssertLogMatchesStateAsync(id);
    }

    [ConformanceFact]
    public async Task CommitAsync_ConcurrentWritersOnOneVersion_ExactlyOneWins()
    {
        var id = Exe("t/p/race");
        await CommitAsync(Commit(id, 0, 0, "v1", "created"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CommitAsync(Commit(id, 1, 1, $"from-{i}", "status"))));

        Assert.Single(outcomes, o => o.Status == CommitStatus.Committed);
        Assert.Equal(7, outcomes.Count(o => o.Status == CommitStatus.VersionConflict));
        var stored = await Store.Commits.ReadAsync(id, CancellationToken.None);
        Assert.Equal((2L, 2L), (stored!.Version, stored.LastSeq));
        await AssertLogMatchesStateAsync(id);
    }

    [ConformanceFact]
    public async Task CommitAsync_ManyGrainsAtOnce_EachCommittedWithItsOwnOutcome()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => CommitAsync(Commit(Exe($"t/p/g{i}"), 0, 0, $"s{i}", "created"))));

        Assert.All(outcomes, o => Assert.Equal(CommitStatus.Committed, o.Status));
        var rows = await Store.Commits.ReadManyAsync(Enumerable.Range(0, 300).Select(i => Exe($"t/p/g{i}")).ToArray(), CancellationToken.None);
        Assert.Equal(300, rows.Count);
        Assert.Equal("s42", Encoding.UTF8.GetString(rows[Exe("t/p/g42")].State.Span));
    }

    [ConformanceFact]
    public async Task CommitAsync_OneFailingCommandInAGroup_FailsAloneAndTheOthersCommit()
    {
        // A null event type violates the log's NOT NULL column: that command fails, the rest of its group does not.
        var poisoned = Commit(Exe("t/p/poison"), 0, 0, "p") with { Events = [new NewEvent(null!, "{}"u8.ToArray(), Now)] };
        var healthy = Enumerable.Range(0, 50).Select(i => CommitAsync(Commit(Exe($"t/p/ok{i}"), 0, 0, "ok", "created"))).ToArray();
        var failing = CommitAsync(poisoned);

        await Assert.ThrowsAnyAsync<Exception>(() => failing);
        Assert.All(await Task.WhenAll(healthy), o => Assert.Equal(CommitStatus.Committed, o.Status));
        Assert.Null(await Store.Commits.ReadAsync(Exe("t/p/poison"), CancellationToken.None));
        Assert.Empty(await SeqsAsync(Exe("t/p/poison")));
    }

    [ConformanceFact]
    public async Task GroupCommit_ManyCommandsAtOnce_ShareTransactions()
    {
        var writer = Store.Services.GetRequiredService<GroupCommitStats>();
        var before = writer.TransactionsCommitted;

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Store.Commits.CommitAsync(new GrainCommit
        {
            Id = GrainId.Create("exe", $"t/p/gc{i}"), ExpectedVersion = 0, ExpectedLastSeq = 0, State = "{}"u8.ToArray(), Events = [],
        }, CancellationToken.None)));

        Assert.InRange(writer.TransactionsCommitted - before, 1, 499);
    }

    [ConformanceFact]
    public async Task ReadEventsAsync_FromASeq_ReturnsThatSeqOnwardsInOrder()
    {
        var id = Exe("t/p/log");
        await CommitAsync(Commit(id, 0, 0, "s", "a", "b", "c", "d", "e"));

        var page = await Store.Commits.ReadEventsAsync(id, 3, 10, int.MaxValue, CancellationToken.None);

        Assert.Equal([3L, 4L, 5L], page.Events.Select(e => e.Seq));
        Assert.False(page.More);
    }

    [ConformanceFact]
    public async Task ReadEventsAsync_OverTheByteBound_StopsEarlyButReturnsAtLeastOneEvent()
    {
        var id = Exe("t/p/bytes");
        await CommitAsync(Commit(id, 0, 0, "s") with
        {
            Events = Enumerable.Range(0, 10).Select(i => new NewEvent("output", new byte[1000], Now)).ToArray(),
        });

        var three = await Store.Commits.ReadEventsAsync(id, 1, 100, 3500, CancellationToken.None);
        var one = await Store.Commits.ReadEventsAsync(id, 1, 100, 10, CancellationToken.None);
        var counted = await Store.Commits.ReadEventsAsync(id, 1, 4, int.MaxValue, CancellationToken.None);

        Assert.Equal((3, true), (three.Events.Count, three.More));
        Assert.Equal((1, true), (one.Events.Count, one.More));
        Assert.Equal(4, counted.Events.Count);
    }

    [ConformanceFact]
    public async Task CommitAsync_Timers_SetMoveAndClearWithTheState()
    {
        var id = Exe("t/p/timers");
        await CommitAsync(Commit(id, 0, 0, "s") with { Timers = [new TimerChange("lease", Now.AddSeconds(10)), new TimerChange("deadline", Now.AddSeconds(5))] });
        await CommitAsync(Commit(id, 1, 0, "s") with { Timers = [new TimerChange("lease", Now.AddSeconds(1)), new TimerChange("deadline", null)] });

        var due = await Store.Timers.ReadDueAsync(Now.AddSeconds(20), 10, CancellationToken.None);

        var timer = Assert.Single(due);
        Assert.Equal((id, "lease", Now.AddSeconds(1)), (timer.Grain, timer.Name, timer.DueAt));
        Assert.Equal(Now.AddSeconds(1), await Store.Timers.NextDueAsync(CancellationToken.None));
        Assert.Empty(await Store.Timers.ReadDueAsync(Now, 10, CancellationToken.None));
    }

    [ConformanceFact]
    public async Task Timers_RemoveDeliveredAndPostpone_LeaveATimerTheGrainSetAgain()
    {
        var id = Exe("t/p/redelivery");
        await CommitAsync(Commit(id, 0, 0, "s") with { Timers = [new TimerChange("a", Now), new TimerChange("b", Now)] });
        var due = await Store.Timers.ReadDueAsync(Now, 10, CancellationToken.None);
        // The grain sets both again for later before the poller finishes with them.
        await CommitAsync(Commit(id, 1, 0, "s") with { Timers = [new TimerChange("a", Now.AddMinutes(1)), new TimerChange("b", Now.AddMinutes(2))] });

        await Store.Timers.RemoveDeliveredAsync(due.Where(t => t.Name == "a").ToArray(), CancellationToken.None);
        await Store.Timers.PostponeAsync(due.Single(t => t.Name == "b"), Now.AddSeconds(5), CancellationToken.None);

        var left = await Store.Timers.ReadDueAsync(Now.AddHours(1), 10, CancellationToken.None);
        Assert.Equal([("a", Now.AddMinutes(1)), ("b", Now.AddMinutes(2))], left.Select(t => (t.Name, t.DueAt)).OrderBy(t => t.Name));
    }

    [ConformanceFact]
    public async Task Timers_DueTimeWithTicks_IsNeverReportedDueBeforeIt()
    {
        var id = Exe("t/p/ticks");
        var due = Now.AddTicks(5_000);
        await CommitAsync(Commit(id, 0, 0, "s") with { Timers = [new TimerChange("lease", due)] });

        Assert.Empty(await Store.Timers.ReadDueAsync(Now, 10, CancellationToken.None));
        Assert.Single(await Store.Timers.ReadDueAsync(Now.AddMilliseconds(1), 10, CancellationToken.None));
    }

    [ConformanceFact]
    public async Task CommitAsync_Outbox_MessagesAreReadInOrderAndDeleted()
    {
        var target = Exe("t/p/target");
        // Stamped in whole milliseconds by the store's own clock (a test's manual one, or the system's).
        var clock = Store.Services.GetService<TimeProvider>() ?? TimeProvider.System;
        var before = clock.GetUtcNow().AddMilliseconds(-1);
        await CommitAsync(Commit(Exe("t/p/sender"), 0, 0, "s") with
        {
            Outbox = [new OutboxMessage(target, "cancel", "one"), new OutboxMessage(GrainId.Create("bat", "t/p/b"), "child_finished", "0:succeeded")],
        });
        await CommitAsync(Commit(Exe("t/p/sender"), 1, 0, "s") with { Outbox = [new OutboxMessage(target, "cancel", "two")] });

        var after = clock.GetUtcNow();
        var messages = await Store.Outbox.ReadAsync(10, CancellationToken.None);

        Assert.Equal(["one", "0:succeeded", "two"], messages.Select(m => m.Message.Payload));
        Assert.All(messages, m => Assert.InRange(m.CreatedAt, before, after));
        Assert.Equal((target, "cancel"), (messages[0].Message.Target, messages[0].Message.Kind));
        await Store.Outbox.DeleteAsync([messages[0].Id, messages[2].Id], CancellationToken.None);
        Assert.Equal(["0:succeeded"], (await Store.Outbox.ReadAsync(10, CancellationToken.None)).Select(m => m.Message.Payload));
    }

    [ConformanceFact]
    public async Task CommitAsync_Spawns_AreCreatedWithTheCommit()
    {
        var outcome = await CommitAsync(Commit(GrainId.Create("bat", "t/p/b"), 0, 0, "batch", "items_accepted") with
        {
            Spawns = [Commit(Exe("t/p/b.0"), 0, 0, "child0", "created"), Commit(Exe("t/p/b.1"), 0, 0, "child1", "created")],
        });

        Assert.Equal(CommitStatus.Committed, outcome.Status);
        Assert.Equal("child0", Encoding.UTF8.GetString((await Store.Commits.ReadAsync(Exe("t/p/b.0"), CancellationToken.None))!.State.Span));
        Assert.Equal("child1", Encoding.UTF8.GetString((await Store.Commits.ReadAsync(Exe("t/p/b.1"), CancellationToken.None))!.State.Span));
        await AssertLogMatchesStateAsync(Exe("t/p/b.1"));
    }

    [ConformanceFact]
    public async Task CommitAsync_SpawnOfAnExistingGrain_FailsTheWholeCommandAndLeavesTheStrangerAsItIs()
    {
        var existing = Exe("t/p/b.1");
        await CommitAsync(Commit(existing, 0, 0, "already", "created"));

        var failure = await Assert.ThrowsAsync<ForeignChildException>(() => CommitAsync(Commit(GrainId.Create("bat", "t/p/b"), 0, 0, "batch", "items_accepted") with
        {
            Spawns = [Commit(Exe("t/p/b.0"), 0, 0, "child0", "created"), Commit(existing, 0, 0, "child1", "created")],
            BatchChildren = [0, 1],
        }));

        Assert.Equal(existing.ToString(), failure.Grain);
        Assert.Null(await Store.Commits.ReadAsync(GrainId.Create("bat", "t/p/b"), CancellationToken.None));
        Assert.Null(await Store.Commits.ReadAsync(Exe("t/p/b.0"), CancellationToken.None));
        Assert.Equal("already", Encoding.UTF8.GetString((await Store.Commits.ReadAsync(existing, CancellationToken.None))!.State.Span));
        Assert.Empty(await Store.Children.AcceptedAmongAsync(GrainId.Create("bat", "t/p/b"), [0, 1], CancellationToken.None));
        await AssertLogMatchesStateAsync(existing);
    }

    [ConformanceFact]
    public async Task CommitAsync_DeleteState_RemovesRowLogAndTimersAndTheGrainCanStartAgain()
    {
        var id = GrainId.Create("idem", "t/p/key");
        await CommitAsync(Commit(id, 0, 0, "bound", "x") with { Timers = [new TimerChange("expire", Now)] });

        var stale = await CommitAsync(Commit(id, 7, 1, "") with { DeleteState = true, Events = [] });
        var deleted = await CommitAsync(Commit(id, 1, 1, "") with { DeleteState = true, Events = [] });

        Assert.Equal(CommitStatus.VersionConflict, stale.Status);
        Assert.Equal(new CommitOutcome(CommitStatus.Committed, 0, 0), deleted);
        Assert.Null(await Store.Commits.ReadAsync(id, CancellationToken.None));
        Assert.Empty(await SeqsAsync(id));
        Assert.Empty(await Store.Timers.ReadDueAsync(Now.AddDays(1), 10, CancellationToken.None));
        Assert.Equal(CommitStatus.Committed, (await CommitAsync(Commit(id, 0, 0, "again", "x"))).Status);
        await AssertLogMatchesStateAsync(id);
    }

    private static ExecutionIndexRow Row(string id, ExecutionStatus status, DateTimeOffset created, DateTimeOffset available, string queue = "q",
        string? batch = null, string task = "t", string? parent = null) =>
        new("t", "p", id, status, task, queue, parent, created, available, batch);

    /// <summary>The ids the queue's claim query returns, in claim order.</summary>
    private async Task<IReadOnlyList<string>> CandidateIdsAsync(string tenant, string project, string queue, DateTimeOffset now, int limit,
        CancellationToken cancellationToken) =>
        [.. (await Store.Index.NextClaimsAsync(tenant, project, queue, now, limit, cancellationToken)).Select(c => c.Id)];

    private Task IndexAsync(ExecutionIndexRow row, long version = 0) =>
        CommitAsync(Commit(Exe($"t/p/{row.Id}"), version, 0, $"state-{row.Id}") with { ExecutionIndex = row });

    [ConformanceFact]
    public async Task ClaimCandidatesAsync_QueuedAndDueOfTheQueue_OldestDueFirst()
    {
        await IndexAsync(Row("late", ExecutionStatus.Queued, Now, Now.AddSeconds(2)));
        await IndexAsync(Row("early", ExecutionStatus.Queued, Now, Now.AddSeconds(-5)));
        await IndexAsync(Row("mid", ExecutionStatus.Queued, Now, Now.AddSeconds(-1)));
        await IndexAsync(Row("future", ExecutionStatus.Queued, Now, Now.AddMinutes(5)));
        await IndexAsync(Row("running", ExecutionStatus.Running, Now, Now.AddSeconds(-9)));
        await IndexAsync(Row("elsewhere", ExecutionStatus.Queued, Now, Now.AddSeconds(-9), queue: "other"));

        var candidates = await CandidateIdsAsync("t", "p", "q", Now.AddSeconds(3), 10, CancellationToken.None);

        Assert.Equal(["early", "mid", "late"], candidates);
        Assert.Equal(["early"], await CandidateIdsAsync("t", "p", "q", Now.AddSeconds(3), 1, CancellationToken.None));
        Assert.Empty(await CandidateIdsAsync("t", "other-project", "q", Now.AddSeconds(3), 10, CancellationToken.None));
    }

    [ConformanceFact]
    public async Task ClaimHolds_PausedBatchOrQueue_HandsOutNothingItCovers_UntilLifted()
    {
        await IndexAsync(Row("solo", ExecutionStatus.Queued, Now, Now.AddSeconds(-3)));
        await IndexAsync(Row("b.0", ExecutionStatus.Queued, Now, Now.AddSeconds(-2), batch: "b"));
        await IndexAsync(Row("c.0", ExecutionStatus.Queued, Now, Now.AddSeconds(-1), batch: "c"));
        var batch = GrainId.Create("bat", "t/p/b");
        var control = GrainId.Create("qctl", "t/p/q");

        await CommitAsync(Commit(batch, 0, 0, "s") with { Hold = new ClaimHold("t", "p", ClaimHoldKind.Batch, "b", true) });
        Assert.Equal(["solo", "c.0"], await CandidateIdsAsync("t", "p", "q", Now, 10, CancellationToken.None));

        await CommitAsync(Commit(control, 0, 0, "s") with { Hold = new ClaimHold("t", "p", ClaimHoldKind.Queue, "q", true) });
        Assert.Empty(await CandidateIdsAsync("t", "p", "q", Now, 10, CancellationToken.None));
        // Setting a hold twice is one hold.
        await CommitAsync(Commit(control, 1, 0, "s") with { Hold = new ClaimHold("t", "p", ClaimHoldKind.Queue, "q", true) });

        await CommitAsync(Commit(control, 2, 0, "s") with { Hold = new ClaimHold("t", "p", ClaimHoldKind.Queue, "q", false) });
        await CommitAsync(Commit(batch, 1, 0, "s") with { Hold = new ClaimHold("t", "p", ClaimHoldKind.Batch, "b", false) });
        Assert.Equal(["solo", "b.0", "c.0"], await CandidateIdsAsync("t", "p", "q", Now, 10, CancellationToken.None));
    }

    [ConformanceFact]
    public async Task CappedChildren_AreClaimedPerBatch_NotWithTheQueuesOtherWork()
    {
        await IndexAsync(Row("solo", ExecutionStatus.Queued, Now, Now.AddSeconds(-3)));
        await IndexAsync(Row("b.1", ExecutionStatus.Queued, Now, Now.AddSeconds(-1), batch: "b") with { Capped = true });
        await IndexAsync(Row("b.0", ExecutionStatus.Queued, Now, Now.AddSeconds(-2), batch: "b") with { Capped = true });
        await IndexAsync(Row("b.2", ExecutionStatus.Running, Now, Now.AddSeconds(-9), batch: "b") with { Capped = true });
        var batch = GrainId.Create("bat", "t/p/b");
        await CommitAsync(Commit(batch, 0, 0, "s") with { Cap = new ConcurrencyCap("t", "p", "q", "b", 4) });

        Assert.Equal(["solo"], await CandidateIdsAsync("t", "p", "q", Now, 10, CancellationToken.None));
        Assert.Equal(new Dictionary<string, int> { ["b"] = 4 }, await Store.Index.CappedBatchesAsync("t", "p", "q", CancellationToken.None));
        var capped = await Store.Index.CappedClaimsAsync("t", "p", "q", "b", Now, 10, CancellationToken.None);
        Assert.Equal([("b.0", "b"), ("b.1", "b")], capped.Select(c => (c.Id, c.CappedBatch!)));
        Assert.Equal(1, await Store.Index.CountLeasedAsync("t", "p", "b", CancellationToken.None));

        // Paused: none; terminal: the batch leaves its queue's list.
        await CommitAsync(Commit(batch, 1, 0, "s") with { Hold = new ClaimHold("t", "p", ClaimHoldKind.Batch, "b", true) });
        Assert.Empty(await Store.Index.CappedClaimsAsync("t", "p", "q", "b", Now, 10, CancellationToken.None));
        await CommitAsync(Commit(batch, 2, 0, "s") with { Cap = new ConcurrencyCap("t", "p", "q", "b", null) });
        Assert.Empty(await Store.Index.CappedBatchesAsync("t", "p", "q", CancellationToken.None));
    }

    [ConformanceFact]
    public async Task ClaimHolds_AreScopedToTheirTenantProjectAndKind()
    {
        await IndexAsync(Row("b.0", ExecutionStatus.Queued, Now, Now, batch: "b"));
        await CommitAsync(Commit(GrainId.Create("bat", "t/other/b"), 0, 0, "s") with { Hold = new ClaimHold("t", "other", ClaimHoldKind.Batch, "b", true) });
        await CommitAsync(Commit(GrainId.Create("qctl", "t/p/b"), 0, 0, "s") with { Hold = new ClaimHold("t", "p", ClaimHoldKind.Queue, "b", true) });
        await CommitAsync(Commit(GrainId.Create("qctl", "t/p/b2"), 0, 0, "s") with { Hold = new ClaimHold("t", "p", ClaimHoldKind.Batch, "q", true) });

        Assert.Equal(["b.0"], await CandidateIdsAsync("t", "p", "q", Now, 10, CancellationToken.None));
    }

    [ConformanceFact]
    public async Task ExistsAsync_FindsOnlyTheProjectsOwnExecution()
    {
        await IndexAsync(Row("e1", ExecutionStatus.Queued, Now, Now));

        Assert.True(await Store.Index.ExistsAsync("t", "p", "e1", CancellationToken.None));
        Assert.False(await Store.Index.ExistsAsync("t", "p", "e2", CancellationToken.None));
        Assert.False(await Store.Index.ExistsAsync("t", "other", "e1", CancellationToken.None));
        Assert.False(await Store.Index.ExistsAsync("u", "p", "e1", CancellationToken.None));
    }

    [ConformanceFact]
    public async Task IndexRow_Upserted_MovesTheExecutionBetweenFilters()
    {
        await IndexAsync(Row("e1", ExecutionStatus.Queued, Now, Now));
        await CommitAsync(Commit(Exe("t/p/e1"), 1, 0, "state-e1") with { ExecutionIndex = Row("e1", ExecutionStatus.Succeeded, Now, Now) });

        Assert.Empty(await CandidateIdsAsync("t", "p", "q", Now.AddSeconds(1), 10, CancellationToken.None));
        var succeeded = await Store.Index.ListAsync("exe", new ExecutionListQuery("t", "p", 10, null) { Status = ExecutionStatus.Succeeded }, null, null, 10,
            CancellationToken.None);
        Assert.Equal(["e1"], succeeded.Select(r => r.Id));
    }

    [ConformanceFact]
    public async Task ListAsync_NewestFirstWithFiltersAndPositionedPages()
    {
        for (var i = 0; i < 5; i++)
        {
            await IndexAsync(Row($"e{i}", i % 2 == 0 ? ExecutionStatus.Queued : ExecutionStatus.Failed, Now.AddSeconds(i), Now, task: i < 3 ? "a" : "b",
                parent: i == 4 ? "p1" : null, batch: i == 1 ? "b1" : null));
        }
        var all = new ExecutionListQuery("t", "p", 10, null);

        var firstTwo = await Store.Index.ListAsync("exe", all, null, null, 2, CancellationToken.None);
        var rest = await Store.Index.ListAsync("exe", all, firstTwo[^1].CreatedAt, firstTwo[^1].Id, 10, CancellationToken.None);

        Assert.Equal(["e4", "e3"], firstTwo.Select(r => r.Id));
        Assert.Equal(["e2", "e1", "e0"], rest.Select(r => r.Id));
        Assert.Equal("state-e3", Encoding.UTF8.GetString(firstTwo[1].State.State.Span));
        Assert.Equal(["e2", "e1", "e0"], (await Store.Index.ListAsync("exe", all with { Task = "a" }, null, null, 10, CancellationToken.None)).Select(r => r.Id));
        Assert.Equal(["e4"], (await Store.Index.ListAsync("exe", all with { ParentId = "p1" }, null, null, 10, CancellationToken.None)).Select(r => r.Id));
        Assert.Equal(["e1"], (await Store.Index.ListAsync("exe", all with { BatchId = "b1" }, null, null, 10, CancellationToken.None)).Select(r => r.Id));
        Assert.Empty(await Store.Index.ListAsync("exe", all with { Tenant = "other" }, null, null, 10, CancellationToken.None));
    }

    [ConformanceFact]
    public async Task CountBatchAsync_ChildrenByStatus()
    {
        await IndexAsync(Row("b.0", ExecutionStatus.Queued, Now, Now, batch: "b"));
        await IndexAsync(Row("b.1", ExecutionStatus.Succeeded, Now, Now, batch: "b"));
        await IndexAsync(Row("b.2", ExecutionStatus.Succeeded, Now, Now, batch: "b"));
        await IndexAsync(Row("x.0", ExecutionStatus.Failed, Now, Now, batch: "x"));

        var counts = await Store.Index.CountBatchAsync("t", "p", "b", CancellationToken.None);

        Assert.Equal(new Dictionary<ExecutionStatus, long> { [ExecutionStatus.Queued] = 1, [ExecutionStatus.Succeeded] = 2 }, counts);
    }

    [ConformanceFact]
    public async Task QueueDepthsAsync_QueuedByQueue_WithReadyCountAndOldestReady()
    {
        await IndexAsync(Row("a1", ExecutionStatus.Queued, Now, Now.AddSeconds(-5), queue: "a"));
        await IndexAsync(Row("a2", ExecutionStatus.Queued, Now, Now.AddSeconds(-1), queue: "a"));
        await IndexAsync(Row("a3", ExecutionStatus.Queued, Now, Now.AddMinutes(5), queue: "a"));
        await IndexAsync(Row("b1", ExecutionStatus.Queued, Now, Now.AddMinutes(5), queue: "b"));
        await IndexAsync(Row("c1", ExecutionStatus.Running, Now, Now.AddSeconds(-9), queue: "c"));

        var queues = await Store.Index.QueueDepthsAsync("t", "p", Now, 10, CancellationToken.None);

        Assert.Equal([new QueueDepth("a", 3, 2, Now.AddSeconds(-5).ToUnixTimeMilliseconds()), new QueueDepth("b", 1, 0, null)], queues);
        Assert.Single(await Store.Index.QueueDepthsAsync("t", "p", Now, 1, CancellationToken.None));
        Assert.Empty(await Store.Index.QueueDepthsAsync("t", "other-project", Now, 10, CancellationToken.None));
    }

    [ConformanceFact]
    public async Task BatchesInFlightAsync_BatchesWithAnUnfinishedChild_NewestFirst()
    {
        await IndexAsync(Row("bat_1.0", ExecutionStatus.Succeeded, Now, Now, batch: "bat_1"));
        await IndexAsync(Row("bat_2.0", ExecutionStatus.Succeeded, Now, Now, batch: "bat_2"));
        await IndexAsync(Row("bat_2.1", ExecutionStatus.Running, Now, Now, batch: "bat_2"));
        await IndexAsync(Row("bat_3.0", ExecutionStatus.Queued, Now, Now, batch: "bat_3"));
        await IndexAsync(Row("bat_3.1", ExecutionStatus.Waiting, Now, Now, batch: "bat_3"));
        await IndexAsync(Row("alone", ExecutionStatus.Queued, Now, Now));

        Assert.Equal(["bat_3", "bat_2"], await Store.Index.BatchesInFlightAsync("t", "p", 10, CancellationToken.None));
        Assert.Equal(["bat_3"], await Store.Index.BatchesInFlightAsync("t", "p", 1, CancellationToken.None));
        Assert.Empty(await Store.Index.BatchesInFlightAsync("t", "other-project", 10, CancellationToken.None));
    }

    [ConformanceFact]
    public async Task BatchChildren_AcceptedCountedPagedAndMissing()
    {
        var batch = GrainId.Create("bat", "t/p/b");
        await CommitAsync(Commit(batch, 0, 0, "s") with { BatchChildren = [0, 2, 5] });
        // An index already there is left as it is.
        await CommitAsync(Commit(batch, 1, 0, "s") with { BatchChildren = [2, 3], CountedChildren = [2] });

        Assert.Equal(new HashSet<int> { 0, 2 }, await Store.Children.AcceptedAmongAsync(batch, [0, 1, 2], CancellationToken.None));
        Assert.Equal(new Dictionary<int, bool> { [0] = false, [2] = true }, await Store.Children.CountedAsync(batch, [0, 1, 2], CancellationToken.None));
        Assert.Equal([2, 3], await Store.Children.ChildrenAsync(batch, 1, 2, CancellationToken.None));
        Assert.Equal([1, 4, 6], await Store.Children.MissingAsync(batch, 7, 10, CancellationToken.None));
        Assert.Equal([1], await Store.Children.MissingAsync(batch, 7, 1, CancellationToken.None));
        Assert.Empty(await Store.Children.AcceptedAmongAsync(GrainId.Create("bat", "t/p/other"), [0, 2], CancellationToken.None));
    }

    [ConformanceFact]
    public async Task ApiKeys_InsertFindListRevoke()
    {
        var key = new ApiKeyInfo("key_1", "acme", "prod", ["executions", "workers"], Now);
        await Store.Keys.InsertAsync(key, "HASH1", CancellationToken.None);
        await Store.Keys.InsertAsync(key with { Id = "key_2" }, "HASH2", CancellationToken.None);

        var found = await Store.Keys.FindAsync("HASH1", CancellationToken.None);
        Assert.Equal(("key_1", "acme", "prod"), (found!.Id, found.Tenant, found.Project));
        Assert.Equal(["executions", "workers"], found.Scopes);
        Assert.Equal(["key_1", "key_2"], (await Store.Keys.ListAsync(CancellationToken.None)).Select(k => k.Id));

        Assert.True(await Store.Keys.RevokeAsync("key_1", Now, CancellationToken.None));
        Assert.False(await Store.Keys.RevokeAsync("key_1", Now, CancellationToken.None));
        Assert.Null(await Store.Keys.FindAsync("HASH1", CancellationToken.None));
        Assert.Equal(["key_2"], (await Store.Keys.ListAsync(CancellationToken.None)).Select(k => k.Id));
    }

    [ConformanceFact]
    public async Task Health_OnAnOpenStore_IsReady() => Assert.True(await Store.Health.IsReadyAsync(CancellationToken.None));

    [ConformanceFact]
    public async Task ReopenAsync_EverythingCommittedIsStillThere()
    {
        var id = Exe("t/p/durable");
        await CommitAsync(Commit(id, 0, 0, "v1", "created", "status") with
        {
            Timers = [new TimerChange("lease", Now)],
            Outbox = [new OutboxMessage(Exe("t/p/x"), "cancel", "r")],
            ExecutionIndex = Row("durable", ExecutionStatus.Queued, Now, Now),
        });

        Store = await Store.ReopenAsync();

        var stored = await Store.Commits.ReadAsync(id, CancellationToken.None);
        Assert.Equal((1L, 2L), (stored!.Version, stored.LastSeq));
        await AssertLogMatchesStateAsync(id);
        Assert.Single(await Store.Timers.ReadDueAsync(Now, 10, CancellationToken.None));
        Assert.Single(await Store.Outbox.ReadAsync(10, CancellationToken.None));
        Assert.Equal(["durable"], await CandidateIdsAsync("t", "p", "q", Now, 10, CancellationToken.None));
    }
}
