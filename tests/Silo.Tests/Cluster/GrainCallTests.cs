using Levee.Executions;
using Levee.Grains.Executions;
using Levee.Queues;
using Levee.Silo.Tests.Infrastructure;
using Levee.Streams;
using Microsoft.Extensions.Logging.Abstractions;

namespace Levee.Silo.Tests.Cluster;

/// <summary>Levee's grains called as Orleans grains, from an Orleans client and across two silos on one SQLite store.</summary>
public sealed class GrainCallTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private LeveeTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LeveeTestCluster.StartAsync(_dir.File("levee.db"),
        settings: new Dictionary<string, string?> { ["Levee:Runtime:IdleTimeout"] = "00:00:03", ["Levee:Runtime:CollectionInterval"] = "00:00:01" });

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task ExecutionGrain_FromAnOrleansClient_RunsItsLifecycleAndEverySiloReadsIt()
    {
        var grain = _cluster.Client.Grain<IExecutionGrain>(new ResourceKey("acme", "prod", "order-1"));

        var created = await grain.CreateAsync(new CreateExecution { Id = "order-1", Task = "send-email", Input = System.Text.Json.JsonDocument.Parse("""{"to":"ada"}""").RootElement });
        await grain.WriteStatusAsync(new WriteStatus(ExecutionStatus.Running));
        var done = await grain.WriteStatusAsync(new WriteStatus(ExecutionStatus.Succeeded, Output: System.Text.Json.JsonDocument.Parse("{\"sent\":true}").RootElement));

        Assert.Equal(Levee.Errors.OutcomeKind.Applied, created.Kind);
        Assert.Equal(ExecutionStatus.Succeeded, done.Value!.Status);
        Assert.Equal("ada", created.Value!.Input!.Value.GetProperty("to").GetString());
        for (var silo = 0; silo < 2; silo++)
        {
            var view = await _cluster.GrainsOn(silo).GetGrain<IExecutionGrain>("acme/prod/order-1").GetAsync();
            Assert.Equal((ExecutionStatus.Succeeded, 3L, 3L), (view!.Status, view.Version, view.LastEventSeq));
            Assert.True(view.Output!.Value.GetProperty("sent").GetBoolean());
        }
    }

    [Fact]
    public async Task EventFollower_FromASequenceNumber_ReplaysThenFollowsLiveWithoutGapsOrRepeats()
    {
        var grain = _cluster.Client.GetGrain<IExecutionGrain>("t/p/followed");
        await grain.CreateAsync(new CreateExecution { Id = "followed", Task = "t" });
        await grain.AppendOutputAsync(new AppendOutput([Json("1"), Json("2")]));
        await using var hub = new GrainWatchHub(_cluster.Client, NullLogger<GrainWatchHub>.Instance);
        var follower = new EventFollower(_cluster.Client, hub);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var seen = new List<long>();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                // Written through another silo than the one the follower reads from.
                await _cluster.GrainsOn(1).GetGrain<IExecutionGrain>("t/p/followed").AppendOutputAsync(new AppendOutput([Json($"{i}")]));
            }
        });
        await foreach (var e in follower.EventsAsync(grain.GetGrainId(), fromSeq: 2, timeout.Token))
        {
            seen.Add(e.Seq);
            if (e.Seq == 23)
            {
                break;
            }
        }
        await writer;

        Assert.Equal(Enumerable.Range(2, 22).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task EventFollower_ManyFollowersOfOneStream_EachSeesEveryEventOnceInOrder()
    {
        // Followers woken by one notification share one read; those that start elsewhere in the log do not.
        var grain = _cluster.Client.GetGrain<IExecutionGrain>("t/p/crowd-followed");
        await grain.CreateAsync(new CreateExecution { Id = "crowd-followed", Task = "t" });
        await using var hub = new GrainWatchHub(_cluster.Client, NullLogger<GrainWatchHub>.Instance);
        var follower = new EventFollower(_cluster.Client, hub);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        const long last = 41;

        async Task<List<long>> FollowAsync(long from)
        {
            var seen = new List<long>();
            await foreach (var e in follower.EventsAsync(grain.GetGrainId(), from, timeout.Token))
            {
                seen.Add(e.Seq);
                if (e.Seq == last)
                {
                    break;
                }
            }
            return seen;
        }
        var starts = Enumerable.Range(0, 24).Select(i => i % 3 == 0 ? 1L + i : 1L).ToArray();
        var followers = starts.Select(from => Task.Run(() => FollowAsync(from))).ToArray();
        for (var i = 0; i < 40; i++)
        {
            await _cluster.GrainsOn(1).GetGrain<IExecutionGrain>("t/p/crowd-followed").AppendOutputAsync(new AppendOutput([Json($"{i}")]));
        }

        var results = await Task.WhenAll(followers);
        for (var f = 0; f < starts.Length; f++)
        {
            Assert.Equal(Enumerable.Range((int)starts[f], (int)(last - starts[f] + 1)).Select(i => (long)i), results[f]);
        }
    }

    [Fact]
    public async Task QueueClaimer_WaitingThroughOneSilo_WakesForWorkCreatedThroughAnother()
    {
        await using var hub = new GrainWatchHub(_cluster.GrainsOn(0), NullLogger<GrainWatchHub>.Instance);
        var claimer = new QueueClaimer(_cluster.GrainsOn(0), hub);

        var claim = claimer.ClaimAsync("t", "p", "wake", "w1", 1, TimeSpan.FromSeconds(20), CancellationToken.None);
        await Task.Delay(300);
        Assert.False(claim.IsCompleted);
        await _cluster.GrainsOn(1).GetGrain<IExecutionGrain>("t/p/work").CreateAsync(new CreateExecution { Id = "work", Task = "t", Queue = "wake" });

        var claims = await claim.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("work", Assert.Single(claims).Execution.Id);
    }

    [Fact]
    public async Task QueueClaimer_ManyClaimersOnOneQueue_NeverGetTheSameAttemptTwice()
    {
        for (var i = 0; i < 60; i++)
        {
            await _cluster.Client.GetGrain<IExecutionGrain>($"t/p/c{i}").CreateAsync(new CreateExecution { Id = $"c{i}", Task = "t", Queue = "crowd" });
        }
        await using var hub = new GrainWatchHub(_cluster.Client, NullLogger<GrainWatchHub>.Instance);
        var claimer = new QueueClaimer(_cluster.Client, hub);

        var rounds = await Task.WhenAll(Enumerable.Range(0, 30).Select(w => claimer.ClaimAsync("t", "p", "crowd", $"w{w}", 3, TimeSpan.FromSeconds(2), CancellationToken.None)));

        var ids = rounds.SelectMany(r => r).Select(c => c.Execution.Id).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(60, ids.Length);
    }

    [Fact]
    public async Task IdleActivation_IsCollectedWithinTheIdleTimeout()
    {
        var grain = _cluster.Client.GetGrain<IExecutionGrain>("t/p/idle");
        await grain.CreateAsync(new CreateExecution { Id = "idle", Task = "t" });
        Assert.True(_cluster.Cluster.TryGetGrainContext(grain.GetGrainId(), out _));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_cluster.Cluster.TryGetGrainContext(grain.GetGrainId(), out _) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.False(_cluster.Cluster.TryGetGrainContext(grain.GetGrainId(), out _), "the idle activation was collected");
        Assert.Equal(ExecutionStatus.Queued, (await grain.GetAsync())!.Status);
    }

    [Fact]
    public async Task QueueGrain_EmptyPollWithoutWaiters_LeavesNoActivationBehind()
    {
        var queue = _cluster.Client.GetGrain<IQueueGrain>("t/p/nothing-here");

        Assert.Empty((await queue.ClaimAsync("w", 1)).Claims);

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_cluster.Cluster.TryGetGrainContext(queue.GetGrainId(), out _) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.False(_cluster.Cluster.TryGetGrainContext(queue.GetGrainId(), out _));
    }

    [Fact]
    public async Task QueueClaimer_MoreThan256ConcurrentClaimers_EachGetsOneAndNoneTwice()
    {
        const int claimers = 300;
        await Task.WhenAll(Enumerable.Range(0, claimers).Select(i =>
            _cluster.Client.GetGrain<IExecutionGrain>($"t/p/m{i}").CreateAsync(new CreateExecution { Id = $"m{i}", Task = "t", Queue = "many" })));
        await using var hub = new GrainWatchHub(_cluster.Client, NullLogger<GrainWatchHub>.Instance);
        var claimer = new QueueClaimer(_cluster.Client, hub);

        var rounds = await Task.WhenAll(Enumerable.Range(0, claimers).Select(w =>
            claimer.ClaimAsync("t", "p", "many", $"w{w}", 1, TimeSpan.FromSeconds(20), CancellationToken.None)));

        var ids = rounds.SelectMany(r => r).Select(c => c.Execution.Id).ToArray();
        Assert.Equal(claimers, ids.Length);
        Assert.Equal(claimers, ids.Distinct().Count());
    }

    [Fact]
    public async Task QueueGrain_AClaimThatFailsAfterReserving_ReleasesItAndSignalsTheQueue()
    {
        // An execution whose state row cannot be read: its claim throws inside the queue's round.
        var now = DateTimeOffset.UtcNow;
        var poisoned = Levee.Grains.Executions.ExecutionGrain.IdOf(new ResourceKey("t", "p", "poisoned"));
        await _cluster.Get<Levee.Grains.Storage.ICommitStore>().CommitAsync(new Levee.Grains.Storage.GrainCommit
        {
            Id = poisoned, ExpectedVersion = 0, ExpectedLastSeq = 0, State = "not json"u8.ToArray(), Events = [],
            ExecutionIndex = new Levee.Grains.Storage.ExecutionIndexRow("t", "p", "poisoned", ExecutionStatus.Queued, "t", "poison", null, now, now),
        }, CancellationToken.None);
        var queue = _cluster.Client.GetGrain<IQueueGrain>("t/p/poison");
        await using var hub = new GrainWatchHub(_cluster.Client, NullLogger<GrainWatchHub>.Instance);
        using var watch = hub.Watch(queue.GetGrainId());
        await watch.Ready;
        var seen = watch.Version;

        var round = await queue.ClaimAsync("w", 1);

        Assert.Empty(round.Claims);
        Assert.True(await watch.WaitAsync(seen, TimeSpan.FromSeconds(10), CancellationToken.None), "the failed claim signalled the queue's watchers");
        // The reservation was released: the next round reserves and tries it again (and fails again) instead of looking past it.
        Assert.True((await queue.ClaimAsync("w", 1)).Contended);
    }

    private static System.Text.Json.JsonElement Json(string text) => System.Text.Json.JsonDocument.Parse(text).RootElement;
}
