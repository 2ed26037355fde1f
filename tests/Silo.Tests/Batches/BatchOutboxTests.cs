using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Runtime;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Batches;

/// <summary>
/// The outbox is at-least-once and unordered: here messages are delivered by hand (the test silo
/// runs no dispatcher), twice, and before their cause, to show the receivers absorb it.
/// </summary>
public sealed class BatchOutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task ChildFinished_DuplicatedAndEarly_CountsExactlyAndFinishesOnce()
    {
        await using var silo = new TestSilo(_dir.File("levee.db"));
        var batch = silo.Grains.GetGrain<IBatchGrain>("t/p/b1");
        await batch.CreateAsync(new CreateBatch { Id = "b1", RunCount = 3, Task = "t", Queue = "q" });
        await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(0, null, null), new BatchItem(1, null, null), new BatchItem(2, null, null)]));

        // Delivered before the child finished: nothing to count yet.
        await batch.ChildrenFinishedAsync([0]);
        await FinishChildAsync(silo, "b1.0", ExecutionStatus.Succeeded);
        await FinishChildAsync(silo, "b1.1", ExecutionStatus.Failed);
        await FinishChildAsync(silo, "b1.2", ExecutionStatus.Succeeded);

        // Out of order, each twice or three times: one at a time, then as one outbox round.
        foreach (var index in new[] { 2, 0, 2 })
        {
            Assert.True(await batch.ChildrenFinishedAsync([index]));
        }
        Assert.True(await batch.ChildrenFinishedAsync([1, 0, 1, 2, 1]));

        var view = (await batch.GetAsync())!;
        Assert.Equal(BatchStatus.PartialFailed, view.Status);
        Assert.Equal((2L, 1L), (view.Counts.Succeeded, view.Counts.Failed));
        var log = await ReadTypesAsync(silo, GrainIds.For<IBatchGrain>("t/p/b1"));
        Assert.Equal(3, log.Count(t => t == "child_finished"));
        Assert.Single(log, t => t == "partial_failed");
        // The children's terminal commits each wrote exactly one message to the batch.
        Assert.Equal(3, CountOutbox(silo, "bat", OutboxKinds.ChildFinished));
    }

    [Fact]
    public async Task BatchFinished_DeliveredTwice_ResumesTheParentOnce()
    {
        await using var silo = new TestSilo(_dir.File("levee.db"));
        var parent = silo.Grains.GetGrain<IExecutionGrain>("t/p/parent");
        await parent.CreateAsync(new CreateExecution { Id = "parent", Task = "t", Queue = "pq" });
        var claim = (await parent.ClaimAsync(new ClaimExecution("w", "lease-1"))).Value!;
        var batch = silo.Grains.GetGrain<IBatchGrain>("t/p/b2");
        await batch.CreateAsync(new CreateBatch { Id = "b2", RunCount = 1, Task = "t", Queue = "q", ParentId = "parent", ResumeParent = true });
        Assert.Equal(OutcomeKind.Applied, (await parent.WaitForBatchAsync(new WaitForBatch(claim.LeaseId, "b2"))).Kind);
        await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(0, null, null)]));
        await FinishChildAsync(silo, "b2.0", ExecutionStatus.Succeeded);
        await batch.ChildrenFinishedAsync([0]);
        Assert.Equal(BatchStatus.Completed, (await batch.GetAsync())!.Status);
        Assert.Equal(1, CountOutbox(silo, "exe", OutboxKinds.BatchFinished));

        // Delivered twice, the way the dispatcher delivers.
        var parentId = GrainIds.For<IExecutionGrain>("t/p/parent");
        for (var i = 0; i < 2; i++)
        {
            await silo.Runtime.InvokeAsync(parentId, grain => ((IMessageReceiver)grain).ReceiveMessagesAsync([new OutboxMessage(parentId, OutboxKinds.BatchFinished, "b2")]));
        }

        var view = (await parent.GetAsync())!;
        Assert.Equal(ExecutionStatus.Queued, view.Status);
        Assert.Equal(BatchStatus.Completed, view.BatchSummary?.Status);
        var log = await ReadTypesAsync(silo, GrainIds.For<IExecutionGrain>("t/p/parent"));
        Assert.Single(log, t => t == "queued");
    }

    [Fact]
    public async Task ChildrenFinishedBeforeTheSeal_SealAndFinishCommitTogether_RetryIsSuccess()
    {
        await using var silo = new TestSilo(_dir.File("levee.db"));
        var batch = silo.Grains.GetGrain<IBatchGrain>("t/p/b3");
        await batch.CreateAsync(new CreateBatch { Id = "b3", RunCount = 2, Task = "t", Queue = "q" });
        await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(0, null, null)]));
        await FinishChildAsync(silo, "b3.0", ExecutionStatus.Succeeded);
        await batch.ChildrenFinishedAsync([0]);
        // The last item arrives; its child finishes and is counted before... the seal is the same commit as the finish.
        var last = await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(1, null, null)]));
        Assert.Equal(BatchStatus.Processing, last.Value!.Batch.Status);
        await FinishChildAsync(silo, "b3.1", ExecutionStatus.Succeeded);
        await batch.ChildrenFinishedAsync([1]);

        var retry = await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(0, null, null), new BatchItem(1, null, null)]));
        Assert.Equal(OutcomeKind.Unchanged, retry.Kind);
        Assert.Equal((BatchStatus.Completed, true, 0), (retry.Value!.Batch.Status, retry.Value.Batch.Sealed, retry.Value.Accepted));
    }

    private static async Task FinishChildAsync(TestSilo silo, string childId, ExecutionStatus status)
    {
        var child = silo.Grains.GetGrain<IExecutionGrain>($"t/p/{childId}");
        var outcome = await child.WriteStatusAsync(new WriteStatus(status));
        Assert.True(outcome.IsSuccess, outcome.Rejection?.Detail);
    }

    private static async Task<List<string>> ReadTypesAsync(TestSilo silo, GrainId stream) =>
        (await silo.Get<Levee.Streams.IEventLog>().ReadAsync(stream, 1, 10_000, default)).Select(e => e.Type).ToList();

    private static long CountOutbox(TestSilo silo, string targetType, string kind) => silo.Database.Read(session =>
        (long)session.With("SELECT COUNT(*) FROM outbox WHERE target_type = $t AND kind = $k", ("$t", targetType), ("$k", kind)).ExecuteScalar()!);

    public void Dispose() => _dir.Dispose();
}
