using System.Globalization;
using Levee.Batches;
using Levee.Executions;
using Levee.Grains.Durable;
using Levee.Grains.Executions;
using Levee.Grains.Quotas;
using Levee.Grains.Storage;

namespace Levee.Grains.Batches;

/// <summary>
/// Builds what one batch command commits: its state and events, its seal timer, the children a
/// Phase-2 chunk creates (each exactly as its own grain would commit its create) with their
/// dedupe rows, the children counted, and the messages its rules send: cancel every child on an
/// abort, resume the waiting executions once it is terminal.
/// </summary>
internal static class BatchCommits
{
    /// <summary>Child rows read per page when an abort cancels every child.</summary>
    private const int ChildPage = 10_000;

    // after: null once the deleted batch's last child is gone. retention: how long a terminal batch is kept (null: for ever).
    // quota: the tenant's storage quota, checked on create with room for all runCount children.
    public static async ValueTask<GrainCommit> BuildAsync(GrainId id, ResourceKey key, BatchState? before, BatchState? after,
        IReadOnlyList<BatchEvent> events, long version, long lastSeq, DateTimeOffset now, IBatchChildren children, TimeSpan? retention = null,
        TenantQuota? quota = null)
    {
        if (after is null)
        {
            // Its children are gone already; its own rows go now, with what it registered elsewhere.
            var last = before ?? throw new InvalidOperationException("A batch that does not exist cannot be deleted — a bug.");
            return new GrainCommit
            {
                Id = id, Tenant = key.Tenant, ExpectedVersion = version, ExpectedLastSeq = lastSeq, State = ReadOnlyMemory<byte>.Empty, Events = [],
                DeleteState = true,
                Cap = last.Ceilings?.MaxConcurrency is null ? null : new ConcurrencyCap(key.Tenant, key.Project, last.Queue, last.Id, null),
                Hold = new ClaimHold(key.Tenant, key.Project, ClaimHoldKind.Batch, last.Id, false),
            };
        }
        var purged = events.OfType<BatchChildrenPurged>().SelectMany(e => e.Indexes).ToArray();
        var newItems = events.OfType<BatchItemsAccepted>().SelectMany(e => e.NewItems).ToArray();
        var outbox = Resumes(before, after, events)
            .Select(executionId => new OutboxMessage(ExecutionGrain.IdOf(key.With(executionId)), OutboxKinds.BatchFinished, after.Id))
            .ToList();
        if (events.OfType<BatchAborted>().Any())
        {
            await foreach (var index in AllChildrenAsync(children, id))
            {
                outbox.Add(new OutboxMessage(ExecutionGrain.IdOf(key.With(ChildId(after.Id, index))), OutboxKinds.Cancel, "batch aborted"));
            }
        }
        return new GrainCommit
        {
            Id = id,
            Tenant = key.Tenant,
            Quota = before is null ? quota?.Check(after.RunCount) : null,
            ExpectedVersion = version,
            ExpectedLastSeq = lastSeq,
            State = BatchCodec.WriteState(after),
            Events = events.Select(BatchCodec.ToLogEvent).ToArray(),
            Timers = BatchTimers.Diff(before, after, retention),
            Spawns = newItems.Select(item => SpawnChild(key, after, item, now)).ToArray(),
            BatchChildren = newItems.Select(item => item.Index).ToArray(),
            CountedChildren = events.OfType<BatchChildFinished>().Select(e => e.Index).ToArray(),
            Cap = Cap(key, before, after),
            Hold = before is not null && Held(before) != Held(after) ? new ClaimHold(key.Tenant, key.Project, ClaimHoldKind.Batch, after.Id, Held(after)) : null,
            Outbox = outbox,
            Purges = purged.Select(index => ChildPurge(key, after.Id, index)).ToArray(),
            RemovedBatchChildren = purged,
        };
    }

    /// <summary>A child removed with its deleted batch: its grain's rows and its index row.</summary>
    private static GrainPurge ChildPurge(ResourceKey key, string batchId, int index)
    {
        var child = key.With(ChildId(batchId, index));
        return new GrainPurge(ExecutionGrain.IdOf(child), new ExecutionIndexKey(child.Tenant, child.Project, child.Id));
    }

    /// <summary>
    /// Who to resume: everyone waiting when the batch becomes terminal; and a waiter that attaches
    /// to an already terminal batch, at once.
    /// </summary>
    public static IEnumerable<string> Resumes(BatchState? before, BatchState after, IReadOnlyList<BatchEvent> events)
    {
        if (!after.IsTerminal)
        {
            return [];
        }
        if (before?.IsTerminal != true)
        {
            return after.ToResume();
        }
        return events.OfType<BatchParentAttached>().Select(e => e.ParentId).Distinct(StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether claims must skip the batch's children: while paused, and from the abort on (its
    /// queued children are cancelled one by one through the outbox; none may start meanwhile).
    /// </summary>
    private static bool Held(BatchState state) => state.Paused || state.Status == BatchStatus.Aborted;

    /// <summary>A capped batch registers with its queue when created and leaves it once terminal (its children are then no longer handed out).</summary>
    private static ConcurrencyCap? Cap(ResourceKey key, BatchState? before, BatchState after) =>
        after.Ceilings?.MaxConcurrency is not { } cap ? null
        : before is null ? new ConcurrencyCap(key.Tenant, key.Project, after.Queue, after.Id, cap)
        : after.IsTerminal && !before.IsTerminal ? new ConcurrencyCap(key.Tenant, key.Project, after.Queue, after.Id, null)
        : null;

    /// <summary>A child's id: <c>{batchId}.{index}</c>.</summary>
    public static string ChildId(string batchId, int index) => $"{batchId}.{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The child's first commit, exactly as its own grain would have made it on create.</summary>
    private static GrainCommit SpawnChild(ResourceKey key, BatchState batch, BatchItem item, DateTimeOffset now)
    {
        var create = new CreateExecution
        {
            Id = ChildId(batch.Id, item.Index), Task = item.Task ?? batch.Task!, Queue = batch.Queue, Input = item.Input, Retry = batch.Retry,
            Timeouts = batch.Timeouts, ParentId = batch.ParentId, Tags = item.Tags ?? batch.Tags, Metadata = item.Metadata ?? batch.Metadata,
            BatchId = batch.Id, BatchIndex = item.Index, ConcurrencyCapped = batch.Ceilings?.MaxConcurrency is not null,
        };
        var events = ExecutionDecider.Decide(null, create, now).Events;
        var state = ExecutionDecider.Fold(null, events)!;
        return ExecutionCommits.Build(ExecutionGrain.IdOf(key.With(create.Id)), key.With(create.Id), null, state, events, 0, 0);
    }

    private static async IAsyncEnumerable<int> AllChildrenAsync(IBatchChildren children, GrainId batch)
    {
        for (var from = 0; ;)
        {
            var page = await children.ChildrenAsync(batch, from, ChildPage, CancellationToken.None);
            foreach (var child in page)
            {
                yield return child;
            }
            if (page.Count < ChildPage)
            {
                yield break;
            }
            from = page[^1] + 1;
        }
    }
}
