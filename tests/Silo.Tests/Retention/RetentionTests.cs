using Levee.Batches;
using Levee.Executions;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Retention;

/// <summary>
/// <c>Levee:Grains:Retention</c>: a terminal execution or batch is deleted that long after it last
/// changed, through its own durable timer; a batch takes its children, their logs and rows with it.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private LeveeTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LeveeTestCluster.StartAsync(_dir.File("levee.db"),
        settings: new Dictionary<string, string?> { ["Levee:Grains:Retention"] = "00:00:01" });

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private long Count(string sql) => _cluster.Database.Read(session => (long)session.With(sql).ExecuteScalar()!);

    [Fact]
    public async Task TerminalExecution_IsDeletedAfterTheRetention_ARunningOneIsKept()
    {
        var done = _cluster.Client.Grain<IExecutionGrain>(new ResourceKey("t", "p", "kept-1s"));
        var running = _cluster.Client.Grain<IExecutionGrain>(new ResourceKey("t", "p", "still-queued"));
        await done.CreateAsync(new CreateExecution { Id = "kept-1s", Task = "t" });
        await running.CreateAsync(new CreateExecution { Id = "still-queued", Task = "t" });
        await done.CancelAsync(new CancelExecution("done"));

        await Eventually(async () => await done.GetAsync() is null);

        Assert.Equal(0, Count("SELECT COUNT(*) FROM events WHERE stream LIKE 'exe/t/p/kept-1s'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM execution_index WHERE id = 'kept-1s'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM timers WHERE grain_key = 't/p/kept-1s'"));
        Assert.NotNull(await running.GetAsync());
    }

    [Fact]
    public async Task TerminalBatch_IsDeletedAfterTheRetention_WithItsChildren()
    {
        var batch = _cluster.Client.Grain<IBatchGrain>(new ResourceKey("t", "p", "bat_r1"));
        await batch.CreateAsync(new CreateBatch { Id = "bat_r1", RunCount = 3, Task = "t", Queue = "rq" });
        await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(0, null, null), new BatchItem(1, null, null)]));
        await batch.CancelAsync(new CancelBatch("stop"));

        await Eventually(async () => await batch.GetAsync() is null && Count("SELECT COUNT(*) FROM grains WHERE grain_key LIKE 't/p/bat_r1%'") == 0);

        Assert.Equal(0, Count("SELECT COUNT(*) FROM batch_children WHERE batch_key = 't/p/bat_r1'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM execution_index WHERE batch_id = 'bat_r1'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM events WHERE stream LIKE '%/t/p/bat_r1%'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM claim_holds WHERE name = 'bat_r1'"));
        Assert.Null(await _cluster.Client.Grain<IExecutionGrain>(new ResourceKey("t", "p", "bat_r1.0")).GetAsync());
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("the condition never held within 30 s");
    }
}
