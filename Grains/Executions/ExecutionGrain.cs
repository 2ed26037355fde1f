using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Idempotency;
using Levee.Grains.Runtime;
using Levee.Runtime;

namespace Levee.Grains.Executions;

/// <summary>
/// The thin shell around <see cref="ExecutionDecider"/>: keeps the committed state in memory,
/// decides, commits events + state + timers atomically (compare-and-set), replies. On a version
/// conflict (another activation wrote first) it reloads and decides again.
/// </summary>
internal sealed class ExecutionGrain(IGrainContext context, IGrainStorage storage, TimeProvider clock, GrainOptions options, IQueueNotifier queues,
    IGrainFactory grains)
    : IExecutionGrain, IMessageReceiver
{
    private readonly (string Tenant, string Project, string Id) _key = ExecutionKey.Parse(context.Id.Key);
    private readonly CommittedState<ExecutionState> _committed = new(context.Id, storage, clock, json => ExecutionCodec.ReadState(json.Span));

    private ExecutionState? Current => _committed.State;
    private long Version => _committed.Version;
    private long LastSeq => _committed.LastSeq;

    public async Task<Outcome<ExecutionView>> CreateAsync(CreateExecution command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now), ClaimFor(command), assumeNew: true));

    public async Task<ExecutionView?> GetAsync()
    {
        await EnsureFreshAsync();
        return Current?.ToView(Version, LastSeq);
    }

    public async Task<Outcome<ExecutionView>> WriteStatusAsync(WriteStatus command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));

    public async Task<ReportResult> ReportAsync(ReportEvent report)
    {
        var decision = await RunAsync((s, now) => ExecutionDecider.Decide(s, report, now));
        return Current is null ? ReportResult.Unknown : decision.Events.Count > 0 ? ReportResult.Applied : ReportResult.Ignored;
    }

    public async Task<Outcome<OutputRange>> AppendOutputAsync(AppendOutput command)
    {
        var decision = await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now));
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

    public async Task<Outcome<ApprovalRequestView>> RequestApprovalAsync(RequestApproval command) =>
        Map(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)),
            s => new ApprovalRequestView($"{_key.Id}:{command.ToolCallId}", s.Approvals.First(a => a.ToolCallId == command.ToolCallId)));

    public async Task<Outcome<ExecutionView>> WaitForBatchAsync(WaitForBatch command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));

    public async Task<Outcome<ApprovalDecisionView>> DecideApprovalAsync(DecideApproval command)
    {
        var decision = await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now));
        return Map(decision, s => new ApprovalDecisionView(s.Approvals.First(a => a.ToolCallId == command.ToolCallId), decision.Events.Count == 0));
    }

    /// <summary>A durable timer fell due: turn it into the command it stands for. Stale timers decide nothing.</summary>
    public async Task<bool> ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        _committed.Invalidate();
        var jitter = Random.Shared.NextDouble();
        Func<ExecutionState?, DateTimeOffset, Decision>? decide = name switch
        {
            ExecutionTimers.DeadlineTimer => ExecutionDecider.ExpireDeadline,
            ExecutionTimers.LeaseTimer => (s, now) => ExecutionDecider.ExpireLease(s, s?.LeaseId ?? "", now, jitter),
            _ when name.StartsWith(ExecutionTimers.ApprovalPrefix, StringComparison.Ordinal) =>
                (s, now) => ExecutionDecider.ExpireApproval(s, name[ExecutionTimers.ApprovalPrefix.Length..], now),
            _ => null,
        };
        if (decide is not null)
        {
            await RunAsync(decide);
        }
        else
        {
            // "available": nothing changes; the execution just became claimable.
            await EnsureFreshAsync();
            NotifyIfClaimable(clock.GetUtcNow());
        }
        return true;
    }

    /// <summary>Outbox messages: a cancel from an aborted batch.</summary>
    public async Task<bool> ReceiveMessagesAsync(IReadOnlyList<OutboxMessage> messages)
    {
        _committed.Invalidate();
        foreach (var message in messages)
        {
            await ReceiveAsync(message.Kind, message.Payload);
        }
        return true;
    }

    private async Task ReceiveAsync(string kind, string payload)
    {
        switch (kind)
        {
            case OutboxKinds.Cancel:
                await RunAsync((s, now) => s is null || s.Status.IsTerminal() ? Decision.Unchanged : ExecutionDecider.Decide(s, new CancelExecution(payload), now));
                break;
            case OutboxKinds.BatchFinished:
                if (await grains.GetGrain<IBatchGrain>(ExecutionKey.For(_key.Tenant, _key.Project, payload)).GetAsync() is { } batch)
                {
                    await RunAsync((s, now) => ExecutionDecider.BatchFinished(s, batch, now));
                }
                break;
        }
    }

    /// <summary>Creation claims the Idempotency-Key in the same transaction, so two racing requests cannot both create.</summary>
    private IdempotencyClaim? ClaimFor(CreateExecution command) =>
        command.Idempotency is { } request
            ? new IdempotencyClaim(_key.Tenant, _key.Project, request.Key, request.RequestHash, _key.Id, clock.GetUtcNow().Add(options.IdempotencyTtl))
            : null;

    private async Task<Decision> RunAsync(Func<ExecutionState?, DateTimeOffset, Decision> decide, IdempotencyClaim? claim = null, bool assumeNew = false)
    {
        if (assumeNew)
        {
            _committed.AssumeNewIfUnread();
        }
        return await _committed.RunAsync<Decision, ExecutionEvent>(decide,
            (state, events) => ExecutionDecider.Fold(state, events)!,
            (before, after, decision, _) => ExecutionCommits.Build(context.Id, _key, before, after, decision.Events, Version, LastSeq, claim),
            _ => Decision.Reject(new Rejection(ErrorCodes.IdempotencyKeyMismatch, $"Idempotency-Key '{claim?.Key}' is already bound to another request.")),
            (_, now) => NotifyIfClaimable(now));
    }

    private void NotifyIfClaimable(DateTimeOffset now)
    {
        if (Current is { Status: ExecutionStatus.Queued } s && s.AvailableAt <= now)
        {
            queues.Ready(_key.Tenant, _key.Project, s.Queue);
        }
    }

    private Task EnsureFreshAsync() => _committed.EnsureFreshAsync();

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
