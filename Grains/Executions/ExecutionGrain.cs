using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Idempotency;
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
    /// <summary>Conflicts in a row before giving up; each one means another activation made progress.</summary>
    private const int MaxConflictRounds = 16;

    private readonly (string Tenant, string Project, string Id) _key = ExecutionKey.Parse(context.Id.Key);
    private ExecutionState? _state;
    private long _version;
    private long _lastSeq;
    private bool _stale = true;
    private bool _loadedOnce;

    public async Task<Outcome<ExecutionView>> CreateAsync(CreateExecution command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now), ClaimFor(command), assumeNew: true));

    public async Task<ExecutionView?> GetAsync()
    {
        await EnsureFreshAsync();
        return _state?.ToView(_version, _lastSeq);
    }

    public async Task<Outcome<ExecutionView>> WriteStatusAsync(WriteStatus command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));

    public async Task<ReportResult> ReportAsync(ReportEvent report)
    {
        var decision = await RunAsync((s, now) => ExecutionDecider.Decide(s, report, now));
        return _state is null ? ReportResult.Unknown : decision.Events.Count > 0 ? ReportResult.Applied : ReportResult.Ignored;
    }

    public async Task<Outcome<OutputRange>> AppendOutputAsync(AppendOutput command)
    {
        var decision = await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now));
        return decision.Rejection is { } rejection
            ? Outcome<OutputRange>.Rejected(rejection)
            : Outcome<OutputRange>.Applied(new OutputRange(_lastSeq - decision.Events.Count + 1, _lastSeq));
    }

    public async Task<Outcome<ExecutionView>> CancelAsync(CancelExecution command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));

    public async Task<Outcome<ClaimView>> ClaimAsync(ClaimExecution command) =>
        Map(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)),
            s => new ClaimView(s.ToView(_version, _lastSeq), s.Attempt, s.LeaseId!, s.LeaseExpiresAt!.Value));

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
    public async Task<bool> ReceiveMessageAsync(string kind, string payload)
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
        return true;
    }

    /// <summary>Creation claims the Idempotency-Key in the same transaction, so two racing requests cannot both create.</summary>
    private IdempotencyClaim? ClaimFor(CreateExecution command) =>
        command.Idempotency is { } request
            ? new IdempotencyClaim(_key.Tenant, _key.Project, request.Key, request.RequestHash, _key.Id, clock.GetUtcNow().Add(options.IdempotencyTtl))
            : null;

    // assumeNew: on a fresh activation, decide as if the grain did not exist instead of reading
    // first. The insert is itself a compare-and-set on "does not exist", so if it does, the
    // commit conflicts and the command is decided again on the loaded state. Saves a read per create.
    private async Task<Decision> RunAsync(Func<ExecutionState?, DateTimeOffset, Decision> decide, IdempotencyClaim? claim = null, bool assumeNew = false)
    {
        if (_stale && assumeNew && !_loadedOnce)
        {
            (_state, _version, _lastSeq, _stale) = (null, 0, 0, false);
        }
        await EnsureFreshAsync();
        for (var round = 0; ; round++)
        {
            var now = clock.GetUtcNow();
            var decision = decide(_state, now);
            if (decision.Rejection is not null || decision.Events.Count == 0)
            {
                return decision;
            }
            var next = ExecutionDecider.Fold(_state, decision.Events)!;
            CommitOutcome outcome;
            try
            {
                outcome = await storage.CommitAsync(ExecutionCommits.Build(context.Id, _state, next, decision.Events, _version, _lastSeq, claim), CancellationToken.None);
            }
            catch
            {
                // The commit may or may not have landed: trust nothing in memory until reloaded.
                _stale = true;
                throw;
            }
            switch (outcome.Status)
            {
                case CommitStatus.Committed:
                    (_state, _version, _lastSeq) = (next, outcome.Version, outcome.LastSeq);
                    NotifyIfClaimable(now);
                    return decision;
                case CommitStatus.IdempotencyKeyTaken:
                    return Decision.Reject(new Rejection(ErrorCodes.IdempotencyKeyMismatch,
                        $"Idempotency-Key '{claim?.Key}' is already bound to another request."));
                case CommitStatus.VersionConflict when round < MaxConflictRounds:
                    await LoadAsync(CancellationToken.None);
                    break;
                default:
                    throw new InvalidOperationException($"Grain {context.Id} lost {MaxConflictRounds} version races in a row.");
            }
        }
    }

    private void NotifyIfClaimable(DateTimeOffset now)
    {
        if (_state is { Status: ExecutionStatus.Queued } s && s.AvailableAt <= now)
        {
            queues.Ready(_key.Tenant, _key.Project, s.Queue);
        }
    }

    private Task EnsureFreshAsync() => _stale ? LoadAsync(CancellationToken.None) : Task.CompletedTask;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await storage.ReadAsync(context.Id, cancellationToken);
        (_state, _version, _lastSeq) = stored is null ? (null, 0L, 0L) : (ExecutionCodec.ReadState(stored.State.Span), stored.Version, stored.LastSeq);
        (_stale, _loadedOnce) = (false, true);
    }

    private Outcome<ExecutionView> ToOutcome(Decision decision) => Map(decision, s => s.ToView(_version, _lastSeq));

    private Outcome<T> Map<T>(Decision decision, Func<ExecutionState, T> project)
    {
        if (decision.Rejection is { } rejection)
        {
            return Outcome<T>.Rejected(rejection);
        }
        var value = project(_state!);
        return decision.Events.Count > 0 ? Outcome<T>.Applied(value) : Outcome<T>.Unchanged(value);
    }
}
