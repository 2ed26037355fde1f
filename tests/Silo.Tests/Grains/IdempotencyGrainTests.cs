using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using Levee.Grains.Idempotency;
using Levee.Idempotency;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Grains;

/// <summary>One Idempotency-Key mechanism for executions and batches: bound before the create, replayed within the TTL, purged after it.</summary>
public sealed class IdempotencyGrainTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private LeveeTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LeveeTestCluster.StartAsync(_dir.File("levee.db"),
        settings: new Dictionary<string, string?> { ["Levee:Grains:IdempotencyTtl"] = "00:00:02" });

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private IIdempotencyGrain Key(string key) => _cluster.Client.Grain<IIdempotencyGrain>(new ResourceKey("t", "p", key));

    [Fact]
    public async Task CreateExecutionAsync_TwentyRacingRequestsWithOneKey_CreateExactlyOneExecution()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Key("race").CreateExecutionAsync(new CreateExecution { Id = $"exe_generated_{i}", Task = "t" }, idChosenByClient: false)));

        Assert.Single(results, r => r.Outcome.Kind == OutcomeKind.Applied);
        Assert.Equal(19, results.Count(r => r.Replayed));
        Assert.Single(results.Select(r => r.Outcome.Value!.Id).Distinct());
        var rows = _cluster.Database.Read(session => (long)session.With("SELECT COUNT(*) FROM grains WHERE grain_type = 'exe'").ExecuteScalar()!);
        Assert.Equal(1, rows);
    }

    [Fact]
    public async Task CreateExecutionAsync_SameKeyOtherRequest_IsMismatchAndWritesNothing()
    {
        await Key("k").CreateExecutionAsync(new CreateExecution { Id = "first", Task = "t" }, idChosenByClient: true);

        var second = await Key("k").CreateExecutionAsync(new CreateExecution { Id = "second", Task = "t" }, idChosenByClient: true);

        Assert.Equal(ErrorCodes.IdempotencyKeyMismatch, second.Outcome.Rejection?.Code);
        Assert.Null(await _cluster.Client.GetGrain<IExecutionGrain>("t/p/second").GetAsync());
    }

    [Fact]
    public async Task CreateBatchAsync_KeyUsedForAnExecution_IsMismatch()
    {
        await Key("shared").CreateExecutionAsync(new CreateExecution { Id = "e", Task = "t" }, idChosenByClient: true);

        var batch = await Key("shared").CreateBatchAsync(new CreateBatch { Id = "bat_x", RunCount = 1, Task = "t" });

        Assert.Equal(ErrorCodes.IdempotencyKeyMismatch, batch.Outcome.Rejection?.Code);
    }

    [Fact]
    public async Task CreateBatchAsync_Retried_ReplaysTheSameBatchUnderItsFirstId()
    {
        var first = await Key("nightly").CreateBatchAsync(new CreateBatch { Id = "bat_first", RunCount = 3, Task = "t" });
        var retry = await Key("nightly").CreateBatchAsync(new CreateBatch { Id = "bat_retry", RunCount = 3, Task = "t" });

        Assert.Equal((OutcomeKind.Applied, false), (first.Outcome.Kind, first.Replayed));
        Assert.Equal((OutcomeKind.Unchanged, true, "bat_first"), (retry.Outcome.Kind, retry.Replayed, retry.Outcome.Value!.Id));
        Assert.Null(await _cluster.Client.GetGrain<IBatchGrain>("t/p/bat_retry").PeekAsync());
    }

    [Fact]
    public async Task InvalidRequest_IsRefusedWithoutBindingTheKey()
    {
        var invalid = await Key("fresh").CreateExecutionAsync(new CreateExecution { Id = "e1", Task = "" }, idChosenByClient: true);
        var valid = await Key("fresh").CreateExecutionAsync(new CreateExecution { Id = "e2", Task = "t" }, idChosenByClient: true);

        Assert.Equal(ErrorCodes.ValidationFailed, invalid.Outcome.Rejection?.Code);
        Assert.Equal(OutcomeKind.Applied, valid.Outcome.Kind);
    }

    [Fact]
    public async Task Binding_AfterItsTtl_IsPurgedByItsTimerAndTheKeyCanBeUsedAgain()
    {
        await Key("short").CreateExecutionAsync(new CreateExecution { Id = "one", Task = "t" }, idChosenByClient: true);
        var id = Orleans.Runtime.GrainId.Create(IdempotencyGrain.TypeName, "t/p/short");
        Assert.NotNull(await _cluster.Get<Levee.Grains.Storage.ICommitStore>().ReadAsync(id, CancellationToken.None));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await _cluster.Get<Levee.Grains.Storage.ICommitStore>().ReadAsync(id, CancellationToken.None) is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Null(await _cluster.Get<Levee.Grains.Storage.ICommitStore>().ReadAsync(id, CancellationToken.None));
        var reuse = await Key("short").CreateExecutionAsync(new CreateExecution { Id = "two", Task = "t" }, idChosenByClient: true);
        Assert.Equal((OutcomeKind.Applied, "two"), (reuse.Outcome.Kind, reuse.Outcome.Value!.Id));
    }
}
