using System.Globalization;
using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using Levee.Grains.Runtime;
using Levee.Runtime;

namespace Levee.Grains.Batches;

/// <summary>
/// The shell around <see cref="BatchDecider"/>. A Phase-2 chunk commits in one transaction: the
/// batch's state and event, the children's dedupe rows, and the children themselves (state,
/// <c>created</c> event, index row, timers) — so an acknowledged item always has its child, and a
/// retried chunk finds its indexes already taken.
/// </summary>
internal sealed class BatchGrain(IGrainContext context, IGrainStorage storage, IBatchStore store, TimeProvider clock, GrainOptions options,
    IQueueNotifier queues) : IBatchGrain, IMessageReceiver
{
    private const string SealTimer = "seal";

    private readonly (string Tenant, string Project, string Id) _key = ExecutionKey.Parse(context.Id.Key);
    private readonly CommittedState<BatchState> _committed = new(context.Id, storage, clock, json => BatchCodec.ReadState(json.Span));

    private BatchState? Current => _committed.State;
    private long Version => _committed.Version;
    private long LastSeq => _committed.LastSeq;

    public async Task<Outcome<BatchView>> CreateAsync(CreateBatch command) =>
        ToOutcome(await RunAsync((s, now) => BatchDecider.Decide(s, command, options.MaxBatchRunCount, now)));

    public async Task<BatchView?> GetAsync()
    {
        await EnsureFreshAsync();
        return Current?.ToView(Version, LastSeq, store.Counts(_key.Tenant, _key.Project, _key.Id));
    }

    public async Task<BatchView?> PeekAsync()
    {
        await EnsureFreshAsync();
        return Current?.ToView(Version, LastSeq);
    }

    public async Task<Outcome<ItemsAccepted>> AcceptItemsAsync(AcceptItems command)
    {
        var indexes = command.Items.Select(i => i.Index).ToArray();
        var decision = await RunAsync((s, now) => BatchDecider.Decide(s, command, s is { Status: BatchStatus.Pending } ? store.AcceptedAmong(context.Id.Key, indexes) : new HashSet<int>(), now));
        if (decision.Rejection is { } rejection)
        {
            return Outcome<ItemsAccepted>.Rejected(rejection);
        }
        var accepted = decision.Events.OfType<BatchItemsAccepted>().Sum(e => e.Accepted);
        var result = new ItemsAccepted(accepted, command.Items.Count - accepted, Current!.ToView(Version, LastSeq));
        return accepted > 0 ? Outcome<ItemsAccepted>.Applied(result) : Outcome<ItemsAccepted>.Unchanged(result);
    }

    public async Task<bool> ChildrenFinishedAsync(IReadOnlyList<int> indexes)
    {
        await RunAsync((s, now) =>
        {
            // Read inside the decision: after a version conflict the rows are read again.
            var rows = store.ChildStates(context.Id.Key, indexes);
            var children = indexes
                .Select(i => rows.TryGetValue(i, out var row) && row.Outcome is { } o && ExecutionStatusNames.TryParse(o, out var status)
                    ? (Index: i, Outcome: status, AlreadyCounted: row.Reported)
                    : (Index: i, Outcome: ExecutionStatus.Queued, AlreadyCounted: true))
                .ToArray();
            return BatchDecider.ChildrenFinished(s, children, now);
        });
        return true;
    }

    public async Task<Outcome<BatchView>> AttachParentAsync(string parentId) =>
        ToOutcome(await RunAsync((s, now) => BatchDecider.AttachParent(s, parentId, now)));

    public async Task<Outcome<BatchView>> CancelAsync(CancelBatch command) =>
        ToOutcome(await RunAsync((s, now) => BatchDecider.Decide(s, command, now)));

    public async Task<bool> ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        _committed.Invalidate();
        if (name == SealTimer)
        {
            await RunAsync(BatchDecider.SealTimeout);
        }
        return true;
    }

    public Task<bool> ReceiveMessagesAsync(IReadOnlyList<OutboxMessage> messages)
    {
        _committed.Invalidate();
        return ChildrenFinishedAsync(messages.Where(m => m.Kind == OutboxKinds.ChildFinished).Select(m => int.Parse(m.Payload, CultureInfo.InvariantCulture)).ToArray());
    }

    private Task<BatchDecision> RunAsync(Func<BatchState?, DateTimeOffset, BatchDecision> decide) =>
        _committed.RunAsync<BatchDecision, BatchEvent>(decide,
            (state, events) => BatchDecider.Fold(state, events)!,
            (_, after, decision, now) => BuildCommit(after, decision.Events, now),
            committed: (decision, _) =>
            {
                if (decision.Events.OfType<BatchItemsAccepted>().Any())
                {
                    queues.Ready(_key.Tenant, _key.Project, Current!.Queue);
                }
            });

    private GrainCommit BuildCommit(BatchState next, IReadOnlyList<BatchEvent> events, DateTimeOffset now)
    {
        var newItems = events.OfType<BatchItemsAccepted>().SelectMany(e => e.NewItems).ToArray();
        var finished = events.OfType<BatchChildFinished>().Select(e => e.Index).ToArray();
        var aborted = events.OfType<BatchAborted>().Any();
        var resumeParent = next.ResumeParent && next.ParentId is not null
            && ((next.IsTerminal && Current?.IsTerminal != true) || (next.IsTerminal && events.OfType<BatchParentAttached>().Any()));
        return new GrainCommit
        {
            Id = context.Id,
            ExpectedVersion = Version,
            ExpectedLastSeq = LastSeq,
            State = BatchCodec.WriteState(next),
            Events = events.Select(BatchCodec.ToLogEvent).ToArray(),
            Timers = Current is null ? [new TimerChange(SealTimer, next.SealDeadline)]
                : next.Sealed || next.IsTerminal ? (Current.Sealed || Current.IsTerminal ? [] : [new TimerChange(SealTimer, null)])
                : [],
            Spawns = newItems.Select(item => SpawnChild(next, item, now)).ToArray(),
            BatchChildren = newItems.Select(item => new BatchChildRow(item.Index, ChildId(item.Index))).ToArray(),
            ReportedChildren = finished,
            Outbox = [.. (aborted ? CancelChildren() : []), .. (resumeParent
                ? [new OutboxMessage(GrainIds.For<IExecutionGrain>(ExecutionKey.For(_key.Tenant, _key.Project, next.ParentId!)), OutboxKinds.BatchFinished, next.Id)]
                : Array.Empty<OutboxMessage>())],
        };
    }

    /// <summary>The child's first commit, exactly as its own grain would have made it on create.</summary>
    private GrainCommit SpawnChild(BatchState batch, BatchItem item, DateTimeOffset now)
    {
        var create = new CreateExecution
        {
            Id = ChildId(item.Index), Task = item.Task ?? batch.Task!, Queue = batch.Queue, Input = item.Input, Retry = batch.Retry,
            Timeouts = batch.Timeouts, ParentId = batch.ParentId, Tags = item.Tags ?? batch.Tags, Metadata = item.Metadata ?? batch.Metadata,
            BatchId = batch.Id, BatchIndex = item.Index,
        };
        var events = ExecutionDecider.Decide(null, create, now).Events;
        var state = ExecutionDecider.Fold(null, events)!;
        return ExecutionCommits.Build(GrainIds.For<IExecutionGrain>(ExecutionKey.For(_key.Tenant, _key.Project, create.Id)),
            (_key.Tenant, _key.Project, create.Id), null, state, events, 0, 0);
    }

    /// <summary>Cancel messages for every child created so far (delivered through the outbox).</summary>
    private IEnumerable<OutboxMessage> CancelChildren()
    {
        for (var from = 0; ;)
        {
            var page = store.Children(context.Id.Key, from, 10_000);
            foreach (var (_, childId) in page)
            {
                yield return new OutboxMessage(GrainIds.For<IExecutionGrain>(ExecutionKey.For(_key.Tenant, _key.Project, childId)), OutboxKinds.Cancel,
                    "batch aborted");
            }
            if (page.Count < 10_000)
            {
                yield break;
            }
            from = page[^1].Index + 1;
        }
    }

    private string ChildId(int index) => $"{_key.Id}.{index.ToString(CultureInfo.InvariantCulture)}";

    private Task EnsureFreshAsync() => _committed.EnsureFreshAsync();

    private Outcome<BatchView> ToOutcome(BatchDecision decision)
    {
        if (decision.Rejection is { } rejection)
        {
            return Outcome<BatchView>.Rejected(rejection);
        }
        var view = Current!.ToView(Version, LastSeq);
        return decision.Events.Count > 0 ? Outcome<BatchView>.Applied(view) : Outcome<BatchView>.Unchanged(view);
    }
}
