using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Batches;
using Levee.Grains.Durable;
using Levee.Grains.Executions;
using Levee.Silo.Tests.Infrastructure;
using Levee.Streams;

namespace Levee.Silo.Tests.Batches;

/// <summary>
/// The outbox is at-least-once and unordered: here messages are delivered by hand (the test
/// cluster runs no dispatcher), twice, out of order and forged, to show the receivers absorb it.
/// </summary>
public sealed class BatchOutboxTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private LeveeTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LeveeTestCluster.StartAsync(_dir.File("levee.db"), silos: 1, pollers: false);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private IGrainFactory Grains => _cluster.Client;

    private Task<bool> DeliverAsync(GrainId target, params Message[] messages) => Grains.GetGrain<IOutboxReceiver>(target).ReceiveMessagesAsync(messages);

    private static Message Finished(int index, ExecutionStatus status) => new(OutboxKinds.ChildFinished, $"{index}:{status.ToWire()}");

    [Fact]
    public async Task ChildFinished_DuplicatedOutOfOrderAndForged_CountsExactlyAndFinishesOnce()
    {
        var batch = Grains.GetGrain<IBatchGrain>("t/p/b1");
        await batch.CreateAsync(new CreateBatch { Id = "b1", RunCount = 3, Task = "t", Queue = "q" });
        await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(0, null, null), new BatchItem(1, null, null), new BatchItem(2, null, null)]));
        var batchId = BatchGrain.IdOf(new ResourceKey("t", "p", "b1"));

        // A message for an index the batch never accepted is ignored.
        Assert.True(await DeliverAsync(batchId, Finished(7, ExecutionStatus.Succeeded)));
        await FinishChildAsync("b1.0", ExecutionStatus.Succeeded);
        await FinishChildAsync("b1.1", ExecutionStatus.Failed);
        await FinishChildAsync("b1.2", ExecutionStatus.Succeeded);
        // The children's terminal commits each wrote exactly one message to the batch.
        Assert.Equal(3, CountOutbox("bat", OutboxKinds.ChildFinished));

        // Out of order, each twice or three times: one at a time, then as one outbox round.
        foreach (var index in new[] { 2, 0, 2 })
        {
            Assert.True(await DeliverAsync(batchId, Finished(index, index == 1 ? ExecutionStatus.Failed : ExecutionStatus.Succeeded)));
        }
        Assert.True(await DeliverAsync(batchId, Finished(1, ExecutionStatus.Failed), Finished(0, ExecutionStatus.Succeeded), Finished(1, ExecutionStatus.Failed),
            Finished(2, ExecutionStatus.Succeeded), Finished(1, ExecutionStatus.Failed)));

        var view = (await batch.GetAsync())!;
        Assert.Equal(BatchStatus.PartialFailed, view.Status);
        Assert.Equal((2L, 1L), (view.Counts.Succeeded, view.Counts.Failed));
        var log = await ReadTypesAsync(batchId);
        Assert.Equal(3, log.Count(t => t == "child_finished"));
        Assert.Single(log, t => t == "partial_failed");
    }

    [Fact]
    public async Task BatchFinished_DeliveredTwice_ResumesTheWaiterOnce()
    {
        var parent = Grains.GetGrain<IExecutionGrain>("t/p/parent");
        await parent.CreateAsync(new CreateExecution { Id = "parent", Task = "t", Queue = "pq" });
        var claim = (await parent.ClaimAsync(new ClaimExecution("w", "lease-1"))).Value!;
        var batch = Grains.GetGrain<IBatchGrain>("t/p/b2");
        await batch.CreateAsync(new CreateBatch { Id = "b2", RunCount = 1, Task = "t", Queue = "q" });
        Assert.Equal(OutcomeKind.Applied, (await parent.WaitForBatchAsync(new WaitForBatch(claim.LeaseId, "b2"))).Kind);
        // The suspension registered the parent with the batch through the outbox.
        Assert.Equal(1, CountOutbox("bat", OutboxKinds.AttachWaiter));
        var batchId = BatchGrain.IdOf(new ResourceKey("t", "p", "b2"));
        Assert.True(await DeliverAsync(batchId, new Message(OutboxKinds.AttachWaiter, "parent")));
        Assert.True(await DeliverAsync(batchId, new Message(OutboxKinds.AttachWaiter, "parent")));
        await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(0, null, null)]));
        await FinishChildAsync("b2.0", ExecutionStatus.Succeeded);
        await DeliverAsync(batchId, Finished(0, ExecutionStatus.Succeeded));
        Assert.Equal(BatchStatus.Completed, (await batch.GetAsync())!.Status);
        Assert.Equal(1, CountOutbox("exe", OutboxKinds.BatchFinished));

        // Delivered twice, the way the dispatcher delivers.
        for (var i = 0; i < 2; i++)
        {
            await DeliverAsync(ExecutionGrain.IdOf(new ResourceKey("t", "p", "parent")), new Message(OutboxKinds.BatchFinished, "b2"));
        }

        var view = (await parent.GetAsync())!;
        Assert.Equal(ExecutionStatus.Queued, view.Status);
        Assert.Equal(BatchStatus.Completed, view.BatchSummary?.Status);
        Assert.Single(await ReadTypesAsync(ExecutionGrain.IdOf(new ResourceKey("t", "p", "parent"))), t => t == "queued");
    }

    [Fact]
    public async Task ChildrenFinishedBeforeTheSeal_SealAndFinishCommitTogether_RetryIsSuccess()
    {
        var batch = Grains.GetGrain<IBatchGrain>("t/p/b3");
        var batchId = BatchGrain.IdOf(new ResourceKey("t", "p", "b3"));
        await batch.CreateAsync(new CreateBatch { Id = "b3", RunCount = 2, Task = "t", Queue = "q" });
        await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(0, null, null)]));
        await FinishChildAsync("b3.0", ExecutionStatus.Succeeded);
        await DeliverAsync(batchId, Finished(0, ExecutionStatus.Succeeded));
        var last = await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(1, null, null)]));
        Assert.Equal(BatchStatus.Processing, last.Value!.Batch.Status);
        await FinishChildAsync("b3.1", ExecutionStatus.Succeeded);
        await DeliverAsync(batchId, Finished(1, ExecutionStatus.Succeeded));

        var retry = await batch.AcceptItemsAsync(new AcceptItems([new BatchItem(0, null, null), new BatchItem(1, null, null)]));
        Assert.Equal(OutcomeKind.Unchanged, retry.Kind);
        Assert.Equal((BatchStatus.Completed, true, 0), (retry.Value!.Batch.Status, retry.Value.Batch.Sealed, retry.Value.Accepted));
    }

    [Fact]
    public async Task AttachWaiter_OnAFinishedBatch_ResumesAtOnceAndAgainOnEveryDelivery()
    {
        var batch = Grains.GetGrain<IBatchGrain>("t/p/b4");
        await batch.CreateAsync(new CreateBatch { Id = "b4", RunCount = 1, Task = "t", Queue = "q" });
        await batch.CancelAsync(new CancelBatch());
        var batchId = BatchGrain.IdOf(new ResourceKey("t", "p", "b4"));

        await DeliverAsync(batchId, new Message(OutboxKinds.AttachWaiter, "late"));
        await DeliverAsync(batchId, new Message(OutboxKinds.AttachWaiter, "late"));

        // Each delivery re-sends the resume: the waiter may have been running when an earlier one arrived.
        Assert.Equal(2, CountOutbox("exe", OutboxKinds.BatchFinished));
    }

    private async Task FinishChildAsync(string childId, ExecutionStatus status)
    {
        var outcome = await Grains.GetGrain<IExecutionGrain>($"t/p/{childId}").WriteStatusAsync(new WriteStatus(status));
        Assert.True(outcome.IsSuccess, outcome.Rejection?.Detail);
    }

    private async Task<List<string>> ReadTypesAsync(GrainId stream) =>
        (await Grains.GetGrain<IEventLogGrain>(IEventLogGrain.Key).ReadAsync(stream, 1, 1000, EventPage.MaxBytes)).Events.Select(e => e.Type).ToList();

    private long CountOutbox(string targetType, string kind) => _cluster.Database.Read(session =>
        (long)session.With("SELECT COUNT(*) FROM outbox WHERE target_type = $t AND kind = $k", ("$t", targetType), ("$k", kind)).ExecuteScalar()!);
}
