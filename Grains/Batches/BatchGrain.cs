using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Commits;
using Levee.Grains.Diagnostics;
using Levee.Grains.Durable;
using Levee.Grains.Executions;
using Levee.Grains.Quotas;
using Levee.Grains.Storage;
using Levee.Grains.Streams;
using Levee.Queues;
using Levee.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Levee.Grains.Batches;

/// <summary>
/// The shell around <see cref="BatchDecider"/>. A Phase-2 chunk commits in one transaction: the
/// batch's state and event, the children's dedupe rows, and the children themselves (state,
/// <c>created</c> event, index row, timers) — so an acknowledged item always has its child, and a
/// retried chunk finds its indexes already taken. What a commit carries is built by
/// <see cref="BatchCommits"/>; what a decision reads is read before deciding.
/// </summary>
[GrainType(TypeName)]
internal sealed class BatchGrain : Grain, IBatchGrain, ITimerReceiver, IOutboxReceiver, IGrainModel<BatchState, BatchEvent>
{
    /// <summary>The grain type, stored with every row and stream of a batch: never change it.</summary>
    public const string TypeName = "bat";

    private readonly IBatchChildren _children;
    private readonly IExecutionIndex _index;
    private readonly GrainOptions _options;
    private readonly ResourceKey _key;
    private readonly CommittedState<BatchState, BatchEvent> _committed;
    private readonly Watchers _watchers;

    /// <summary>The status before the commit last built (the one <c>OnCommittedAsync</c> follows), to count transitions.</summary>
    private BatchStatus? _statusBefore;

    public BatchGrain(ICommitStore store, IBatchChildren children, IExecutionIndex index, TimeProvider clock, IOptions<GrainOptions> options,
        ILogger<BatchGrain> logger)
    {
        (_children, _index, _options) = (children, index, options.Value);
        _key = ResourceKey.Parse(this.GetPrimaryKeyString());
        _committed = new CommittedState<BatchState, BatchEvent>(this.GetGrainId(), store, clock, this);
        _watchers = new Watchers(logger);
    }

    /// <summary>The grain id of a batch (also its stream id).</summary>
    public static GrainId IdOf(ResourceKey key) => GrainId.Create(TypeName, key.ToString());

    private BatchState? Current => _committed.State;
    private long Version => _committed.Version;
    private long LastSeq => _committed.LastSeq;
    private GrainId Id => _committed.Id;

    public async Task<Outcome<BatchView>> CreateAsync(CreateBatch command)
    {
        // A new, otherwise valid batch looks its parent up once; its children inherit the answer.
        if (command.ParentId is not null && command.Validate(_options.MaxBatchRunCount, _options.MaxBatchConcurrency) is null)
        {
            await _committed.EnsureFreshAsync();
            if (Current is null && await ParentCheck.UnknownParentAsync(_index, _key, command.ParentId) is { } unknown)
            {
                return Outcome<BatchView>.Rejected(unknown);
            }
        }
        try
        {
            return ToOutcome(await RunAsync((s, now) => BatchDecider.Decide(s, command, _options.MaxBatchRunCount, _options.Batch, now, _options.MaxBatchConcurrency)));
        }
        catch (QuotaExceededException refused)
        {
            return Outcome<BatchView>.Rejected(QuotaRejections.For(refused, command.RunCount));
        }
    }

    public async Task<BatchView?> GetAsync()
    {
        await _committed.EnsureFreshAsync();
        return Current is null or { DeletingAt: not null } ? null : Current.ToView(Version, LastSeq, Counts(await _index.CountBatchAsync(_key.Tenant, _key.Project, _key.Id, CancellationToken.None)));
    }

    public async Task<BatchView?> PeekAsync()
    {
        await _committed.EnsureFreshAsync();
        return Current is null or { DeletingAt: not null } ? null : Current.ToView(Version, LastSeq);
    }

    public async Task<Outcome<ItemsAccepted>> AcceptItemsAsync(AcceptItems command)
    {
        if (command.Items.Count > AcceptItems.MaxItems)
        {
            return Outcome<ItemsAccepted>.Rejected(Rejection.Invalid("items", $"At most {AcceptItems.MaxItems} items per chunk."));
        }
        var indexes = command.Items.Select(i => i.Index).ToArray();
        var decision = await RunAsync(async (s, now) => BatchDecider.Decide(s, command,
            s is { Status: BatchStatus.Pending } && indexes.Length > 0 ? await _children.AcceptedAmongAsync(Id, indexes, CancellationToken.None) : new HashSet<int>(),
            now));
        if (decision.Rejection is { } rejection)
        {
            return Outcome<ItemsAccepted>.Rejected(rejection);
        }
        var accepted = decision.Events.OfType<BatchItemsAccepted>().Sum(e => e.Accepted);
        var result = new ItemsAccepted(accepted, command.Items.Count - accepted, Current!.ToView(Version, LastSeq));
        return accepted > 0 ? Outcome<ItemsAccepted>.Applied(result) : Outcome<ItemsAccepted>.Unchanged(result);
    }

    public async Task<IReadOnlyList<int>> MissingAsync(int limit)
    {
        await _committed.EnsureFreshAsync();
        return Current is null || Current.Sealed || Current.IsTerminal
            ? []
            : await _children.MissingAsync(Id, Current.RunCount, Math.Clamp(limit, 0, 1000), CancellationToken.None);
    }

    public async Task<Rejection?> DeleteAsync() => (await _committed.RunAsync(BatchDecider.Delete)).Rejection;

    public async Task<Outcome<BatchView>> CancelAsync(CancelBatch command) =>
        ToOutcome(await RunAsync((s, now) => BatchDecider.Decide(s, command, now)));

    public async Task<Outcome<BatchView>> PauseAsync(PauseBatch command) =>
        ToOutcome(await RunAsync((s, now) => BatchDecider.Decide(s, command, now)));

    public async Task<Outcome<BatchView>> ResumeAsync(ResumeBatch command) =>
        ToOutcome(await RunAsync((s, now) => BatchDecider.Decide(s, command, now)));

    public Task WatchAsync(IWatcher watcher)
    {
        _watchers.Add(watcher);
        return Task.CompletedTask;
    }

    public Task UnwatchAsync(IWatcher watcher)
    {
        _watchers.Remove(watcher);
        return Task.CompletedTask;
    }

    public async Task<bool> ReceiveTimerAsync(string name, DateTimeOffset dueAt)
    {
        _committed.Invalidate();
        if (name == BatchTimers.PurgeTimer)
        {
            await PurgePageAsync();
            return true;
        }
        Func<BatchState?, DateTimeOffset, BatchDecision> decide = name switch
        {
            BatchTimers.SealTimer => BatchDecider.SealTimeout,
            BatchTimers.DeadlineTimer => BatchDecider.DeadlinePassed,
            BatchTimers.RetentionTimer => (s, now) => BatchDecider.ExpireRetention(s, _options.Retention, now),
            _ => throw new InvalidOperationException($"Unexpected batch timer '{name}' — a bug."),
        };
        await RunAsync(decide);
        return true;
    }

    /// <summary>Outbox messages: children finished (counted in one commit per round), executions that wait for the batch.</summary>
    public async Task<bool> ReceiveMessagesAsync(IReadOnlyList<Message> messages)
    {
        _committed.Invalidate();
        var finished = new List<(int Index, ExecutionStatus Status, decimal? Cost)>();
        foreach (var message in messages)
        {
            switch (message.Kind)
            {
                case OutboxKinds.ChildFinished:
                    finished.Add(ChildFinishedPayload.Parse(message.Payload));
                    break;
                case OutboxKinds.AttachWaiter:
                    await RunAsync((s, now) => BatchDecider.AttachWaiter(s, message.Payload, now));
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected message '{message.Kind}' for a batch — a bug.");
            }
        }
        if (finished.Count > 0)
        {
            var indexes = finished.Select(f => f.Index).ToArray();
            await RunAsync(async (s, now) =>
            {
                // Read on every round of the loop: after a version conflict the rows are read again.
                // A child the batch has no row for (never accepted) counts as counted: it is ignored.
                var rows = s is null ? new Dictionary<int, bool>() : await _children.CountedAsync(Id, indexes, CancellationToken.None);
                return BatchDecider.ChildrenFinished(s,
                    finished.Select(f => new ChildReport(f.Index, f.Status, !rows.TryGetValue(f.Index, out var counted) || counted, f.Cost)).ToArray(), now);
            });
        }
        return true;
    }

    // A deleted batch is gone for every command and message while its children are removed; only
    // the purge (and a repeated delete, which finds nothing) decides on its state.
    private Task<BatchDecision> RunAsync(Func<BatchState?, DateTimeOffset, BatchDecision> decide) =>
        _committed.RunAsync((s, now) => s is { DeletingAt: not null } ? Gone : decide(s, now));

    private Task<BatchDecision> RunAsync(Func<BatchState?, DateTimeOffset, ValueTask<BatchDecision>> decide) =>
        _committed.RunAsync((s, now) => s is { DeletingAt: not null } ? ValueTask.FromResult(Gone) : decide(s, now));

    private static readonly BatchDecision Gone = BatchDecision.Reject(Rejection.NotFound("Batch"));

    /// <summary>Children removed per commit of a deleted batch (each is its row, its log, its timers and its index row).</summary>
    private const int PurgePageSize = 1_000;

    /// <summary>One page of a deleted batch's children, or, once none is left, the batch itself; the purge timer brings the next.</summary>
    private async Task PurgePageAsync() =>
        await _committed.RunAsync(async (s, now) => BatchDecider.PurgePage(s,
            s is { DeletingAt: not null } ? await _children.ChildrenAsync(Id, 0, PurgePageSize, CancellationToken.None) : [], now));

    BatchState IGrainModel<BatchState, BatchEvent>.ReadState(ReadOnlyMemory<byte> row) => BatchCodec.ReadState(row.Span);

    BatchState? IGrainModel<BatchState, BatchEvent>.Fold(BatchState? state, IReadOnlyList<BatchEvent> events) => BatchDecider.Fold(state, events);

    ValueTask<GrainCommit> IGrainModel<BatchState, BatchEvent>.BuildCommitAsync(BatchState? before, BatchState? after, IReadOnlyList<BatchEvent> events,
        long version, long lastSeq, DateTimeOffset now)
    {
        _statusBefore = before?.Status;
        return BatchCommits.BuildAsync(Id, _key, before, after, events, version, lastSeq, now, _children, _options.Retention, _options.Quota);
    }

    async Task IGrainModel<BatchState, BatchEvent>.OnCommittedAsync(BatchState? state, long lastSeq, IReadOnlyList<BatchEvent> events)
    {
        if (state is not null && state.Status != _statusBefore && GrainTelemetry.BatchTransitions.Enabled)
        {
            GrainTelemetry.BatchTransitions.Add(1, new KeyValuePair<string, object?>("levee.status", state.Status.ToWire()));
        }
        _watchers.Notify(Id, lastSeq);
        // New children, or a pause lifted: long-polling claimers look again at once.
        if (events.Any(e => e is BatchItemsAccepted or BatchPauseSet { Paused: false }))
        {
            await GrainFactory.Grain<IQueueGrain>(_key.With(state!.Queue)).ReadyAsync();
        }
    }

    private static BatchCounts Counts(IReadOnlyDictionary<ExecutionStatus, long> byStatus)
    {
        long Of(ExecutionStatus status) => byStatus.TryGetValue(status, out var n) ? n : 0;
        return new BatchCounts
        {
            Queued = Of(ExecutionStatus.Queued), Running = Of(ExecutionStatus.Running), Waiting = Of(ExecutionStatus.Waiting),
            Succeeded = Of(ExecutionStatus.Succeeded), Failed = Of(ExecutionStatus.Failed), Cancelled = Of(ExecutionStatus.Cancelled),
            TimedOut = Of(ExecutionStatus.TimedOut),
        };
    }

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
