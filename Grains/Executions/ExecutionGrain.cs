using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Batches;
using Levee.Grains.Commits;
using Levee.Grains.Diagnostics;
using Levee.Grains.Durable;
using Levee.Grains.Quotas;
using Levee.Grains.Storage;
using Levee.Grains.Streams;
using Levee.Queues;
using Levee.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Levee.Grains.Executions;

/// <summary>
/// The thin shell around <see cref="ExecutionDecider"/>: keeps the committed state in memory,
/// decides, commits events + state + timers + messages atomically (compare-and-set), replies,
/// then wakes its watchers and, when the execution became claimable, its queue. On a version
/// conflict (another activation wrote first) it reloads and decides again.
/// </summary>
[GrainType(TypeName), Orleans.Placement.PreferLocalPlacement]
internal sealed class ExecutionGrain : Grain, IExecutionGrain, ITimerReceiver, IOutboxReceiver, IGrainModel<ExecutionState, ExecutionEvent>
{
    /// <summary>The grain type, stored with every row and stream of an execution: never change it.</summary>
    public const string TypeName = "exe";

    private readonly TimeProvider _clock;
    private readonly IExecutionIndex _index;
    private readonly TimeSpan? _retention;
    private readonly TenantQuota _quota;
    private readonly ResourceKey _key;
    private readonly CommittedState<ExecutionState, ExecutionEvent> _committed;
    private readonly Watchers _watchers;

    /// <summary>The status before the commit last built (the one <c>OnCommittedAsync</c> follows), to count transitions.</summary>
    private ExecutionStatus? _statusBefore;

    public ExecutionGrain(ICommitStore store, IExecutionIndex index, TimeProvider clock, IOptions<GrainOptions> options, ILogger<ExecutionGrain> logger)
    {
        (_clock, _index, _retention, _quota) = (clock, index, options.Value.Retention, options.Value.Quota);
        _key = ResourceKey.Parse(this.GetPrimaryKeyString());
        _committed = new CommittedState<ExecutionState, ExecutionEvent>(this.GetGrainId(), store, clock, this);
        _watchers = new Watchers(logger);
    }

    /// <summary>The grain id of an execution (also its stream id).</summary>
    public static GrainId IdOf(ResourceKey key) => GrainId.Create(TypeName, key.ToString());

    private ExecutionState? Current => _committed.State;
    private long Version => _committed.Version;
    private long LastSeq => _committed.LastSeq;

    public async Task<Outcome<ExecutionView>> CreateAsync(CreateExecution command)
    {
        // Only a create not known to be a replay, and otherwise valid, looks its parent up (a
        // batch checked its own once, for all its children).
        if (Current is null && command.BatchId is null && command.ParentId is not null && command.Validate() is null
            && await ParentCheck.UnknownParentAsync(_index, _key, command.ParentId) is { } unknown)
        {
            return Outcome<ExecutionView>.Rejected(unknown);
        }
        _committed.AssumeNewIfUnread();
        try
        {
            return ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));
        }
        catch (QuotaExceededException refused)
        {
            return Outcome<ExecutionView>.Rejected(QuotaRejections.For(refused));
        }
    }

    public async Task<ExecutionView?> GetAsync()
    {
        await _committed.EnsureFreshAsync();
        if (Current is { } s && s.Status.IsTerminal() && _watchers.Count == 0)
        {
            // As after its terminal commit: a terminal execution is not kept in memory, so a read
            // after a delete elsewhere (its batch's, retention's) never finds a stale copy.
            DeactivateOnIdle();
        }
        return Current?.ToView(Version, LastSeq);
    }

    public async Task<Rejection?> DeleteAsync() => (await RunAsync(ExecutionDecider.Delete)).Rejection;

    public async Task<Outcome<ExecutionView>> WriteStatusAsync(WriteStatus command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));

    public async Task<ReportResult> ReportAsync(ReportEvent report)
    {
        var decision = await RunAsync((s, now) => ExecutionDecider.Decide(s, report, now));
        return Current is null ? ReportResult.Unknown : decision.Events.Count > 0 ? ReportResult.Applied : ReportResult.Ignored;
    }

    public async Task<Outcome<OutputRange>> AppendOutputAsync(AppendOutput command)
    {
        Decision decision;
        try
        {
            decision = await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now));
        }
        catch (QuotaExceededException refused)
        {
            return Outcome<OutputRange>.Rejected(QuotaRejections.For(refused));
        }
        return decision.Rejection is { } rejection
            ? Outcome<OutputRange>.Rejected(rejection)
            : Outcome<OutputRange>.Applied(new OutputRange(LastSeq - decision.Events.Count + 1, LastSeq));
    }

    public async Task<Outcome<ExecutionView>> CancelAsync(CancelExecution command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));

    public async Task<Outcome<ClaimView>> ClaimAsync(ClaimExecution command) =>
        Map(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)),
            s => new ClaimView(s.ToView(Version, LastSeq), s.Attempt, s.LeaseId!, s.LeaseExpiresAt!.Value));

    public async Task<Outcome<HeartbeatView>> HeartbeatAsync(Heartbeat command) =>
        Map(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)),
            s => new HeartbeatView(s.LeaseExpiresAt ?? s.UpdatedAt, s.CancelRequested));

    public async Task<Outcome<ExecutionView>> CompleteAsync(CompleteExecution command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));

    public async Task<Outcome<ExecutionView>> FailAsync(FailExecution command)
    {
        var jitter = Random.Shared.NextDouble();
        return ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now, jitter)));
    }

    public async Task<Outcome<ExecutionView>> ReleaseAsync(ReleaseExecution command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));

    public async Task<Outcome<ApprovalRequestView>> RequestApprovalAsync(RequestApproval command) =>
        Map(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)),
            s => new ApprovalRequestView($"{_key.Id}:{command.ToolCallId}", s.Approvals.First(a => a.ToolCallId == command.ToolCallId).ToView()));

    /// <summary>
    /// Trigger-and-wait. The batch is looked up first (an unknown batch is a 404 and changes
    /// nothing); the suspension then commits together with an outbox message that registers this
    /// execution with the batch, which resumes it once it is terminal — at once if it already is.
    /// A command the decider refuses as invalid (no lease, no batch) goes to it without a lookup.
    /// </summary>
    public async Task<Outcome<ExecutionView>> WaitForBatchAsync(WaitForBatch command)
    {
        await _committed.EnsureFreshAsync();
        var alreadyWaiting = Current is { Status: ExecutionStatus.Waiting, WaitingFor: { Kind: WaitKind.Batch } waiting } && waiting.Id == command.BatchId;
        if (Current is not null && !alreadyWaiting && command.Validate() is null
            && (!ExecutionIds.IsValid(command.BatchId) || await GrainFactory.Grain<IBatchGrain>(_key.With(command.BatchId)).PeekAsync() is null))
        {
            return Outcome<ExecutionView>.Rejected(Rejection.NotFound($"Batch '{command.BatchId}'"));
        }
        return ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));
    }

    public async Task<Outcome<ApprovalDecisionView>> DecideApprovalAsync(DecideApproval command)
    {
        var decision = await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now));
        return Map(decision, s => new ApprovalDecisionView(s.Approvals.First(a => a.ToolCallId == command.ToolCallId).ToView(), decision.Events.Count == 0));
    }

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

    /// <summary>A durable timer fell due: turn it into the command it stands for. Stale timers decide nothing.</summary>
    public async Task<bool> ReceiveTimerAsync(string name, DateTimeOffset dueAt)
    {
        _committed.Invalidate();
        var jitter = Random.Shared.NextDouble();
        Func<ExecutionState?, DateTimeOffset, Decision>? decide = name switch
        {
            ExecutionTimers.DeadlineTimer => ExecutionDecider.ExpireDeadline,
            ExecutionTimers.LeaseTimer => (s, now) => ExecutionDecider.ExpireLease(s, s?.LeaseId ?? "", now, jitter),
            ExecutionTimers.AvailableTimer => null,
            ExecutionTimers.RetentionTimer => (s, now) => ExecutionDecider.ExpireRetention(s, _retention, now),
            _ when name.StartsWith(ExecutionTimers.ApprovalPrefix, StringComparison.Ordinal) =>
                (s, now) => ExecutionDecider.ExpireApproval(s, name[ExecutionTimers.ApprovalPrefix.Length..], now),
            _ => throw new InvalidOperationException($"Unexpected execution timer '{name}' — a bug."),
        };
        if (decide is not null)
        {
            await RunAsync(decide);
        }
        else
        {
            // "available": nothing changes; the execution just became claimable.
            await _committed.EnsureFreshAsync();
            await WakeQueueIfClaimableAsync(_clock.GetUtcNow());
        }
        return true;
    }

    /// <summary>Outbox messages: a cancel from an aborted batch, or the batch this execution waits for is terminal.</summary>
    public async Task<bool> ReceiveMessagesAsync(IReadOnlyList<Message> messages)
    {
        _committed.Invalidate();
        foreach (var message in messages)
        {
            switch (message.Kind)
            {
                case OutboxKinds.Cancel:
                    await RunAsync((s, now) => s is null || s.Status.IsTerminal() ? Decision.Unchanged : ExecutionDecider.Decide(s, new CancelExecution(message.Payload), now));
                    break;
                case OutboxKinds.BatchFinished:
                    // The batch's own view, read now: its summary goes into the next claim.
                    if (await GrainFactory.Grain<IBatchGrain>(_key.With(message.Payload)).GetAsync() is { } batch)
                    {
                        await RunAsync((s, now) => ExecutionDecider.BatchFinished(s, batch, now));
                    }
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected message '{message.Kind}' for an execution — a bug.");
            }
        }
        return true;
    }

    private Task<Decision> RunAsync(Func<ExecutionState?, DateTimeOffset, Decision> decide) => _committed.RunAsync(decide);

    ExecutionState IGrainModel<ExecutionState, ExecutionEvent>.ReadState(ReadOnlyMemory<byte> row) => ExecutionCodec.ReadState(row.Span);

    ExecutionState? IGrainModel<ExecutionState, ExecutionEvent>.Fold(ExecutionState? state, IReadOnlyList<ExecutionEvent> events) =>
        ExecutionDecider.Fold(state, events);

    ValueTask<GrainCommit> IGrainModel<ExecutionState, ExecutionEvent>.BuildCommitAsync(ExecutionState? before, ExecutionState? after,
        IReadOnlyList<ExecutionEvent> events, long version, long lastSeq, DateTimeOffset now)
    {
        _statusBefore = before?.Status;
        return ValueTask.FromResult(ExecutionCommits.Build(_committed.Id, _key, before, after, events, version, lastSeq, _retention, _quota));
    }

    async Task IGrainModel<ExecutionState, ExecutionEvent>.OnCommittedAsync(ExecutionState? state, long lastSeq, IReadOnlyList<ExecutionEvent> events)
    {
        if (state is not null && state.Status != _statusBefore && GrainTelemetry.ExecutionTransitions.Enabled)
        {
            GrainTelemetry.ExecutionTransitions.Add(1, new KeyValuePair<string, object?>("levee.status", state.Status.ToWire()));
        }
        _watchers.Notify(_committed.Id, lastSeq);
        await WakeQueueIfClaimableAsync(_clock.GetUtcNow());
        if (state is null || state.Status.IsTerminal() && _watchers.Count == 0)
        {
            // A terminal execution never changes again and is rarely read: free its activation
            // now instead of after the idle timeout (a later read reloads it in one query).
            DeactivateOnIdle();
        }
    }

    /// <summary>
    /// Wakes the queue when this execution is claimable; and, for a child of a concurrency-capped
    /// batch, whenever it does not hold a lease: a slot may have freed for a sibling.
    /// </summary>
    private Task WakeQueueIfClaimableAsync(DateTimeOffset now) =>
        Current is { Status: ExecutionStatus.Queued } s && s.AvailableAt <= now
        || Current is { ConcurrencyCapped: true, Status: not ExecutionStatus.Running }
            ? GrainFactory.Grain<IQueueGrain>(_key.With(Current.Queue)).ReadyAsync()
            : Task.CompletedTask;

    private Outcome<ExecutionView> ToOutcome(Decision decision) => Map(decision, s => s.ToView(Version, LastSeq));

    private Outcome<T> Map<T>(Decision decision, Func<ExecutionState, T> project)
    {
        if (decision.Rejection is { } rejection)
        {
            return Outcome<T>.Rejected(rejection);
        }
        var value = project(Current!);
        return decision.Events.Count > 0 ? Outcome<T>.Applied(value) : Outcome<T>.Unchanged(value);
    }
}
